"""Cutting a stretch of table text into cells, whatever the layout.

Each layout reader upstream (plain text, HTML, PDF) hands over text in one of these shapes:

``tab``    one table row per line, cells separated by TAB (PDF copies, HTML converted here);
``pipe``   cells ended by “|” (markdown-ish web copies), rows or cells per line;
``lines``  one cell per line, cells separated by a fixed number of empty lines (web copies);
``space``  one table row per line, cells separated by spaces (PDF text, OCR output);
``fused``  every separator between cells lost (crawled text): digits run together.

:func:`detect_layout` tells which shape a table region has; a :class:`Layout` turns the text
between one row label and the next into classified :class:`~..text.Piece` objects. A
published blank stays blank and “/” stays not applicable; nothing here reads a value into a
cell — placing the pieces is :mod:`.cells`' work.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..text import Kind, Piece, classify, has_cjk

_MD_RULE = re.compile(r"^:?-{3,}:?$")
_NUM_RUN = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_GAP = re.compile(r"(?<=\d) +(?=\d)")
_TOKEN = re.compile(r"[^\s|]+")
_EMPTY_LINES = re.compile(r"\n[ \u3000]*(?=\n)")
_FUSED_RUN = re.compile(r"[\u4e00-\u9fff)\]]\d{5,}")
_SPACED_NUMBER = re.compile(r"(?:^|\s)[\dOl]+(?=\s|$)")
_CELL_SPLIT = re.compile(r"[\t\n]")

#: The kinds of piece, bound once: reading ``Kind.BLANK`` goes through the enum class each
#: time (some 0.1 µs), and the kinds are tested for every piece of every row.
_NUMBER, _BLANK, _TEXT = Kind.NUMBER, Kind.BLANK, Kind.TEXT


def detect_layout(region: str) -> str:
    """The layout of a table region (see the module docstring)."""
    if region.count("\t") >= 20:
        return "tab"
    if region.count("|") >= 20:
        return "pipe"
    if len(_FUSED_RUN.findall(region)) >= 4:
        return "fused"
    multi = 0  # lines holding three numbers or more: three of them make a space layout
    for ln in region.split("\n"):
        if ln.strip() and len(_SPACED_NUMBER.findall(ln)) >= 3:
            multi += 1
            if multi >= 3:
                return "space"
    return "lines"


def line_gap(region: str) -> int:
    """How many empty lines separate two cells in the ``lines`` layout (the usual gap)."""
    gaps: Counter[int] = Counter()
    run = 0
    seen = False
    for ln in region.split("\n"):
        if ln.strip():
            if seen:
                gaps[run] += 1
            seen, run = True, 0
        else:
            run += 1
    return gaps.most_common(1)[0][0] if gaps else 0


def space_unit(region: str) -> int:
    """The usual number of spaces between two numbers of a ``space`` table (0 if none)."""
    gaps = Counter(len(m.group()) for m in _NUMBER_GAP.finditer(region))
    return gaps.most_common(1)[0][0] if gaps else 0


@dataclass(slots=True)
class Layout:
    """How to cut a stretch of text into cells."""

    name: str
    gap: int = 0  # ``lines``: empty lines between cells; ``space``: spaces between cells

    @property
    def splits(self) -> bool:
        """Whether digits may be split into cells: only where every separator was lost.

        Where separators show, a row short of a cell lost a blank (PDF text keeps no trace
        of one); splitting a printed number to fill the gap would invent a value.
        """
        return self.name == "fused"

    def pieces(self, seg: str) -> list[Piece]:
        """Cells of the text between a label and the next one (the label's own cell dropped)."""
        if self.name == "fused":
            return [classify(m.group()) for m in _NUM_RUN.finditer(seg)]
        if self.name == "tab":
            seg = _EMPTY_LINES.sub("", seg)
            if "\n" in seg:  # what follows the last line break opens the next row
                seg = seg[: seg.rindex("\n") + 1]
            raw = _CELL_SPLIT.split(seg)[1:-1]
        elif self.name == "pipe":
            raw = [p for p in _pipe_cells(seg) if not _MD_RULE.match(p.strip())]
        elif self.name == "lines":
            return self._line_pieces(seg)
        else:
            return _space_pieces(seg, self.gap)
        return [classify(" ".join(p.split()) if has_cjk(p) else p) for p in raw]

    def _line_pieces(self, seg: str) -> list[Piece]:
        lines = seg.split("\n")
        out: list[Piece] = []
        run = 0
        for ln in [*lines[1:-1], None]:  # None: the next label's line
            if ln is not None and not ln.strip():
                run += 1
                continue
            if out or ln is not None:
                blanks = (run - self.gap) // (self.gap + 1) if run > self.gap else 0
                out.extend(Piece(_BLANK, "") for _ in range(blanks))
            if ln is not None:
                out.append(classify(ln))
            run = 0
        return out


def _space_pieces(seg: str, table_unit: int) -> list[Piece]:
    """Cells separated by white space; a blank cell shows as one more separator.

    PDF text separates cells with one space and OCR output with two; both print a blank
    cell as an empty string between two separators (“数量  0 0  0 0 22”). ``table_unit`` is the
    table's usual gap between two numbers (0: unknown, then the line's narrowest gap);
    where the gaps are not multiples of it, or it is wider than two spaces (columns
    aligned with padding), spaces say nothing about blanks.
    """
    out: list[Piece] = []
    for i, line in enumerate(seg.split("\n")):
        tokens = list(_TOKEN.finditer(line))
        if not tokens:
            continue
        pieces = [classify(m.group()) for m in tokens]
        gaps: list[int | None] = [tokens[0].start() if i == 0 else None]
        gaps += [tokens[j].start() - tokens[j - 1].end() for j in range(1, len(tokens))]
        texts = [j for j, p in enumerate(pieces) if p.kind is _TEXT]
        tail = range(texts[-1] + 1 if texts else 0, len(tokens))
        unit = table_unit or min((g for g in gaps if g), default=1)
        tail_gaps = [g for j in tail if (g := gaps[j]) is not None]
        spaced = (
            unit <= 2
            and all(g % unit == 0 for g in tail_gaps)
            and any(pieces[j].kind is _NUMBER for j in tail)
        )
        for j, piece in enumerate(pieces):
            gap = gaps[j]
            if spaced and j in tail and gap is not None:
                out.extend(Piece(_BLANK, "") for _ in range(gap // unit - 1))
            out.append(piece)
    return out


def _pipe_cells(seg: str) -> list[str]:
    """Cells between “|” bars, line by line.

    A line may end every cell with a bar (“61 |”, boshan-2024.txt), separate cells with
    bars (“规章 | 0 | 0 | 0”, OCR output) or wrap them in bars (“| 0 | 0 |”, markdown).
    The first piece of the first line is the label's own cell and the last line is the
    head of the next label's cell; both are dropped.
    """
    lines = seg.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines[:-1] if len(lines) > 1 else lines):
        parts = line.split("|")
        if i == 0:
            parts = parts[1:]
        elif len(parts) > 2 and not parts[0].strip():
            parts = parts[1:]  # “| a | b |”: the bar opens the row
        if len(parts) > 1 and not parts[-1].strip():
            parts = parts[:-1]  # the bar closes the last cell
        if len(lines) == 1:
            parts = parts[:-1]  # a label in the same line: its text is not a cell
        out.extend(parts)
    return out
