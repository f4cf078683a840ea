"""URLs: staff site, administration, REST API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongkai.api.api import api

admin.site.site_header = "政府信息公开工作平台 · 管理"
admin.site.site_title = "公开平台管理"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("portal/", include("gongkai.portal.urls")),
    path("", include("gongkai.letters.urls")),
    path("", include("gongkai.reports.urls")),
    path("", include("gongkai.portal.staff_urls")),
    path("", include("gongkai.cases.urls")),
]
