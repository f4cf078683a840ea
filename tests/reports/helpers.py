"""Shared steps of the report tests."""

from decimal import Decimal

from gongkai.core.report.draft import EDIT_MARK, OVERVIEW_PROMPT
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


#: What an office writes where the draft asks for it (the overview's own work, the deputies'
#: proposals), as a person filling in the draft would.
OWN_WORK = "本年度通过门户网站主动公开政府信息326条，发布政策解读12篇，办理网上咨询58件。"
PROPOSALS = ("人大代表建议（待填报）、政协提案（待填报）", "人大代表建议3件、政协提案2件")


def filled(narrative: dict[str, str]) -> dict[str, str]:
    """The draft's six parts with its marks replaced by the office's own text."""
    out = {}
    for key, text in narrative.items():
        text = text.replace(OVERVIEW_PROMPT + EDIT_MARK, OWN_WORK).replace(*PROPOSALS)
        out[key] = "\n".join(line for line in text.replace(EDIT_MARK, "").split("\n") if line)
    return out


def fill_narrative(actor, ar):
    """Save the narrative with every mark of the draft filled in (:func:`filled`)."""
    return rs.report_narrative_save(actor=actor, report=ar, parts=filled(ar.document["narrative"]))


def prepared(w, year: int, agency=None, registrar=None):
    """A draft report of ``year`` with table 二 entered and the narrative filled in."""
    ar = rs.report_prepare(actor=registrar or w.registrar, agency=agency or w.d1, year=year)
    ar = rs.report_table2_save(actor=registrar or w.registrar, report=ar, cells=table2_cells())
    return fill_narrative(registrar or w.registrar, ar)


def published(w, year: int, agency=None, registrar=None, head=None):
    """A report of ``year`` taken through submission, acceptance and publication."""
    ar = prepared(w, year, agency, registrar)
    ar = rs.report_submit(actor=head or w.head, report=ar)
    ar = rs.report_accept(actor=w.supervisor, report=ar)
    return rs.report_publish(actor=head or w.head, report=ar, confirmed=True)


def codes(ar) -> list[str]:
    return [f["code"] for f in ar.document["findings"]]


def errors(ar) -> list[str]:
    return [f["message"] for f in ar.document["findings"] if f["severity"] == "error"]
