"""URLs: staff site, administration, REST API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from gongkai.accounts.forms import AdminLoginForm, StaffLoginForm
from gongkai.api.api import api
from gongkai.project.context import site

admin.site.site_header = "政府信息公开工作平台 · 管理"
admin.site.site_title = "公开平台管理"
# Both logins show one neutral message; the limits on failures are applied by the
# authentication backend (gongkai.accounts.backends) behind both.
admin.site.login_form = AdminLoginForm

#: The 404 page shows a view's reason only when it is written for people (:mod:`.errors`).
handler404 = "gongkai.project.errors.not_found"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=StaffLoginForm,
            # LoginView would otherwise name the site after the request's host.
            extra_context={"site_name": site(None)["site_name"]},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the site's icon.
    path("favicon.ico", RedirectView.as_view(url=static("gongkai/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("portal/", include("gongkai.portal.urls")),
    path("", include("gongkai.documents.portal_urls")),
    path("", include("gongkai.letters.urls")),
    path("", include("gongkai.reports.urls")),
    path("", include("gongkai.documents.urls")),
    path("", include("gongkai.portal.staff_urls")),
    path("", include("gongkai.cases.urls")),
]
