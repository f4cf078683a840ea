"""The guard rails around publishing a year's report: the draft's marks block every step,
publishing is confirmed, a published report can be withdrawn with a reason (and the public
sees that it was), the draft page says when the cases changed and how many are still open,
findings are shown by their Chinese titles."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases.services import CaseError, case_withdraw
from gongkai.core.workflow import Role
from gongkai.reports import services as rs
from gongkai.reports.compute import cases_fingerprint, open_cases
from gongkai.reports.lock import published_years
from gongkai.reports.models import Amendment, AnnualReport, ReportStatus, ReportWithdrawal
from tests.factories import member, register

from .helpers import errors, fill_narrative, prepared, published, table2_cells

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).parents[2] / "examples" / "reports"
REASON = "表三漏计2024年12月30日收到的信件申请1件，更正后重新发布"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class _Text(HTMLParser):
    """The text a reader sees: no tags, no attributes, no script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join("".join(parser.parts).split())


# --- the draft's marks ---------------------------------------------------------------------


def unfilled(w, year: int, agency=None, actor=None) -> AnnualReport:
    """A draft with table 二 entered but the narrative as drafted."""
    ar = rs.report_prepare(actor=actor or w.registrar, agency=agency or w.d1, year=year)
    return rs.report_table2_save(actor=actor or w.registrar, report=ar, cells=table2_cells())


def test_marks_left_in_the_text_refuse_submit_accept_and_publish(w):
    ar = unfilled(w, 2024)
    named = "第一部分“总体情况”中的提示语“请在此补充……”、（请根据本机关实际情况修改）"
    with pytest.raises(rs.ReportError, match="不能报送：正文尚有未按本机关实际情况填写") as refused:
        rs.report_submit(actor=w.head, report=ar)
    assert named in str(refused.value)
    assert (
        "第六部分“其他需要报告的事项”之“（三）人大代表建议和政协提案办理结果公开情况”中的"
        in str(refused.value)
    )
    # A report submitted as it was (by an older version of the platform) is not accepted either.
    AnnualReport.objects.filter(pk=ar.pk).update(status=ReportStatus.SUBMITTED)
    with pytest.raises(rs.ReportError, match="不能审核通过：正文尚有"):
        rs.report_accept(actor=w.supervisor, report=ar)
    # A top-level government publishes its own report directly: refused the same way.
    office = member(w.gov, Role.REGISTRAR, Role.HEAD, username="govoffice")
    own = unfilled(w, 2024, agency=w.gov, actor=office)
    with pytest.raises(rs.ReportError, match="不能发布：正文尚有") as refused:
        rs.report_publish(actor=office, report=own, confirmed=True)
    assert named in str(refused.value)
    own = fill_narrative(office, own)
    assert own.errors == 0, errors(own)
    assert rs.report_publish(actor=office, report=own, confirmed=True).status == "published"


def test_inside_the_year_the_year_is_named_before_the_marks(w):
    """On a day of the report's own year the refusal says the year is not over (the marks
    are listed on the page as errors besides)."""
    ar = unfilled(w, 2025)
    with pytest.raises(rs.ReportError, match=r"^2025年尚未结束（今天是2025-06-16）"):
        rs.report_submit(actor=w.head, report=ar)


# --- publishing is confirmed ---------------------------------------------------------------


def test_the_publish_form_asks_for_the_confirmation(w):
    office = member(w.gov, Role.REGISTRAR, Role.HEAD, username="govoffice")
    own = fill_narrative(office, unfilled(w, 2024, agency=w.gov, actor=office))
    client = login(office)
    page = client.get(f"/reports/{own.pk}/").content.decode()
    assert '<input type="checkbox" name="confirm" value="yes" id="id_confirm" required>' in page
    assert "我已核对报告内容，确认向社会公开发布" in page
    assert "2024年度的申请数据随之锁定" in page
    response = client.post(f"/reports/{own.pk}/act/publish/", follow=True)
    assert "发布前请核对报告内容，并勾选“我已核对报告内容，确认向社会公开发布”" in (
        response.content.decode()
    )
    own.refresh_from_db()
    assert own.status == ReportStatus.DRAFT
    response = client.post(f"/reports/{own.pk}/act/publish/", {"confirm": "yes"}, follow=True)
    assert "已发布，报告已在门户网站公开" in response.content.decode()
    own.refresh_from_db()
    assert own.status == ReportStatus.PUBLISHED


