"""Reports as rows: every figure a ReportCell, the JSON contract rebuilt from the rows, the
imported file kept as a SourceDocument, reports of agencies outside the tree, and the
constraints that hold it together.

Expected figures come from the published seeds (``examples/reports``, the same files as
``../shared/seeds``) through their golden files, and from the existing fixtures of the
table-二 import; never from the code under test.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.test import Client

from gongkai.core.report import CellState, parse_text, read_report, to_json
from gongkai.core.report.schema import (
    ALL_CELL_IDS,
    TABLE2_IDS,
    TABLE3_COLUMN_KEYS,
    TABLE4_IDS,
    table3_id,
)
from gongkai.core.workflow import Role
from gongkai.reports import services as rs
from gongkai.reports.models import AnnualReport, ReportCell, ReportSource, ReportStatus
from gongkai.reports.rollup import rollup
from tests.core.report.test_fused import _fused_document
from tests.factories import UserFactory, member

from .helpers import prepared
from .test_export import HAND_CELLS, HAND_ROWS, xlsx

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports"
GOLDEN = Path(__file__).parents[1] / "core" / "report" / "golden"


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def golden_values(name: str) -> dict[str, int | Decimal]:
    """Every cell id with the value the seed publishes (its golden file)."""
    exp = golden(name)
    out: dict[str, int | Decimal] = {}
    for cid, v in zip(TABLE2_IDS, exp["table2"], strict=True):
        out[cid] = Decimal(v) if isinstance(v, str) else v
    for row, values in exp["table3"].items():
        for col, v in zip(TABLE3_COLUMN_KEYS, values, strict=True):
            out[table3_id(row, col)] = v
    out |= dict(zip(TABLE4_IDS, exp["table4"], strict=True))
    return out


def rows_of(ar: AnnualReport) -> dict[str, ReportCell]:
    return {c.cell: c for c in ReportCell.objects.filter(report=ar)}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- round trips of every cell state ------------------------------------------------------


def test_printed_figures_of_a_published_seed(w):
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    ar = rs.report_import(actor=w.registrar, agency=w.d1, year=2024, data=data, name="q.txt")
    rows = rows_of(ar)
    want = golden_values("qingdao-2024")
    assert set(rows) == set(ALL_CELL_IDS)
    assert {cid: r.value for cid, r in rows.items()} == want
    assert {(r.state, r.reading, r.published) for r in rows.values()} == {
        ("printed", "number", None)
    }
    # the document holds no figures; the contract comes back from the rows
    assert not {"table2", "table3", "table4", "cells"} & set(ar.document)
    stored = rs.report_document(ar)
    engine = to_json(read_report(EXAMPLES / "qingdao-2024.txt"))
    for key in ("table2", "table3", "table4", "cells"):
        assert stored[key] == engine[key], key
    assert list(stored) == list(to_json(rs.report_of(ar)))  # same keys, same order
    # one figure across reports, in SQL
    total = ReportCell.objects.filter(cell="table3.new.total", report__year=2024).aggregate(
        n=Sum("value")
    )
    assert total["n"] == golden("qingdao-2024")["table3"]["new"][6]


def test_recovered_and_ambiguous_figures_of_a_run_together_table(w):
    """The qingdao seed with the separators between its digits lost: most cells are
    recovered by the table's arithmetic, a few stay ambiguous with their candidates."""
    text = _fused_document("qingdao-2024.json")
    ar = rs.report_import_outside(
        actor=w.supervisor, data=text.encode(), name="qingdao-fused.txt", origin="测试"
    )
    rows = rows_of(ar)
    want = golden_values("qingdao-2024")
    engine = parse_text(text)
    recovered = {cid: r for cid, r in rows.items() if r.state == "recovered"}
    unknown = {cid: r for cid, r in rows.items() if r.state == "unknown"}
    assert recovered and unknown
    for cid, row in recovered.items():
        assert (row.reading, row.value) == ("recovered", want[cid]), cid
        assert "分隔丢失" in row.recovered_by
        assert row.published == engine.cell(cid).published
    for cid, row in unknown.items():
        assert (row.reading, row.value) == ("ambiguous", None), cid
        assert want[cid] in row.candidates, cid  # the published figure is among them
    stored = rs.report_document(ar)
    assert stored["cells"] == to_json(engine)["cells"]
    back = rs.report_of(ar)
    assert {cid: back.cell(cid) for cid in ALL_CELL_IDS} == {
        cid: engine.cell(cid) for cid in ALL_CELL_IDS
    }


