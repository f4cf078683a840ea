"""The portal's status page reads a fixed number of rows sets, however long the case's
history: the session, the case, its events, its letters (delivery known by a subquery)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.cases.services import case_extend, case_receive_correction, case_request_correction
from tests.factories import register

pytestmark = pytest.mark.django_db


def _status_queries(client: Client, number: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as q:
        response = client.get(f"/portal/status/{number}/")
    assert response.status_code == 200
    return len(q.captured_queries), response.content.decode()


def test_status_page_queries_do_not_grow_with_the_history(w, pinned, steady_calendar):
    case = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    client = Client()
    r = client.post("/portal/status/", {"number": case.number, "code": case.query_code})
    assert r.status_code == 302
    before, _ = _status_queries(client, case.number)

    case_request_correction(
        actor=w.registrar, case=case, what="请写明文件名称", reply_by=date(2025, 6, 30)
    )
    case_receive_correction(actor=w.registrar, case=case)
    case_extend(actor=w.head, case=case, working_days=10, reason="需调取档案")
    after, body = _status_queries(client, case.number)

    assert case.letters.count() >= 3 and case.events.count() >= 4
    # session, case, events, letters (with whether each was sent)
    assert after == before == 4
    assert "延期答复" in body and "告知补正" in body
