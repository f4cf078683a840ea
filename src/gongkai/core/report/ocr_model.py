"""A scanned report's own OCR confusions, and what they mean for table 二.

Table 二 (《中华人民共和国政府信息公开条例》第二十条第（一）、（五）、（六）、（八）项, reported
under 第五十条 in the form of 国办公开办函〔2021〕30号) has no identity inside it: a figure
misread by OCR there looks as good as a right one. Tables 三 and 四 do have identities, and
where the reader repaired an OCR misreading there because exactly one repair satisfied them
(:func:`.fused.repair_ocr_row`, :mod:`.decode`), the repair is proof of how *this* scan
was misread: “the printed 6 came out as 0”, “a table rule came out as 1 glued to the digits”.

This module collects those proved confusions (:func:`learn`) and applies them to table 二
(:func:`settle_table2`): a figure that could be the product of an observed confusion — it
contains a “0” where “6”→“0” was proved — is not given as read. It becomes ambiguous, its
candidates being the figure as read and every figure the observed confusions could have come
from (bounded), with a finding saying why. A figure containing none of the confusable
characters stays as read, and so does a figure the report's prose states identically (an
independent printing of the same figure confirms it). Nothing is learned from guesses: only
cells marked recovered in tables 三 and 四 (bound by identities) count as evidence.

A table rule glued to a figure depends on how close the figure sits to the rule, not on the
typeface: it is applied to table 二 only where table 二's own cells show rule marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import product

from .decode import RECOVERED_SPLIT
from .fused import RULE, Confusion, confusions_of
from .prose import table2_claims
from .schema import (
    DECIMAL_CELLS,
    TABLE2_IDS,
    Cell,
    CellState,
    Finding,
    Number,
    Report,
    Severity,
    cell_label,
)
from .tables.cells import RECOVERED_FUSED

#: Most readings of one table-二 figure listed as candidates (the figure as read included);
#: past it the cell is still ambiguous, with only the figure as read listed.
MAX_CANDIDATES = 16
#: Key of the confusions in :attr:`.schema.Report.facts` (shown on the import page).
FACT_KEY = "ocr_confusions"
#: Marks a table rule leaves in OCR text (the letters l/I are not counted: they also stand for 1).
_RULE_CHARS = frozenset("|][!")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_TABLE_NAME = {"table2": "表二", "table3": "表三", "table4": "表四"}


@dataclass(slots=True, eq=False)  # compared and hashed by identity
class Observed:
    """One confusion proved in this document and the repaired cells that prove it."""

    confusion: Confusion
    cells: list[str] = field(default_factory=list)
    examples: list[tuple[str, Number]] = field(default_factory=list)  # (as read, repaired)

    @property
    def words(self) -> str:
        """The confusion in words: “6”被识别为“0”."""
        c = self.confusion
        if c.kind == "split":
            return "数字间的分隔丢失（相邻数字连写）"
        if c.printed == RULE:
            return f"表格线被识别为“{c.read}”并与数字相连"
        return f"“{c.printed}”被识别为“{c.read}”"

    @property
    def tables(self) -> str:
        """Where it was proved: “表四”, “表三、表四”."""
        names = dict.fromkeys(_TABLE_NAME.get(c.split(".")[0], "") for c in self.cells)
        return "、".join(n for n in names if n)

    def as_fact(self) -> dict[str, object]:
        """The confusion as JSON for :attr:`.schema.Report.facts`."""
        return {
            "printed": self.confusion.printed,
            "read": self.confusion.read,
            "kind": self.confusion.kind,
            "words": self.words,
            "cells": list(self.cells),
            "examples": [[read, str(value)] for read, value in self.examples],
        }


@dataclass(slots=True)
class ConfusionModel:
    """The OCR confusions one document's identities proved."""

    observed: list[Observed] = field(default_factory=list)

    def digit_swaps(self) -> dict[str, list[Observed]]:
        """Read digit → the observed confusions that produce it (printed digit ≠ read digit)."""
        out: dict[str, list[Observed]] = {}
        for seen in self.observed:
            c = seen.confusion
            if c.kind == "digit" and c.printed.isdigit() and c.read.isdigit():
                out.setdefault(c.read, []).append(seen)
        return out

    def glued_rules(self) -> list[Observed]:
        """Observed table rules read as a digit and glued to the figure beside them."""
        return [
            s
            for s in self.observed
            if s.confusion.kind == "rule"
            and s.confusion.read.isdigit()
            and s.confusion.printed == RULE
        ]


