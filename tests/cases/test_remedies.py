"""Reconsiderations and lawsuits recorded on a case (《政府信息公开条例》第五十一条): the
services, the case page's panel and its two forms, without any annual report involved."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Remedy, RemedyKind, RemedyResult
from gongkai.cases.selectors import locked_years
from gongkai.cases.services import CaseError, remedy_decide, remedy_record
from gongkai.cases.signals import locked_years_asked
from tests.factories import register

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_record_and_decide_a_reconsideration(w):
    case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
    remedy = remedy_record(
        actor=w.registrar, case=case, kind=RemedyKind.RECONSIDERATION,
        filed_on=date(2025, 5, 6), body=" 测试市人民政府 ", reference="测府复〔2025〕3号",
    )  # fmt: skip
    assert (remedy.body, remedy.result, remedy.group) == (
        "测试市人民政府",
        RemedyResult.PENDING,
        "reconsideration",
    )
    remedy = remedy_decide(
        actor=w.head, remedy=remedy.pk, result=RemedyResult.CORRECTED,
        decided_on=date(2025, 6, 10), note="责令重新答复",
    )  # fmt: skip
    assert (remedy.result, remedy.decided_on, remedy.note) == (
        "corrected",
        date(2025, 6, 10),
        "责令重新答复",
    )
    assert list(case.remedies.all()) == [remedy]
    assert AuditEntry.objects.filter(action="case.remedy").count() == 2


def test_what_is_refused(w):
    case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
    with pytest.raises(CaseError, match="只有行政诉讼才有“复议后起诉”"):
        remedy_record(actor=w.registrar, case=case, kind="reconsideration",
                      filed_on=date(2025, 5, 6), body="测试市人民政府",
                      after_reconsideration=True)  # fmt: skip
    with pytest.raises(CaseError, match="请填写复议机关或受理法院"):
        remedy_record(actor=w.registrar, case=case, kind="litigation",
                      filed_on=date(2025, 5, 6), body=" ")  # fmt: skip
    with pytest.raises(CaseError, match="不能早于收到申请的日期"):
        remedy_record(actor=w.registrar, case=case, kind="litigation",
                      filed_on=date(2025, 3, 2), body="测试市中级人民法院")  # fmt: skip
    with pytest.raises(CaseError, match="只有受理机关的登记员或公开工作机构负责人"):
        remedy_record(actor=w.supervisor, case=case, kind="litigation",
                      filed_on=date(2025, 5, 6), body="测试市中级人民法院")  # fmt: skip
    remedy = remedy_record(actor=w.registrar, case=case, kind="litigation",
                           filed_on=date(2025, 5, 6), body="测试市中级人民法院")  # fmt: skip
    with pytest.raises(CaseError, match="不能早于申请复议/起诉日期"):
        remedy_decide(actor=w.registrar, remedy=remedy, result="upheld",
                      decided_on=date(2025, 5, 5))  # fmt: skip
    with pytest.raises(CaseError, match="尚未审结的不填审结日期"):
        remedy_decide(actor=w.registrar, remedy=remedy, result="pending",
                      decided_on=date(2025, 5, 7))  # fmt: skip
    assert Remedy.objects.get().result == "pending"


def test_routes_keep_their_paths():
    assert reverse("cases:remedy_add", args=[7]) == "/cases/7/remedies/"
    assert reverse("cases:remedy_decide", args=[7, 3]) == "/cases/7/remedies/3/"


def test_the_panel_on_the_case_page(w):
    case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
    client = login(w.registrar)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "行政复议与行政诉讼" in page and "未登记行政复议或行政诉讼。" in page
    assert f'action="/cases/{case.pk}/remedies/"' in page
    assert "年报更正理由 <input" not in page  # no year of d1 is locked
    form = {"remedy-kind": "reconsideration", "remedy-filed_on": "2025-04-01",
            "remedy-body": "测试市人民政府"}  # fmt: skip
    response = client.post(f"/cases/{case.pk}/remedies/", form, follow=True)
    assert "已登记复议/诉讼" in response.content.decode()
    remedy = Remedy.objects.get()
    decide = {"decide-result": "other", "decide-decided_on": "2025-05-01"}
    response = client.post(f"/cases/{case.pk}/remedies/{remedy.pk}/", decide, follow=True)
    assert "已登记复议/诉讼结果" in response.content.decode()
    remedy.refresh_from_db()
    assert (remedy.result, remedy.decided_on) == ("other", date(2025, 5, 1))
    # another agency's office sees no such case
    assert login(w.registrar2).post(f"/cases/{case.pk}/remedies/", form).status_code == 404


def test_locked_years_are_whatever_the_receivers_answer(w):
    def answer(*, agency_id, **_):
        return {2023} if agency_id == w.d1.pk else set()

    locked_years_asked.connect(answer, dispatch_uid="test-locked-years")
    try:
        assert 2023 in locked_years(w.d1.pk)
        case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
        page = login(w.registrar).get(f"/cases/{case.pk}/").content.decode()
        assert "年报更正理由 <input" in page
    finally:
        locked_years_asked.disconnect(dispatch_uid="test-locked-years")
