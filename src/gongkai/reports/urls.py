from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/prepare/", views.prepare, name="prepare"),
    path("reports/import/", views.import_page, name="import"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/act/<str:action>/", views.act, name="act"),
    path("reports/<int:pk>/download.<str:fmt>", views.download, name="download"),
    path("reports/rollup/<int:agency>/<int:year>/", views.rollup_page, name="rollup"),
    path("reports/amendments/<int:pk>/ack/", views.acknowledge, name="acknowledge"),
    path("cases/<int:pk>/remedies/", views.remedy_add, name="remedy_add"),
    path("cases/<int:pk>/remedies/<int:remedy>/", views.remedy_decide, name="remedy_decide"),
]
