from django.urls import path

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
]
