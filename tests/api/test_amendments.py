"""Amending a year whose annual report is published, through the API: refused without the
reason, made and recorded as an amendment with it (《政府信息公开条例》第五十条)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.cases.models import Case
from gongkai.reports.models import Amendment
from tests.factories import register
from tests.reports.helpers import published

from .test_api import register_body

pytestmark = pytest.mark.django_db


def test_a_step_in_a_published_year_needs_the_amendment_reason(w, as_user):
    case = register(w.registrar, w.d1, received_on=date(2024, 12, 20))
    published(w, 2024)
    api = as_user(w.registrar)
    step = {"note": "申请人来电撤回", "day": "2024-12-31"}

    refused = api.act(case.pk, "withdraw", **step)
    assert refused.status_code == 400
    assert "2024年度报告已发布" in refused.json()["detail"]
    assert "年报更正理由" in refused.json()["detail"]
    assert api.act(case.pk, "withdraw", **step, amend_reason="长" * 201).status_code == 422
    assert Amendment.objects.count() == 0

    done = api.act(case.pk, "withdraw", **step, amend_reason="漏记的撤回")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["closed_on"]) == ("closed", "2024-12-31")
    amendment = Amendment.objects.get()
    assert (amendment.year, amendment.case_id, amendment.reason) == (2024, case.pk, "漏记的撤回")
    assert amendment.actor == w.registrar


def test_registering_in_a_published_year_needs_the_amendment_reason(w, as_user):
    published(w, 2024)
    api = as_user(w.registrar)
    body = register_body(w, received_on="2024-12-30")
    refused = api.post("/cases", body)
    assert refused.status_code == 400 and "年报更正理由" in refused.json()["detail"]
    assert Case.objects.count() == 0
    made = api.post("/cases", {**body, "amend_reason": "补登2024年12月30日收到的申请"})
    assert made.status_code == 201, made.content
    assert Amendment.objects.get().reason == "补登2024年12月30日收到的申请"


def test_only_the_steps_that_can_change_a_year_take_the_reason(w, as_user):
    case = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    response = as_user(w.registrar).act(case.pk, "assign", unit_id=w.u1.pk, amend_reason="x")
    assert response.status_code == 422  # unknown field: refused, not silently dropped
