"""The migrations that move data, run back and forth on a database that has rows:

- ``cases.0008_remedy`` / ``reports.0002``: remedies move from reports to cases, keeping
  their rows (the table is renamed, not copied) and their content type;
- ``reports.0004``: the figures of existing reports move from the JSON document into
  ReportCell rows, and back when migrating backwards.

The document written at the old state is the report engine's JSON of a published seed; the
figures expected in the rows are that seed's golden values.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.cases.models import Remedy
from gongkai.cases.services import remedy_record
from gongkai.core.report import read_report, to_json
from gongkai.core.report.schema import TABLE2_IDS, TABLE3_COLUMN_KEYS, TABLE4_IDS, table3_id
from gongkai.reports import services as rs
from gongkai.reports.models import AnnualReport, ReportCell
from tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports"
GOLDEN = Path(__file__).parents[1] / "core" / "report" / "golden"
BEFORE = [("cases", "0007_feenotice"), ("reports", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]):
    """Migrate to ``targets``; the apps of the state reached."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _golden_values(name: str) -> dict[str, int | Decimal]:
    exp = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    out: dict[str, int | Decimal] = {}
    for cid, v in zip(TABLE2_IDS, exp["table2"], strict=True):
        out[cid] = Decimal(v) if isinstance(v, str) else v
    for row, values in exp["table3"].items():
        for col, v in zip(TABLE3_COLUMN_KEYS, values, strict=True):
            out[table3_id(row, col)] = v
    return out | dict(zip(TABLE4_IDS, exp["table4"], strict=True))


def test_remedies_and_report_figures_survive_the_migrations(w):
    case = register(w.registrar, w.d1, received_on=date(2025, 3, 3))
    remedy = remedy_record(
        actor=w.registrar, case=case, kind="litigation", filed_on=date(2025, 5, 6),
        body="测试市中级人民法院", reference="（2025）测行初12号", after_reconsideration=True,
    )  # fmt: skip
    qingdao = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    imported = rs.report_import(actor=w.registrar, agency=w.d1, year=2024, data=qingdao,
                                name="q.txt")  # fmt: skip
    imported_json = rs.report_document(imported)
    latest = _latest()
    try:
        old = _migrate(BEFORE)
        # the old state: the remedy is in reports' table, the figures in the documents
        OldRemedy = old.get_model("reports", "Remedy")
        assert OldRemedy._meta.db_table == "reports_remedy"
        kept = OldRemedy.objects.get()
        assert (kept.pk, kept.body, kept.case_id) == (remedy.pk, "测试市中级人民法院", case.pk)
        OldReport = old.get_model("reports", "AnnualReport")
        assert OldReport.objects.get(pk=imported.pk).document == imported_json
        # a report stored the old way: the engine's JSON of the boshan seed as its document
        boshan = to_json(read_report(EXAMPLES / "boshan-2024.txt"))
        stored = OldReport.objects.create(
            agency_id=w.d2.pk, year=2024, source="imported", status="published",
            document=boshan,
        )  # fmt: skip
    finally:
        _migrate(latest)
    moved = Remedy.objects.get()
    assert (moved.pk, moved.kind, moved.body, moved.reference, moved.after_reconsideration) == (
        remedy.pk,
        "litigation",
        "测试市中级人民法院",
        "（2025）测行初12号",
        True,
    )
    tables = connection.introspection.table_names()
    assert "cases_remedy" in tables and "reports_remedy" not in tables
    assert ContentType.objects.filter(app_label="cases", model="remedy").count() == 1
    assert not ContentType.objects.filter(app_label="reports", model="remedy").exists()
    # the new remedy gets the next id, in the renamed table
    after = remedy_record(actor=w.registrar, case=case, kind="reconsideration",
                          filed_on=date(2025, 5, 7), body="测试市人民政府")  # fmt: skip
    assert after.pk > remedy.pk
    # the boshan report: its figures are rows with the published values
    ar = AnnualReport.objects.get(pk=stored.pk)
    rows = {c.cell: c for c in ReportCell.objects.filter(report=ar)}
    assert {cid: r.value for cid, r in rows.items()} == _golden_values("boshan-2024")
    assert {r.state for r in rows.values()} == {"printed"}
    assert "table3" not in ar.document and ar.document["narrative"] == boshan["narrative"]
    assert ar.agency_name == w.d2.name
    assert rs.report_document(ar) == boshan
    # the report imported before the round trip is what it was
    assert rs.report_document(AnnualReport.objects.get(pk=imported.pk)) == imported_json
