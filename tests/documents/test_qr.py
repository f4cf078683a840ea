"""一策一码: the QR images encode the absolute short address (decoded from the PNG with
zxing-cpp), the configured public address wins over the request's, and only codes of
policies with a public text have an image."""

from __future__ import annotations

import io
import re

import pytest
import segno
import time_machine
import zxingcpp
from PIL import Image

from gongkai.documents import qr
from gongkai.documents.models import ReviewState
from tests.documents.factories import text
from tests.factories import World, world


@pytest.fixture
def w(db) -> World:
    """The test world, the clock pinned to Monday 2025-06-16 10:00 in Shanghai."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


def decode_png(data: bytes) -> list[str]:
    """The texts of the QR codes in a PNG."""
    image = Image.open(io.BytesIO(data))
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_png_round_trip():
    assert decode_png(qr.qr_png("https://gk.example.gov.cn/p/AB12CD")) == [
        "https://gk.example.gov.cn/p/AB12CD"
    ]


def test_svg_is_a_standalone_image_of_the_same_symbol():
    svg = qr.qr_svg("https://gk.example.gov.cn/p/AB12CD", title="政策码 AB12CD").decode()
    assert svg.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'
    )
    assert "<title>政策码 AB12CD</title>" in svg
    # 34 bytes need version 3 at level M (29×29 modules; version 2-M holds 26 bytes);
    # with the quiet zone of 4 modules and 4 px a module: (29 + 8) × 4 = 148.
    assert 'width="148" height="148"' in svg
    assert segno.make_qr("https://gk.example.gov.cn/p/AB12CD", error="m").designator == "3-M"


def test_short_url_from_the_request_or_the_setting(rf, settings):
    settings.GONGKAI_PORTAL_URL = ""
    settings.ALLOWED_HOSTS = ["zwgk.example.cn"]
    request = rf.get("/portal/documents/1/", HTTP_HOST="zwgk.example.cn")
    assert qr.short_url("AB12CD", request) == "http://zwgk.example.cn/p/AB12CD"
    assert qr.short_url("AB12CD") == "/p/AB12CD"
    settings.GONGKAI_PORTAL_URL = "https://gk.example.gov.cn/"
    assert qr.short_url("AB12CD", request) == "https://gk.example.gov.cn/p/AB12CD"


@pytest.mark.django_db
def test_png_endpoint_encodes_the_absolute_short_url(w, client, settings):
    settings.GONGKAI_PORTAL_URL = ""
    d = text(w.d1, title="有码的文件")
    code = d.policy.code
    r = client.get(f"/p/{code}.png")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["Cache-Control"] == "public, max-age=604800"
    assert decode_png(r.content) == [f"http://testserver/p/{code}"]
    # And the address it encodes leads to the text.
    assert client.get(f"/p/{code}")["Location"] == f"/portal/documents/{d.pk}/"


@pytest.mark.django_db
def test_the_configured_public_address_is_encoded(w, client, settings):
    settings.GONGKAI_PORTAL_URL = "https://gk.example.gov.cn"
    d = text(w.d1)
    r = client.get(f"/p/{d.policy.code}.png")
    assert decode_png(r.content) == [f"https://gk.example.gov.cn/p/{d.policy.code}"]
    page = client.get(f"/portal/documents/{d.pk}/").content.decode()
    assert f'value="https://gk.example.gov.cn/p/{d.policy.code}"' in page


@pytest.mark.django_db
def test_svg_endpoint(w, client, settings):
    settings.GONGKAI_PORTAL_URL = ""
    d = text(w.d1)
    code = d.policy.code
    r = client.get(f"/p/{code}.svg")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    assert r["Cache-Control"] == "public, max-age=604800"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r.content == qr.qr_svg(f"http://testserver/p/{code}", title=f"政策码 {code}")
    assert re.search(rb"<svg [^>]*>", r.content)


@pytest.mark.django_db
def test_the_code_of_a_revised_policy_stays_the_same(w, client):
    old = text(w.d1, title="旧文本")
    new = text(w.d1, title="新文本", revises=old)
    assert new.policy.code == old.policy.code
    r = client.get(f"/p/{old.policy.code}.png")
    assert decode_png(r.content) == [f"http://testserver/p/{old.policy.code}"]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_no_image_for_an_unknown_or_unpublished_code(w, client, suffix):
    draft = text(w.d1, review_state=ReviewState.DRAFT)
    for code in ("NOSUCH", draft.policy.code):
        r = client.get(f"/p/{code}{suffix}")
        assert r.status_code == 404
        assert f"找不到政策码“{code}”对应的政策文件" in r.content.decode()
