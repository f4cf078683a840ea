"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": "政府信息公开工作平台"}
