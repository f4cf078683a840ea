"""Errors a deployment meets: unforeseen API faults, bounded search, odd peer addresses,
an unwritable data directory, files left behind by rolled-back steps, expired sessions."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_record
from gongkai.cases.selectors import SEARCH_MAX_TERMS, search_terms
from gongkai.project import storagechecks
from gongkai.project.errors import not_found, readable_reason
from gongkai.project.housekeeping import housekeep, orphan_files
from tests.factories import register

pytestmark = pytest.mark.django_db


def test_unforeseen_api_fault_is_json_500(as_user, w, monkeypatch):
    from gongkai.cases import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "case_list", broken)
    api = as_user(w.registrar)
    api.client.raise_request_exception = False
    response = api.get("/cases")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "服务器内部错误，已记录；请稍后重试或联系平台管理员"}
    assert "boom" not in response.content.decode()


def test_search_terms_are_bounded():
    assert search_terms("  学校  扩建 ") == ["学校", "扩建"]
    with pytest.raises(ValueError, match="搜索词过多（7 个），最多 6 个"):
        search_terms(" ".join("abcdefg"))
    with pytest.raises(ValueError, match="搜索内容过长（201 个字符）"):
        search_terms("字" * 201)


def test_api_refuses_too_many_terms(as_user, w):
    response = as_user(w.registrar).get("/cases", q=" ".join(["校"] * (SEARCH_MAX_TERMS + 1)))
    assert response.status_code == 422
    assert "搜索词过多" in str(response.json())


def test_web_list_refuses_too_many_terms(client, w):
    client.force_login(w.registrar)
    response = client.get(reverse("cases:list"), {"q": " ".join(["校"] * 7)})
    assert response.status_code == 200
    assert "搜索词过多（7 个），最多 6 个" in response.content.decode()


@pytest.mark.parametrize(
    ("given", "stored"),
    [("demo-1", None), ("unknown", None), ("", None), ("10.0.0.7", "10.0.0.7"), ("::1", "::1")],
)
def test_audit_keeps_only_real_addresses(w, given, stored):
    entry = audit_record(actor=None, action="test", target=w.d1, message="地址", ip=given)
    assert AuditEntry.objects.get(pk=entry.pk).ip == stored


def test_unwritable_data_directory_is_an_error(settings, tmp_path: Path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.DATA_DIR = blocker / "data"
    errors = storagechecks.data_directory()
    assert [e.id for e in errors] == ["gongkai.E010"]
    assert "不可写" in errors[0].msg


def test_bad_trusted_proxy_is_an_error(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.1", "proxy.local"]
    errors = storagechecks.trusted_proxies()
    assert [e.id for e in errors] == ["gongkai.E012"]
    assert "proxy.local" in errors[0].msg


def test_orphaned_files_are_swept_and_referenced_ones_kept(w, pinned):
    case = register(w.registrar, w.d1)
    kept = case.letters.order_by("pk").first()  # the receipt, made at registration
    assert kept is not None and default_storage.exists(kept.file.name)
    orphan = default_storage.save("letters/2025/orphan-of-a-rollback.docx", ContentFile(b"x"))
    old = (timezone.now() - timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(orphan), (old, old))
    young = default_storage.save("letters/2025/still-in-a-transaction.docx", ContentFile(b"y"))

    assert orphan in orphan_files()
    assert young not in orphan_files()
    result = housekeep()
    assert result.removed >= 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(young)
    assert default_storage.exists(kept.file.name)
    default_storage.delete(young)


def test_expired_sessions_are_cleared(w):
    from django.contrib.sessions.backends.db import SessionStore

    live = SessionStore()
    live["x"] = 1
    live.create()
    dead = SessionStore()
    dead["x"] = 2
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    housekeep()
    assert Session.objects.filter(session_key=live.session_key).exists()
    assert not Session.objects.filter(session_key=dead.session_key).exists()


def test_api_body_over_djangos_limit_is_413_not_500(as_user, w, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = as_user(w.registrar)
    api.client.raise_request_exception = False
    response = api.post("/cases", {"note": "字" * 2000})
    assert response.status_code == 413
    assert response.json() == {"detail": "请求体过大，未予接收"}


# --- the pages people see when something is not there or not allowed ---------------------


def test_404_does_not_show_djangos_english_message(rf, w):
    request = rf.get("/reports/999999/")
    request.user = w.registrar
    # What get_object_or_404 raises when nothing matches.
    response = not_found(request, Http404("No AnnualReport matches the given query."))
    assert response.status_code == 404
    page = response.content.decode()
    assert "您访问的页面不存在，或您无权查看。" in page
    assert "matches" not in page and "AnnualReport" not in page
    assert readable_reason(Http404("No Agency matches the given query.")) is None
    reason = "没有这份年度报告，或无权查看"
    assert readable_reason(Http404(reason)) == reason
    assert readable_reason(Http404()) is None


def test_404_keeps_a_reason_written_for_people(client, w):
    client.force_login(w.registrar)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 404
    assert "您不是任何单位的承办人" in response.content.decode()


def test_404_of_an_unknown_address(client, w):
    client.force_login(w.registrar)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<title>找不到页面 · 政府信息公开工作平台</title>" in response.content.decode()


def test_405_opening_an_action_address_is_a_page_not_a_blank(client, w, pinned):
    case = register(w.registrar, w.d1)
    client.force_login(w.registrar)
    response = client.get(reverse("cases:act", args=[case.pk, "assign"]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "<title>不能这样打开 · 政府信息公开工作平台</title>" in page
    assert "这个地址用于提交页面上的表单，不能直接打开" in page
    assert 'href="/">返回工作台' in page
    assert "申请列表" in page  # the site's own header, as the person is logged in


def test_405_on_the_portal_keeps_the_portal(client, w):
    response = client.get(reverse("portal:logout"))
    assert response.status_code == 405
    page = response.content.decode()
    assert "不能这样打开" in page
    assert "返回申请平台首页" in page and "返回工作台" not in page


def test_405_head_has_no_body(client, w, pinned):
    case = register(w.registrar, w.d1)
    client.force_login(w.registrar)
    response = client.head(reverse("cases:act", args=[case.pk, "assign"]))
    assert response.status_code == 405
    assert response.content == b""


def test_405_in_the_api_is_json(as_user, w):
    api = as_user(w.registrar)
    response = api.client.put("/api/cases", headers=api.headers)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "不支持该请求方式（PUT）"}


def test_login_title_names_the_platform_not_the_host(client, db):
    response = client.get("/login/", HTTP_HOST="127.0.0.1:8000")
    assert "<title>登录 · 政府信息公开工作平台</title>" in response.content.decode()


def test_a_browser_asking_for_english_still_gets_chinese(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert "用户名" in page and "Username" not in page


def test_the_browsers_favicon_request_finds_the_sites_icon(client) -> None:
    """Browsers ask for /favicon.ico on every site; it answered 404 on every page."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/gongkai/favicon.svg")
    icon = Path(__file__).parents[2] / "src/gongkai/project/static/gongkai/favicon.svg"
    assert "<svg" in icon.read_text("utf-8")
