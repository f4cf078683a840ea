from django.urls import path

from gongkai.reports import portal_views as reports

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("apply/confirm/<int:pk>/", views.confirm, name="confirm"),
    path("done/", views.done, name="done"),
    path("status/", views.lookup, name="lookup"),
    path("status/<str:number>/", views.status, name="status"),
    path("letters/<int:letter_id>/", views.letter_view, name="letter"),
    path("letters/<int:letter_id>/docx/", views.letter_download, name="letter_docx"),
    path("account/signup/", views.signup, name="signup"),
    path("account/login/", views.login, name="login"),
    path("account/logout/", views.logout, name="logout"),
    path("account/", views.mine, name="mine"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<str:code>/<int:year>/", reports.report_page, name="report"),
    path(
        "reports/<str:code>/<int:year>/download.<str:fmt>",
        reports.report_file,
        name="report_file",
    ),
]