def test_blank_not_applicable_and_missing_figures_of_table2(w):
    ar = prepared(w, 2025)
    ar = rs.report_table2_import(actor=w.registrar, report=ar, data=xlsx(("表二", HAND_ROWS)),
                                 name="表二.xlsx")  # fmt: skip
    rows = rows_of(ar)
    for cid, cell in HAND_CELLS.items():
        assert rows[cid].value == cell.value, cid
    assert (rows["table2.normative.repealed"].state, rows["table2.normative.repealed"].reading) == (
        "blank",
        "blank",
    )
    assert rows["table2.normative.repealed"].published == ""  # published empty, not NULL
    assert (rows["table2.punishment"].state, rows["table2.punishment"].published) == ("blank", "/")
    assert rows["table2.fees_wan_yuan"].value == Decimal("0.35")
    assert rows["table2.normative.in_force"].published == "1,234"  # printed with a separator
    back = rs.report_of(ar)
    for cid, cell in HAND_CELLS.items():
        assert (back.cell(cid).state, back.value(cid)) == (cell.state, cell.value), cid
    stored = rs.report_document(ar)
    assert stored["cells"]["table2.enforcement"] == {"state": "blank", "published": ""}
    assert stored["cells"]["table2.punishment"] == {"state": "not_applicable", "published": "/"}
    assert stored["table2"]["fees_wan_yuan"] == 0.35
    # typed in on the page: an empty field stays unknown, never 0
    form = dict.fromkeys(TABLE2_IDS, "") | {"table2.rules.issued": "2"}
    login(w.registrar).post(f"/reports/{ar.pk}/act/table2/", form)
    rows = rows_of(ar)
    assert (rows["table2.licensing"].state, rows["table2.licensing"].value) == ("unknown", None)
    assert rows["table2.licensing"].reading == "missing"
    assert rs.report_of(ar).cell("table2.licensing").state is CellState.MISSING
    assert (rows["table2.rules.issued"].state, rows["table2.rules.issued"].value) == ("printed", 2)


def test_a_decimal_fee_keeps_its_decimals(w):
    data = (EXAMPLES / "boshan-2024.txt").read_bytes()
    ar = rs.report_import_outside(actor=w.supervisor, data=data, name="boshan.txt")
    fee = rows_of(ar)["table2.fees_wan_yuan"]
    assert fee.value == Decimal(golden("boshan-2024")["table2"][9])  # "1728.59"
    assert rs.report_document(ar)["table2"]["fees_wan_yuan"] == 1728.59
    assert rs.report_of(ar).value("table2.fees_wan_yuan") == Decimal("1728.59")


# --- a report of an agency outside the tree -----------------------------------------------


def test_a_report_of_an_agency_outside_the_tree(w):
    data = (EXAMPLES / "boshan-2024.txt").read_bytes()
    with pytest.raises(rs.ReportError, match="只有平台管理员或监督人员"):
        rs.report_import_outside(actor=w.registrar, data=data, name="boshan.txt")
    ar = rs.report_import_outside(
        actor=w.supervisor, data=data, name="boshan.txt", origin="https://www.boshan.gov.cn/"
    )
    exp = golden("boshan-2024")
    assert (ar.agency, ar.agency_name, ar.year) == (None, exp["agency"], exp["year"])
    assert (ar.source, ar.status, ar.scope) == (ReportSource.IMPORTED, ReportStatus.PUBLISHED,
                                                "agency")  # fmt: skip
    assert str(ar) == "淄博市博山区人民政府2024年政府信息公开工作年度报告"
    assert {cid: r.value for cid, r in rows_of(ar).items()} == golden_values("boshan-2024")
    source = ar.source_document
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert (source.name, source.size, source.uploaded_by) == ("boshan.txt", len(data), w.supervisor)
    assert source.origin == "https://www.boshan.gov.cn/"
    assert "政府信息公开" in source.text and exp["agency"] in source.text
    # importing the same file again: the same report, the same source document
    again = rs.report_import_outside(actor=w.supervisor, data=data, name="b2.txt")
    assert (again.pk, again.source_document_id) == (ar.pk, source.pk)
    assert [s.action for s in again.steps.all()] == [
        "导入其他机关已发布报告",
        "重新导入其他机关已发布报告",
    ]
    # an agency of the tree is imported by its own office, not as an outside report
    with pytest.raises(rs.ReportError, match="测试市教育局是本平台的机关"):
        rs.report_import_outside(
            actor=w.supervisor, data=data, name="b.txt", agency_name="测试市 教育局"
        )


