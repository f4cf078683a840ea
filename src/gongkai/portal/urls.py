from typing import Any

from django.urls import URLPattern, path, re_path

from gongkai.documents import portal_views as documents
from gongkai.reports import portal_views as reports

from . import views
from .errors import not_found, portal_pages


def page(route: str, view: Any, name: str) -> URLPattern:
    """A portal page: its "not found" is the portal's own page (:mod:`.errors`)."""
    return path(route, portal_pages(view), name=name)


app_name = "portal"
urlpatterns = [
    page("", views.home, "home"),
    page("apply/<str:code>/", views.apply, "apply"),
    page("apply/confirm/<int:pk>/", views.confirm, "confirm"),
    page("done/", views.done, "done"),
    page("status/", views.lookup, "lookup"),
    page("status/<str:number>/", views.status, "status"),
    page("letters/<int:letter_id>/", views.letter_view, "letter"),
    page("letters/<int:letter_id>/docx/", views.letter_download, "letter_docx"),
    page("account/signup/", views.signup, "signup"),
    page("account/login/", views.login, "login"),
    page("account/logout/", views.logout, "logout"),
    page("account/", views.mine, "mine"),
    page("reports/", reports.report_list, "reports"),
    page("reports/<str:code>/<int:year>/", reports.report_page, "report"),
    page("reports/<str:code>/<int:year>/download.<str:fmt>", reports.report_file, "report_file"),
    # 政府文件库 (gongkai.documents): public texts, 清理结果, 主动公开事项目录.
    page("documents/", documents.document_list, "documents"),
    page("documents/<int:pk>/", documents.document_page, "document"),
    page(
        "documents/<int:pk>/files/<int:attachment_id>/",
        documents.attachment_download,
        "document_file",
    ),
    page("documents/cleanups/", documents.cleanup_list, "cleanups"),
    page("catalogues/", documents.catalogue_list, "catalogues"),
    page("catalogues/<str:code>/", documents.catalogue_page, "catalogue"),
    # Any other address under /portal/ (one that is a page with a "/" added is sent there).
    re_path(r"^.*$", not_found, name="not_found"),
]
