"""Client addresses behind reverse proxies, HTTPS mode and the security headers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings

from gongkai.project.middleware import ClientAddressMiddleware, forwarded_client


def _through(meta: dict[str, str]) -> dict[str, str]:
    request = RequestFactory().get("/", **meta)
    seen: dict[str, str] = {}

    def view(req):
        seen.update({k: v for k, v in req.META.items() if k.startswith(("REMOTE", "HTTP_X"))})
        return

    ClientAddressMiddleware(view)(request)
    return seen


@pytest.fixture(autouse=True)
def _proxies(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.1", "192.168.5.0/24"]


class TestClientAddress:
    def test_untrusted_peer_cannot_claim_an_address_or_https(self):
        seen = _through(
            {
                "REMOTE_ADDR": "203.0.113.9",
                "HTTP_X_FORWARDED_FOR": "1.2.3.4",
                "HTTP_X_FORWARDED_PROTO": "https",
            }
        )
        assert seen["REMOTE_ADDR"] == "203.0.113.9"
        assert "HTTP_X_FORWARDED_FOR" not in seen
        assert "HTTP_X_FORWARDED_PROTO" not in seen

    def test_trusted_proxy_names_the_client(self):
        seen = _through(
            {
                "REMOTE_ADDR": "10.0.0.1",
                "HTTP_X_FORWARDED_FOR": "198.51.100.20",
                "HTTP_X_FORWARDED_PROTO": "https",
            }
        )
        assert seen["REMOTE_ADDR"] == "198.51.100.20"
        assert seen["HTTP_X_FORWARDED_PROTO"] == "https"

    def test_client_written_hops_are_not_believed(self):
        # The client sent "X-Forwarded-For: 9.9.9.9"; the proxy appended the real address.
        assert forwarded_client("10.0.0.1", "9.9.9.9, 198.51.100.20") == "198.51.100.20"

    def test_chain_of_trusted_proxies(self):
        assert forwarded_client("10.0.0.1", "198.51.100.20, 192.168.5.7") == "198.51.100.20"

    def test_garbage_stops_at_last_vouched_address(self):
        assert forwarded_client("10.0.0.1", "198.51.100.20, not-an-ip") == "10.0.0.1"

    def test_missing_header_keeps_the_proxy(self):
        assert forwarded_client("10.0.0.1", "") == "10.0.0.1"


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy():
    response = Client().get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gongkai"


def test_no_template_has_inline_script_or_style():
    """The policy allows no inline code: no handler attributes, style attributes or bodies."""
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for needle in (" onclick=", " onload=", " onchange=", " onsubmit=", ' style="', "<style"):
            if needle in text:
                offenders.append(f"{path.name}: {needle.strip()}")
        for chunk in text.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            if "src=" not in head and "application/json" not in head:
                offenders.append(f"{path.name}: inline <script>")
    assert offenders == []


@pytest.mark.django_db
@override_settings(
    GONGKAI_TRUSTED_PROXIES=["127.0.0.1"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ALLOWED_HOSTS=["gk.example.gov.cn"],
)
def test_post_through_a_tls_proxy_passes_the_csrf_origin_check():
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.20"}
    page = client.get("/login/", HTTP_HOST="gk.example.gov.cn", headers=headers)
    token = page.context["csrf_token"]
    response = client.post(
        "/login/",
        {"username": "nobody", "password": "wrong-password", "csrfmiddlewaretoken": str(token)},
        HTTP_HOST="gk.example.gov.cn",
        headers={**headers, "Origin": "https://gk.example.gov.cn"},
        secure=False,
    )
    assert response.status_code == 200  # the form answered (wrong password), not a 403


def _check_deploy(extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update({"GONGKAI_DATA_DIR": str(tmp_path), **extra})
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "manage", "check", "--deploy"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_https_mode(tmp_path: Path):
    done = _check_deploy(
        {
            "GONGKAI_HTTPS": "1",
            "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
            "GONGKAI_TRUSTED_PROXIES": "127.0.0.1",
        },
        tmp_path,
    )
    out = done.stdout + done.stderr
    assert "security.W" not in out, out
    assert "System check identified no issues" in out or "gongkai.W001" in out, out


def test_check_deploy_warns_without_https(tmp_path: Path):
    out = _check_deploy({}, tmp_path)
    text = out.stdout + out.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in text


def test_head_is_answered_with_headers_only():
    from django.http import HttpResponse

    from gongkai.project.middleware import ContentSecurityPolicyMiddleware

    page = ContentSecurityPolicyMiddleware(lambda r: HttpResponse("正文" * 10))
    head = page(RequestFactory().head("/portal/"))
    get = page(RequestFactory().get("/portal/"))
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content)) == "60"


def test_ipv4_mapped_peers_are_plain_ipv4():
    seen = _through({"REMOTE_ADDR": "::ffff:10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20"})
    assert seen["REMOTE_ADDR"] == "198.51.100.20"  # the proxy 10.0.0.1 is trusted
    assert _through({"REMOTE_ADDR": "::ffff:203.0.113.9"})["REMOTE_ADDR"] == "203.0.113.9"


def test_https_without_a_trusted_proxy_is_warned_about(settings):
    from gongkai.project.storagechecks import https_behind_proxy

    settings.GONGKAI_HTTPS = True
    settings.GONGKAI_TRUSTED_PROXIES = []
    assert [w.id for w in https_behind_proxy()] == ["gongkai.W014"]
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1"]
    assert https_behind_proxy() == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/portal/?q=%00", "/portal/apply/%00/", "/portal/status/A%00/"])
def test_nul_in_the_address_is_400_not_500(url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