def learn(report: Report) -> ConfusionModel:
    """The confusions proved by the repairs in tables 三 and 四 of ``report``.

    A repaired cell counts when its state is recovered and the repair is one of the
    standard OCR confusions of :func:`.fused.ocr_readings` (the repair names which), or the
    digits of a row that ran together and were split by the row's 总计.
    """
    model = ConfusionModel()
    found: dict[Confusion, Observed] = {}
    for cid, cell in report.cells.items():
        if cell.state is not CellState.RECOVERED or not cid.startswith(("table3.", "table4.")):
            continue
        token = (cell.published or "").strip()
        if cell.recovered_by in (RECOVERED_SPLIT, RECOVERED_FUSED):
            confusions: tuple[Confusion, ...] | None = (Confusion("", "", "split"),)
        elif token and " " not in token and isinstance(cell.value, int):
            confusions = confusions_of(token, cell.value)
        else:
            confusions = None
        for confusion in confusions or ():
            seen = found.get(confusion)
            if seen is None:
                seen = found[confusion] = Observed(confusion)
                model.observed.append(seen)
            seen.cells.append(cid)
            if confusion.kind != "split" and cell.value is not None:
                seen.examples.append((token, cell.value))
    return model


def _prose(report: Report) -> str:
    return "\n".join(v for k, v in report.narrative.items() if k != "full_text")


def confirmed_by_prose(report: Report) -> set[str]:
    """Table-二 cells whose figure the prose states identically (“现行有效规范性文件66件”)."""
    out = set()
    for claim in table2_claims(_prose(report)):
        for reading in claim.readings:
            for cid in reading.cells:
                value = report.value(cid)
                if value is not None and value == claim.stated:
                    out.add(cid)
    return out


def _figure_text(cell: Cell) -> str | None:
    """The figure's digits as printed (commas and spaces dropped), or its value written out."""
    if cell.value is None:
        return None
    text = "".join((cell.published or "").split()).replace(",", "").replace("，", "")
    if _FIGURE.fullmatch(text) and _number(text, isinstance(cell.value, Decimal)) == cell.value:
        return text
    written = format(cell.value, "f") if isinstance(cell.value, Decimal) else str(cell.value)
    return written if _FIGURE.fullmatch(written) else None


def _number(text: str, decimal: bool) -> Number | None:
    try:
        return Decimal(text) if decimal or "." in text else int(text)
    except (InvalidOperation, ValueError):
        return None


def _well_formed(text: str) -> bool:
    whole = text.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def readings(
    text: str, swaps: dict[str, list[Observed]], glued: bool, *, decimal: bool = False
) -> list[Number] | None:
    """Every figure ``text`` could have been printed as under the observed confusions (a
    read digit replaced by a printed one it was proved to come from; with ``glued``, a “1”
    at either end dropped as a table rule), the figure as read included, in order; None
    when there are more than :data:`MAX_CANDIDATES` (too many to list)."""
    options: list[list[str]] = []
    combinations = 1
    for ch in text:
        printed = [ch, *(seen.confusion.printed for seen in swaps.get(ch, ()))]
        options.append(list(dict.fromkeys(printed)))
        combinations *= len(options[-1])
        if combinations > MAX_CANDIDATES:
            return None
    bodies = {"".join(choice) for choice in product(*options)}
    if glued and len(text) > 1:
        for body in list(bodies):
            for cut in (
                body[1:] if body[0] == "1" else None,
                body[:-1] if body[-1] == "1" else None,
            ):
                if cut and cut[0] != "." and cut[-1] != ".":
                    bodies.add(cut)
    values = {
        v for body in bodies if _well_formed(body) and (v := _number(body, decimal)) is not None
    }
    if len(values) > MAX_CANDIDATES:
        return None
    return sorted(values)


