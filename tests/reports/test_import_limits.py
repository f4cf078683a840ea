"""The import page reads uploads in a worker process within a time and a memory limit.

A file that cannot be read in time, or within the memory allowed, is refused with a form
error on an HTTP 200 page (never a 500), and the report already stored stays as it was.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client

from gongkai.reports import services as rs
from gongkai.reports.models import AnnualReport
from tests.report_pdf import bomb_pdf

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture
def imported(w):
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    return rs.report_import(actor=w.registrar, agency=w.d1, year=2024, data=data, name="q.txt")


def _post(w, name: str, data: bytes):
    form = {"agency": w.d1.pk, "year": 2024, "file": _upload(name, data)}
    return login(w.registrar).post("/reports/import/", form)


def test_a_file_not_read_in_time_is_a_form_error_and_nothing_is_lost(w, imported, settings):
    settings.GONGKAI_IMPORT_TIMEOUT = 0.05
    before = rs.report_document(AnnualReport.objects.get(pk=imported.pk))
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    response = _post(w, "slow.txt", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“slow.txt”文件过于复杂，未能在 0.05 秒内读完" in html
    assert 'role="alert"' in html
    after = AnnualReport.objects.get(pk=imported.pk)
    assert rs.report_document(after) == before and after.source_name == "q.txt"


def test_a_file_over_the_memory_limit_is_a_form_error(w, imported, settings):
    settings.GONGKAI_IMPORT_MEMORY_MB = 160
    before = rs.report_document(AnnualReport.objects.get(pk=imported.pk))
    response = _post(w, "bomb.pdf", bomb_pdf(200))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“bomb.pdf”文件过于复杂" in html or "压缩炸弹" in html
    assert rs.report_document(AnnualReport.objects.get(pk=imported.pk)) == before


def test_a_decompression_bomb_is_refused_clearly(w, imported):
    response = _post(w, "bomb.pdf", bomb_pdf(200))
    assert response.status_code == 200
    assert "可能是“压缩炸弹”" in response.content.decode()


def test_a_readable_file_is_still_imported_through_the_page(w):
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    response = _post(w, "q.txt", data)
    assert response.status_code == 302
    ar = AnnualReport.objects.get(agency=w.d1, year=2024)
    assert ar.source_name == "q.txt"