# --- withdrawal ----------------------------------------------------------------------------


def test_a_published_report_is_withdrawn_with_a_reason_and_published_again(w):
    register(w.registrar, w.d1, received_on=date(2024, 12, 20))
    ar = published(w, 2024)
    first_published = ar.published_at
    with pytest.raises(CaseError, match="2024年度报告已发布"):
        register(w.registrar, w.d1, received_on=date(2024, 12, 30))
    register(w.registrar, w.d1, received_on=date(2024, 12, 30), amend_reason="补登信件申请")
    assert Amendment.objects.count() == 1

    with pytest.raises(rs.ReportError, match="撤回发布须填写撤回理由"):
        rs.report_withdraw(actor=w.head, report=ar, reason="  ")
    with pytest.raises(rs.ReportError, match="只有本机关公开工作机构负责人可以撤回发布"):
        rs.report_withdraw(actor=w.registrar, report=ar, reason=REASON)
    with pytest.raises(rs.ReportError, match="只有本机关公开工作机构负责人可以撤回发布"):
        rs.report_withdraw(actor=w.supervisor, report=ar, reason=REASON)
    with pytest.raises(rs.ReportError, match="没有这份年度报告，或无权查看"):
        rs.report_withdraw(actor=w.head2, report=ar, reason=REASON)  # another department

    ar = rs.report_withdraw(actor=w.head, report=ar, reason=REASON)
    assert (ar.status, ar.editable, ar.published_at) == (ReportStatus.WITHDRAWN, True, None)
    withdrawal = ReportWithdrawal.objects.get()
    assert (withdrawal.reason, withdrawal.published_at, withdrawal.actor) == (
        REASON,
        first_published,
        w.head,
    )
    assert withdrawal.document["table3"]["new"]["total"] == 1  # as published: one case
    step = ar.steps.last()
    assert (step.action, step.status, step.comment) == ("撤回发布", "withdrawn", REASON)
    entry = AuditEntry.objects.get(action="report.撤回发布")
    assert REASON in entry.message and entry.actor == w.head
    with pytest.raises(rs.ReportError, match="只有已发布的报告可以撤回发布"):
        rs.report_withdraw(actor=w.head, report=ar, reason=REASON)

    # The year is open again; the amendment made while it was published stays on record.
    assert published_years(w.d1.pk) == set()
    register(w.registrar, w.d1, received_on=date(2024, 12, 31))
    assert Amendment.objects.count() == 1
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2024)
    assert rs.report_document(ar)["table3"]["new"]["total"] == 3  # 12-20, 12-30, 12-31

    ar = rs.report_accept(actor=w.supervisor, report=rs.report_submit(actor=w.head, report=ar))
    ar = rs.report_publish(actor=w.head, report=ar, confirmed=True)
    assert ar.status == ReportStatus.PUBLISHED and published_years(w.d1.pk) == {2024}
    assert [s.action for s in ar.steps.all()][-6:] == [
        "发布", "撤回发布", "重新统计", "报送测试市人民政府审核", "审核通过", "发布",
    ]  # fmt: skip


def test_only_a_report_made_here_and_published_is_withdrawn(w):
    draft = prepared(w, 2024)
    with pytest.raises(rs.ReportError, match="只有已发布的报告可以撤回发布"):
        rs.report_withdraw(actor=w.head, report=draft, reason=REASON)
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    imported = rs.report_import(actor=w.registrar2, agency=w.d2, year=2024, data=data, name="q.txt")
    with pytest.raises(rs.ReportError, match="导入的已发布报告是在别处发布的，不能在本平台撤回"):
        rs.report_withdraw(actor=w.head2, report=imported, reason=REASON)


