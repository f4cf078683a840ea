"""Shared steps of the report tests."""

from decimal import Decimal

from gongkai.core.report.schema import TABLE2_IDS, Cell
from gongkai.reports import services as rs

TABLE2 = dict.fromkeys(TABLE2_IDS, 0) | {
    "table2.normative.issued": 3,
    "table2.normative.in_force": 40,
    "table2.licensing": 120,
    "table2.punishment": 15,
    "table2.fees_wan_yuan": Decimal("1.5"),
}


def table2_cells(values: dict | None = None) -> dict[str, Cell]:
    return {cid: Cell.number(v) for cid, v in (values or TABLE2).items()}


def prepared(w, year: int, agency=None, registrar=None):
    """A draft report of ``year`` with table 二 entered."""
    ar = rs.report_prepare(actor=registrar or w.registrar, agency=agency or w.d1, year=year)
    return rs.report_table2_save(actor=registrar or w.registrar, report=ar, cells=table2_cells())


def published(w, year: int, agency=None, registrar=None, head=None):
    """A report of ``year`` taken through submission, acceptance and publication."""
    ar = prepared(w, year, agency, registrar)
    ar = rs.report_submit(actor=head or w.head, report=ar)
    ar = rs.report_accept(actor=w.supervisor, report=ar)
    return rs.report_publish(actor=head or w.head, report=ar)


def codes(ar) -> list[str]:
    return [f["code"] for f in ar.document["findings"]]


def errors(ar) -> list[str]:
    return [f["message"] for f in ar.document["findings"] if f["severity"] == "error"]
