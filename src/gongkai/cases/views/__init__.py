"""Staff pages: dashboard, case list, case page with its actions, registration, inbox."""

from .actions import act
from .dashboard import dashboard
from .pages import (
    attachment_download,
    attachment_upload,
    case_identity,
    case_list_view,
    case_page,
    inbox,
    register,
)

__all__ = [
    "act",
    "attachment_download",
    "attachment_upload",
    "case_identity",
    "case_list_view",
    "case_page",
    "dashboard",
    "inbox",
    "register",
]
