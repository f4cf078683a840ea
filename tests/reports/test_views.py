"""The report pages, exports read back, the portal page parsed back, and the API."""

import io
from datetime import date

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from gongkai.accounts.models import ApiToken
from gongkai.core.report import read_report_bytes
from gongkai.core.report.schema import ALL_CELL_IDS, TABLE3_IDS
from gongkai.reports import services as rs
from gongkai.reports.export import cell_positions, table2_from_xlsx

from .conftest import bulk_cases, random_rows, rng
from .helpers import prepared, published

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report2024(w):
    bulk_cases(w.d1, w.registrar, random_rows(rng(11), 150, date(2024, 1, 1), date(2024, 12, 31)))
    return published(w, 2024)


def test_the_report_page_shows_figures_findings_and_history(w, report2024):
    page = login(w.registrar).get(f"/reports/{report2024.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "测试市教育局2024年政府信息公开工作年度报告" in html
    assert (
        f'data-cell="table3.new.total">{rs.report_document(report2024)["table3"]["new"]["total"]}<'
        in html
    )
    assert "勾稽关系、正文数字和跨年度检查全部通过" in html
    assert "报送测试市人民政府审核" in html and "发布" in html
    assert login(w.registrar2).get(f"/reports/{report2024.pk}/").status_code == 404
    assert login(w.supervisor).get(f"/reports/{report2024.pk}/").status_code == 200


def test_docx_and_xlsx_hold_the_right_numbers(w, report2024):
    doc = rs.report_of(report2024)
    client = login(w.head)
    docx = client.get(f"/reports/{report2024.pk}/download.docx")
    assert docx["Content-Disposition"] == 'attachment; filename="CSJY-2024.docx"'
    word = Document(io.BytesIO(docx.content))
    texts = [p.text for p in word.paragraphs]
    assert "测试市教育局2024年政府信息公开工作年度报告" in texts
    table3 = word.tables[1]
    cells = [c.text for row in table3.rows for c in row.cells]
    assert str(doc.value("table3.new.total")) in cells
    xlsx = client.get(f"/reports/{report2024.pk}/download.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    for cid, sheet, coordinate in cell_positions(doc):
        assert book[sheet][coordinate].value == doc.value(cid), cid
    assert {cid: c.value for cid, c in table2_from_xlsx(xlsx.content).items()} == {
        cid: doc.value(cid) for cid in ALL_CELL_IDS if cid.startswith("table2")
    }


def test_the_portal_page_parses_back_to_the_same_numbers(w, report2024):
    client = Client()
    listing = client.get("/portal/reports/").content.decode()
    assert "测试市教育局2024年政府信息公开工作年度报告" in listing
    page = client.get("/portal/reports/CSJY/2024/")
    assert page.status_code == 200
    back = read_report_bytes(page.content, name="portal.html")
    stored = rs.report_of(report2024)
    assert {cid: back.value(cid) for cid in ALL_CELL_IDS} == {
        cid: stored.value(cid) for cid in ALL_CELL_IDS
    }
    assert back.errors == []
    assert client.get("/portal/reports/CSJY/2024/download.docx").status_code == 200
    draft = prepared(w, 2025)
    assert client.get("/portal/reports/CSJY/2025/").status_code == 404  # not published
    assert draft.status == "draft"


def test_table2_typed_and_imported_on_the_page(w):
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    client = login(w.registrar)
    form = {cid: "" for cid in ALL_CELL_IDS if cid.startswith("table2")}
    form |= {"table2.rules.issued": "十二"}
    response = client.post(f"/reports/{ar.pk}/act/table2/", form, follow=True)
    assert "表二“规章·本年制发件数”应为数字，实为“十二”" in response.content.decode()
    form |= {"table2.rules.issued": "2", "table2.licensing": "/"}
    client.post(f"/reports/{ar.pk}/act/table2/", form)
    doc = rs.report_of(ar.__class__.objects.get(pk=ar.pk))
    assert doc.value("table2.rules.issued") == 2
    assert doc.cell("table2.licensing").state == "not_applicable"
    assert doc.cell("table2.punishment").state == "missing"  # blank stays unknown, never 0
    bad = io.BytesIO(b"not a spreadsheet")
    bad.name = "上报.xlsx"
    response = client.post(f"/reports/{ar.pk}/act/table2-import/", {"file": bad}, follow=True)
    assert "无法读取表格文件“上报.xlsx”：不是有效的 .xlsx 文件" in response.content.decode()
    assert rs.report_of(ar.__class__.objects.get(pk=ar.pk)).value("table2.rules.issued") == 2


def test_rollup_page_and_area_report(w, report2024):
    from gongkai.core.workflow import Role
    from tests.factories import member

    office = member(w.gov, Role.REGISTRAR, Role.HEAD, username="govoffice")
    page = login(office).get(f"/reports/rollup/{w.gov.pk}/2024/").content.decode()
    assert "共 3 个单位：已报送 1 个，逾期 3 个，检查有错误 0 个。" in page
    assert login(w.registrar).get(f"/reports/rollup/{w.gov.pk}/2024/").status_code == 404


def test_api_reads_a_report_and_the_rollup(w, report2024):
    _, raw = ApiToken.issue(w.supervisor, "t")
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get("/api/reports/CSJY/2024", headers=headers).json()
    assert body["schema"] == "gongkai.annual-report/1" and body["status"] == "published"
    assert body["table3"] == rs.report_document(report2024)["table3"]
    roll = client.get(f"/api/reports/{w.gov.code}/2024/rollup", headers=headers).json()
    assert [m["agency"] for m in roll["members"]] == ["CSGOV", "CSJY", "CSZR"]
    assert (roll["submitted"], roll["late"]) == (1, 3)  # submitted in June: late too
    _, other = ApiToken.issue(w.registrar2, "t2")
    response = client.get("/api/reports/CSJY/2025", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 404
    assert len(TABLE3_IDS) == 175


def test_remedies_and_amendments_from_the_case_page(w, report2024):
    from gongkai.cases.models import Remedy
    from gongkai.reports.models import Amendment
    from tests.factories import register

    case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
    client = login(w.registrar)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "行政复议与行政诉讼" in page and "年报更正理由" in page
    form = {"remedy-kind": "litigation", "remedy-after_reconsideration": "on",
            "remedy-filed_on": "2025-06-01", "remedy-body": "测试市中级人民法院"}  # fmt: skip
    response = client.post(f"/cases/{case.pk}/remedies/", form, follow=True)
    assert "已登记复议/诉讼" in response.content.decode()
    remedy = Remedy.objects.get()
    assert remedy.group == "litigation_after_reconsideration"
    decide = {"decide-result": "upheld", "decide-decided_on": ""}
    response = client.post(f"/cases/{case.pk}/remedies/{remedy.pk}/", decide, follow=True)
    assert "尚未审结的不填审结日期；已审结的请填写审结日期" in response.content.decode()
    decide["decide-decided_on"] = "2025-06-10"
    client.post(f"/cases/{case.pk}/remedies/{remedy.pk}/", decide)
    remedy.refresh_from_db()
    assert (remedy.result, remedy.decided_on) == ("upheld", date(2025, 6, 10))
    # a step dated in the published year: refused, then made as an amendment
    old = register(
        w.registrar,
        w.d1,
        received_on=date(2024, 12, 30),
        amend_reason="补登2024年12月30日收到的申请",
    )
    url = f"/cases/{old.pk}/act/withdraw/"
    data = {"withdraw-note": "申请人来电撤回", "withdraw-day": "2024-12-31"}
    assert "2024年度报告已发布，该年度数据已锁定" in client.post(url, data).content.decode()
    client.post(url, {**data, "amend_reason": "漏记的撤回"})
    old.refresh_from_db()
    assert (old.status, old.closed_on) == ("closed", date(2024, 12, 31))
    assert [a.reason for a in Amendment.objects.order_by("id")] == [
        "补登2024年12月30日收到的申请",
        "漏记的撤回",
    ]


def test_the_amendment_reason_is_asked_only_where_a_figure_can_move(w, report2024):
    """With a published year, the field shows on the actions whose service takes
    ``amend_reason`` (withdrawal moves a conclusion) and not on the others (an opinion)."""
    from gongkai.cases.models import Assignment
    from tests.factories import register

    case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
    page = login(w.registrar).get(f"/cases/{case.pk}/").content.decode()
    withdraw = page[page.index('id="action-withdraw"') :]
    withdraw = withdraw[: withdraw.index("</details>")]
    assign = page[page.index('id="action-assign"') :]
    assign = assign[: assign.index("</details>")]
    assert 'name="amend_reason"' in withdraw
    assert 'name="amend_reason"' not in assign
    assert Assignment.objects.count() == 0


def test_a_late_application_of_a_published_year_is_registered_with_a_reason(w, report2024):
    """The year lock's message asks for “年报更正理由”: the registration page has that field."""
    from gongkai.cases.models import Case
    from gongkai.reports.models import Amendment
    from tests.factories import resident_id

    client = login(w.registrar)
    data = {
        "agency": w.d1.pk,
        "channel": "signed_post",
        "received_on": "2024-12-30",
        "applicant_kind": "natural_person",
        "applicant_name": "王五",
        "id_type": "resident_id",
        "id_number": resident_id(7),
        "phone": "13912345678",
        "request_text": "某文件",
        "form_wanted": "paper",
        "delivery_wanted": "post",
    }
    before = Case.objects.count()
    refused = client.post("/cases/new/", data)
    assert refused.status_code == 400
    assert "2024年度报告已发布，该年度数据已锁定" in refused.content.decode()
    assert "年报更正理由" in refused.content.decode()
    assert Case.objects.count() == before
    done = client.post("/cases/new/", {**data, "amend_reason": "12月30日的挂号信漏登"})
    assert done.status_code == 302
    assert [a.reason for a in Amendment.objects.all()] == ["12月30日的挂号信漏登"]


def test_only_the_agencys_head_reaches_an_amendment_to_acknowledge(w, report2024):
    from gongkai.reports.models import Amendment
    from tests.factories import register

    register(w.registrar, w.d1, received_on=date(2024, 12, 30), amend_reason="补登漏记的申请")
    amendment = Amendment.objects.get()
    # Another agency's head learns nothing: the same answer as for a number that does not exist.
    other = login(w.head2).post(f"/reports/amendments/{amendment.pk}/ack/")
    assert other.status_code == 404
    assert login(w.head2).post("/reports/amendments/999999/ack/").status_code == 404
    amendment.refresh_from_db()
    assert amendment.acknowledged_at is None
    login(w.head).post(f"/reports/amendments/{amendment.pk}/ack/")
    amendment.refresh_from_db()
    assert amendment.acknowledged_by == w.head