def settle_table2(report: Report) -> list[Finding]:
    """In a scanned report (the caller decides: :func:`.checks.ocr_like`), table-二 figures
    an observed confusion could have produced become ambiguous; the confusions are recorded
    in ``report.facts["ocr_confusions"]``. Returns the findings."""
    model = learn(report)
    if not model.observed:
        return []
    report.facts[FACT_KEY] = [seen.as_fact() for seen in model.observed]
    swaps = model.digit_swaps()
    rules = model.glued_rules()
    ruled = any(
        set(report.cell(cid).published or "") & _RULE_CHARS for cid in TABLE2_IDS
    )  # table 二's own cells show rule marks: a rule may be glued to a figure there too
    glued = bool(rules) and ruled
    if not swaps and not glued:
        return []
    confirmed = confirmed_by_prose(report)
    out = []
    for cid in TABLE2_IDS:
        cell = report.cell(cid)
        if cell.state not in (CellState.NUMBER, CellState.RECOVERED):
            continue
        text = _figure_text(cell)
        if text is None:
            continue
        found = readings(text, swaps, glued, decimal=cid in DECIMAL_CELLS)
        if found is not None and len(found) < 2:
            continue  # no observed confusion could have produced this figure
        applied = [seen for ch in dict.fromkeys(text) for seen in swaps.get(ch, ())]
        if glued and len(text) > 1 and "1" in (text[0], text[-1]):
            applied += rules
        shown = cell.published or text
        if cid in confirmed:
            out.append(
                Finding(
                    "OCR_TABLE2_CONFIRMED",
                    Severity.INFO,
                    (cid,),
                    f"{cell_label(cid)}识别为“{shown}”，本文件{_evidence(applied)}，"
                    "但正文载明同一数字，按原文读取",
                )
            )
            continue
        candidates = tuple(found) if found is not None else (cell.value,)
        report.cells[cid] = Cell(CellState.AMBIGUOUS, None, cell.published, None, candidates)
        may = "或".join(str(v) for v in found) if found is not None else None
        out.append(
            Finding(
                "OCR_TABLE2_CONFUSABLE",
                Severity.WARNING,
                (cid,),
                f"{cell_label(cid)}识别为“{shown}”：本文件为扫描识别文本，{_evidence(applied)}，"
                f"{_contains(text, applied)}，"
                + (
                    f"按已查实的误识，原件可能为{may}；"
                    if may
                    else "按已查实的误识可能的读法过多，未一一列出；"
                )
                + "表二无恒等式可核，正文也未载明此数，列为待核，请对照原件",
            )
        )
    return out


def _evidence(applied: list[Observed]) -> str:
    """“表四中已查实“6”被识别为“0”（表四“行政诉讼·未经复议直接起诉·总计”原文“20”，按恒等式应为26）”."""
    parts = []
    for seen in applied:
        example = ""
        if seen.examples and seen.cells:
            read, value = seen.examples[0]
            example = f"（{cell_label(seen.cells[0])}原文“{read}”，按恒等式应为{value}）"
        parts.append(f"{seen.tables}中已查实{seen.words}{example}")
    return "；".join(parts)


def _contains(text: str, applied: list[Observed]) -> str:
    """“表二此格含“0””, naming the characters an observed confusion produces."""
    chars = [s.confusion.read for s in applied if s.confusion.kind == "digit"]
    present = [c for c in dict.fromkeys(chars) if c in text]
    said = "、".join(f"“{c}”" for c in present)
    if any(s.confusion.kind == "rule" for s in applied):
        said = "、".join(x for x in (said, "首尾的“1”可能为表格线") if x)
    return f"表二此格含{said}" if present else f"表二此格{said}"
