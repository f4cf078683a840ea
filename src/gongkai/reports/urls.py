from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/prepare/", views.prepare, name="prepare"),
    path("reports/import/", views.import_page, name="import"),
    path("reports/import/outside/", views.import_outside, name="import_outside"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/act/<str:action>/", views.act, name="act"),
    path("reports/<int:pk>/download.<str:fmt>", views.download, name="download"),
    path(
        "reports/<int:pk>/withdrawn/<int:wid>/", views.withdrawn_version, name="withdrawn_version"
    ),
    path("reports/rollup/<int:agency>/<int:year>/", views.rollup_page, name="rollup"),
    path("reports/amendments/<int:pk>/ack/", views.acknowledge, name="acknowledge"),
]