def test_outside_reports_in_listings_pages_and_rollups(w):
    data = (EXAMPLES / "boshan-2024.txt").read_bytes()
    ar = rs.report_import_outside(actor=w.supervisor, data=data, name="boshan.txt")
    admin = UserFactory(username="root", is_superuser=True)
    for user in (w.supervisor, admin):
        client = login(user)
        assert "淄博市博山区人民政府" in client.get("/reports/").content.decode()
        page = client.get(f"/reports/{ar.pk}/")
        assert page.status_code == 200
        assert "本平台以外的机关（仅供分析）" in page.content.decode()
        assert "boshan.txt" in page.content.decode()
    download = login(w.supervisor).get(f"/reports/{ar.pk}/download.json")
    assert json.loads(download.content) == rs.report_document(ar)
    assert login(w.supervisor).get(f"/reports/{ar.pk}/download.docx").status_code == 200
    # the agency's own office and anyone without oversight see nothing of it
    assert "淄博市博山区人民政府" not in login(w.registrar).get("/reports/").content.decode()
    assert login(w.registrar).get(f"/reports/{ar.pk}/").status_code == 404
    # nothing can be done to it
    with pytest.raises(rs.ReportError, match="只有本机关公开工作机构的登记员或负责人"):
        rs.report_narrative_save(actor=w.supervisor, report=ar, parts={})
    refusals = {
        "recount": "只有本机关公开工作机构的登记员或负责人可以生成年度报告",
        "area": "只有本级政府公开工作机构可以生成本地区汇总报告",
        "submit": "只有本机关公开工作机构负责人可以报送年度报告",
        "accept": "只有上级政府公开工作机构可以审核年度报告",
        "publish": "只有本机关公开工作机构负责人可以发布年度报告",
        "table2": "只有本机关公开工作机构的登记员或负责人可以编辑年度报告",
    }
    for action, refusal in refusals.items():
        response = login(admin).post(f"/reports/{ar.pk}/act/{action}/", follow=True)
        assert refusal in response.content.decode(), action
    assert [s.action for s in ar.steps.all()] == ["导入其他机关已发布报告"]
    # not on the public portal, not in the tree's roll-up
    assert "淄博市博山区人民政府" not in Client().get("/portal/reports/").content.decode()
    office = member(w.gov, Role.REGISTRAR, Role.HEAD, username="govoffice")
    status = rollup(w.gov, 2024, ar.published_at.date())
    assert all(m.report is None for m in status.members)
    assert login(office).get(f"/reports/rollup/{w.gov.pk}/2024/").status_code == 200


def test_the_import_page_for_an_outside_report(w):
    client = login(w.supervisor)
    page = client.get("/reports/import/").content.decode()
    assert "导入本平台以外机关的年度报告（用于分析）" in page
    # a supervisor prepares no agency's report: no form for one of their own (no empty list)
    assert 'name="agency"' not in page
    assert client.post("/reports/import/", {}).status_code == 404
    assert (
        "导入本平台以外机关的年度报告"
        not in login(w.registrar).get("/reports/import/").content.decode()
    )
    upload = (EXAMPLES / "jinan-office-2024.txt").open("rb")
    with upload:
        response = client.post(
            "/reports/import/outside/",
            {"outside-file": upload, "outside-origin": "济南市人民政府网站"},
        )
    assert response.status_code == 302
    ar = AnnualReport.objects.get(agency__isnull=True)
    assert (ar.agency_name, ar.year) == (golden("jinan-office-2024")["agency"], 2024)
    assert ar.source_document.origin == "济南市人民政府网站"
    assert login(w.registrar).post("/reports/import/outside/", {}).status_code == 404


# --- constraints --------------------------------------------------------------------------


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(source=ReportSource.IMPORTED, **fields)


def test_one_report_a_year_and_scope_inside_and_outside_the_tree(w):
    AnnualReport.objects.create(agency=w.d1, year=2024, source=ReportSource.COMPUTED)
    _refused(agency=w.d1, year=2024)
    AnnualReport.objects.create(agency=w.d1, year=2024, scope="area", source="computed")
    AnnualReport.objects.create(agency_name="某县人民政府", year=2024, source="imported")
    _refused(agency_name="某县人民政府", year=2024)
    AnnualReport.objects.create(agency_name="某县人民政府", year=2023, source="imported")
    # a tree report and an outside one of the same name do not collide
    AnnualReport.objects.create(
        agency=w.d2, agency_name="某县人民政府", year=2024, source="computed"
    )
    _refused(agency_name="", year=2022)  # an outside report needs a name


def test_one_row_a_cell_and_state_value_and_reading_agree(w):
    ar = AnnualReport.objects.create(agency=w.d1, year=2024, source=ReportSource.COMPUTED)
    cell = {"report": ar, "cell": "table3.new.total"}
    ReportCell.objects.create(**cell, value=5, state="printed", reading="number")

    def refused(**fields) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportCell.objects.create(**fields)

    refused(**cell, value=6, state="printed", reading="number")  # the same cell twice
    other = {"report": ar, "cell": "table3.new.natural_person"}
    refused(**other, value=None, state="printed", reading="number")  # printed needs a value
    refused(**other, value=0, state="blank", reading="blank")  # a blank is never 0
    refused(**other, value=None, state="unknown", reading="blank")  # blank read as unknown
    refused(**other, value=3, state="printed", reading="recovered")
    ReportCell.objects.create(**other, value=None, state="blank", reading="not_applicable")
