from django.urls import path

from . import views
from .views import remedies

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list_view, name="list"),
    path("cases/new/", views.register, name="register"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/identity/", views.case_identity, name="identity"),
    path("cases/<int:pk>/act/<str:action>/", views.act, name="act"),
    path("cases/<int:pk>/files/", views.attachment_upload, name="upload"),
    path("cases/<int:pk>/files/<int:att>/", views.attachment_download, name="download"),
    path("cases/<int:pk>/remedies/", remedies.remedy_add, name="remedy_add"),
    path("cases/<int:pk>/remedies/<int:remedy>/", remedies.remedy_decide, name="remedy_decide"),
    path("inbox/", views.inbox, name="inbox"),
]