def test_the_public_sees_that_a_report_was_withdrawn_and_why(w):
    ar = published(w, 2024)
    client = Client()
    assert "/portal/reports/CSJY/2024/" in client.get("/portal/reports/").content.decode()
    rs.report_withdraw(actor=w.head, report=ar, reason=REASON)

    listing = client.get("/portal/reports/").content.decode()
    assert "测试市教育局2024年政府信息公开工作年度报告" in listing
    assert "已撤回" in listing and f"撤回理由：{REASON}" in listing
    assert "/portal/reports/CSJY/2024/" not in listing  # its content is no longer offered
    page = client.get("/portal/reports/CSJY/2024/")
    assert page.status_code == 410
    assert f"撤回理由：{REASON}" in page.content.decode()
    assert client.get("/portal/reports/CSJY/2024/download.docx").status_code == 410
    assert client.get("/portal/reports/CSJY/2023/").status_code == 404  # never published

    staff = login(w.head).get(f"/reports/{ar.pk}/").content.decode()
    assert "撤回发布记录" in staff and REASON in staff
    version = ReportWithdrawal.objects.get()
    shown = login(w.head).get(f"/reports/{ar.pk}/withdrawn/{version.pk}/")
    assert shown.status_code == 200 and "测试市教育局" in shown.content.decode()
    assert login(w.registrar2).get(f"/reports/{ar.pk}/withdrawn/{version.pk}/").status_code == 404

    ar = fill_narrative(w.registrar, AnnualReport.objects.get(pk=ar.pk))
    ar = rs.report_accept(actor=w.supervisor, report=rs.report_submit(actor=w.head, report=ar))
    rs.report_publish(actor=w.head, report=ar, confirmed=True)
    listing = client.get("/portal/reports/").content.decode()
    assert "/portal/reports/CSJY/2024/" in listing
    assert (
        f"此前发布的版本已于2025-06-16撤回（撤回理由：{REASON}），本报告为更正后重新发布的版本"
        in listing
    )
    assert client.get("/portal/reports/CSJY/2024/").status_code == 200


def test_the_withdraw_form_is_offered_to_the_head_only(w):
    ar = published(w, 2024)
    assert 'name="reason"' in login(w.head).get(f"/reports/{ar.pk}/").content.decode()
    assert 'name="reason"' not in login(w.registrar).get(f"/reports/{ar.pk}/").content.decode()
    response = login(w.head).post(f"/reports/{ar.pk}/act/withdraw/", {"reason": ""}, follow=True)
    assert "撤回发布须填写撤回理由" in response.content.decode()
    response = login(w.head).post(
        f"/reports/{ar.pk}/act/withdraw/", {"reason": REASON}, follow=True
    )
    assert "已撤回发布：该年度数据已解除锁定" in response.content.decode()
    assert AnnualReport.objects.get(pk=ar.pk).status == ReportStatus.WITHDRAWN


# --- the draft page --------------------------------------------------------------------


def test_the_draft_page_says_when_the_cases_changed_since_the_count(w):
    register(w.registrar, w.d1, received_on=date(2024, 3, 4))
    ar = prepared(w, 2024)
    client = login(w.registrar)
    notice = "自上次统计后本年度申请已有变化，请重新统计"
    assert notice not in client.get(f"/reports/{ar.pk}/").content.decode()
    before = cases_fingerprint(2024, w.d1.pk)
    register(w.registrar, w.d1, received_on=date(2025, 1, 6))  # next year's: no change
    assert cases_fingerprint(2024, w.d1.pk) == before
    register(w.registrar, w.d1, received_on=date(2024, 11, 3))
    assert cases_fingerprint(2024, w.d1.pk) != before
    page = client.get(f"/reports/{ar.pk}/").content.decode()
    assert notice in page and "按最新案件数据重新统计" in page
    response = client.post(f"/reports/{ar.pk}/act/recount/", follow=True).content.decode()
    assert "已按最新案件数据重新统计" in response and notice not in response
    assert rs.report_document(AnnualReport.objects.get(pk=ar.pk))["table3"]["new"]["total"] == 2


def test_the_page_tells_how_many_cases_of_the_year_are_still_open(w):
    """Three applications received in 2024, one withdrawn on 31 December: two still open
    (counted as 结转下年度继续办理), one of 2025 not counted."""
    register(w.registrar, w.d1, received_on=date(2024, 5, 6))
    register(w.registrar, w.d1, received_on=date(2024, 12, 2))
    done = register(w.registrar, w.d1, received_on=date(2024, 12, 9))
    case_withdraw(actor=w.registrar, case=done, day=date(2024, 12, 31), note="申请人撤回")
    register(w.registrar, w.d1, received_on=date(2025, 2, 3))
    ar = prepared(w, 2024)
    assert open_cases(2024, w.d1.pk) == 2
    assert rs.report_document(ar)["table3"]["carried_out"]["total"] == 2
    page = visible(login(w.head).get(f"/reports/{ar.pk}/").content.decode())
    assert "2024年12月31日前收到的申请中，目前尚有2件未办结" in page
    assert "计入“结转下年度继续办理”，这是允许的" in page


def test_findings_are_shown_by_their_titles_not_their_codes(w):
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2024)
    html = login(w.registrar).get(f"/reports/{ar.pk}/").content.decode()
    text = visible(html)
    assert "错误·表二尚未填报：" in text and "错误·正文尚未写完：" in text
    assert 'data-code="T2_NOT_ENTERED"' in html  # kept for auditors, out of sight
    assert not re.search(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", text)


def test_an_imported_report_reads_with_chinese_punctuation(w):
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    ar = rs.report_import(actor=w.registrar, agency=w.d1, year=2024, data=data, name="q.txt")
    text = "\n".join(rs.report_of(ar).narrative.values())
    assert "（以下简称《条例》）" in text
    assert not re.search(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", text)


def test_an_accepted_report_whose_cases_changed_goes_back_to_be_recounted(w):
    """A case of the year registered late, after acceptance: publishing is refused (the
    figures are stale), the page says why, and the supervising office can send it back."""
    ar = prepared(w, 2024)
    ar = rs.report_accept(actor=w.supervisor, report=rs.report_submit(actor=w.head, report=ar))
    register(w.registrar, w.d1, received_on=date(2024, 12, 30))
    page = visible(login(w.head).get(f"/reports/{ar.pk}/").content.decode())
    assert (
        "自上次统计后本年度申请已有变化，请重新统计。报告审核通过，须由审核单位退回后才能重新统计。"
        in page
    )
    with pytest.raises(rs.ReportError, match="不能发布：统计后案件数据有变化"):
        rs.report_publish(actor=w.head, report=ar, confirmed=True)
    with pytest.raises(rs.ReportError, match="不能修改"):
        rs.report_prepare(actor=w.registrar, agency=w.d1, year=2024)
    assert "退回修改" in login(w.supervisor).get(f"/reports/{ar.pk}/").content.decode()
    ar = rs.report_return(actor=w.supervisor, report=ar, comment="请重新统计12月30日登记的申请")
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2024)
    assert rs.report_document(ar)["table3"]["new"]["total"] == 1
    ar = rs.report_accept(actor=w.supervisor, report=rs.report_submit(actor=w.head, report=ar))
    assert rs.report_publish(actor=w.head, report=ar, confirmed=True).status == "published"
    with pytest.raises(rs.ReportError, match="只有已报送待审核、或审核通过尚未发布的报告可以退回"):
        rs.report_return(actor=w.supervisor, report=ar, comment="x")
