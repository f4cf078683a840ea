"""Importing an agency's existing 文件库 from JSON Lines (``gongkai documents import``).

One text a line, a JSON object with these keys (dates ``YYYY-MM-DD``)::

    {"title": "测试市教育局关于规范校外培训机构管理的通知", "index_no": "CSJY/2023-00012",
     "doc_number": "测教发〔2023〕12号", "kind": "行政规范性文件",
     "written_on": "2023-03-01", "published_on": "2023-03-03", "effective_on": "2023-04-01",
     "expires_on": "2028-03-31", "status": "现行有效", "topic": "教育", "text": "……",
     "revises": ""}

``title``, ``kind`` (规章 / 行政规范性文件 / 其他文件), ``written_on``, ``published_on``
and ``effective_on`` are required. A blank ``index_no`` is made from the agency's 索引号格式
(:func:`.registry.next_index_no`), passing over the ones the file gives. ``revises``
names the text this one revises by its 索引号 or 发文字号: a text earlier in the file or
already registered for the agency. ``status`` (尚未施行 / 现行有效 / 已修订 / 失效 /
已废止) is what the old registry records; it is checked against what the dates and revisions give:

- 尚未施行, 现行有效 and 已修订 must be what the dates give (a text is 已修订 from the later of
  its revising text's 施行日期 and 发布日期, as when a revision is published here,
  :func:`.decisions.mark_revised`); an 已修订 text needs a later line revising it;
- 失效 or 已废止 that the dates do not give (失效 after the 有效期至 needs nothing) is recorded
  as a decided :class:`~gongkai.documents.models.ValidityChange` with the deciding document
  “导入时的效力状态（原文件库记载）”. Its day is ``status_on`` when the line gives it, else
  **the day of the import**: the only day the platform knows the state held on. A guessed
  earlier day (say the 发布日期) would make the text never have been in force, and would
  change the 规章/行政规范性文件 counts (table 二) of past years on no evidence; the import
  day claims no more than the old registry says. The result lists every such line, so the
  office can supply ``status_on`` (and the deciding document: ``decision``,
  ``decision_number``) when it knows them.

Imported texts are already published (审查状态 已发布); their 公开时限 is counted from the
成文日期. Every bad line is reported with its number and field, all of them, and if any line
is bad nothing is stored: the import is one transaction, and a dry run rolls it back too.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.core import validity as core
from gongkai.core.validity import Decision, DocKind, Validity, ValidityError

from ..access import DECIDING_ROLES
from ..models import Disclosure, Document, ReviewState
from .base import DocumentError, audit, require, today
from .decisions import mark_revised
from .registry import (
    check_kind,
    check_revision,
    core_registry,
    new_policy,
    next_index_no,
    status_on,
    to_core,
)

#: The keys of a line and their Chinese names; the last three are optional additions (see
#: the module docstring).
KEYS = {
    "title": "标题",
    "index_no": "索引号",
    "doc_number": "发文字号",
    "kind": "文件类别",
    "written_on": "成文日期",
    "published_on": "发布日期",
    "effective_on": "施行日期",
    "expires_on": "有效期至",
    "status": "效力状态",
    "topic": "主题分类",
    "text": "正文",
    "revises": "修订的文件",
    "status_on": "效力状态起始日",
    "decision": "决定文件标题",
    "decision_number": "决定文件文号",
}
REQUIRED = ("title", "kind", "written_on", "published_on", "effective_on")
DATES = ("written_on", "published_on", "effective_on", "expires_on", "status_on")
LIMITS = {
    "title": 300,
    "index_no": 80,
    "doc_number": 80,
    "topic": 50,
    "revises": 80,
    "decision": 300,
    "decision_number": 80,
}
KINDS = {k.label: k for k in DocKind} | {k.value: k for k in DocKind}
STATUSES = {v.label: v for v in Validity} | {v.value: v for v in Validity}
IMPORT_DECISION = "导入时的效力状态（原文件库记载）"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LAST = 10**9  # where an error about the whole file sorts


@dataclass(eq=False)
class Row:
    """One good line, parsed; ``target`` is the text it revises (a row or a stored text)."""

    line: int
    values: dict[str, Any]
    target: Row | Document | None = None
    revised_by: Row | None = None
    document: Document | None = None
    bad: bool = False

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["values"][key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def name(self) -> str:
        title, number = self.values["title"], self.values["doc_number"]
        return f"《{title}》（{number}）" if number else f"《{title}》"

    def core(self) -> core.Document:
        return core.Document(
            ref=f"第{self.line}行",
            title=self.title,
            kind=self.kind,
            written=self.written_on,
            effective=self.effective_on,
            number=self.doc_number,
            expires=self.expires_on,
        )


@dataclass
class ImportResult:
    """What an import found and did; nothing was stored unless :attr:`ok` and not a dry run."""

    agency: Agency
    dry_run: bool
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: int = 0
    decided: int = 0  # texts whose 失效/已废止 was recorded as a decided change
    revised: int = 0  # texts marked 已修订 by a revising line

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One Chinese line: what was (or, in a dry run, would be) imported."""
        if not self.ok:
            return f"导入失败：发现 {len(self.errors)} 处错误，未导入任何文件"
        what = (
            f"{self.agency.name}的政府文件 {self.imported} 件"
            f"（其中已修订 {self.revised} 件，按原文件库记载补记失效或废止 {self.decided} 件）"
        )
        if self.dry_run:
            return f"预演：可以导入{what}；未写入任何数据"
        return f"已导入{what}"


class _Errors:
    """The errors of an import, each with its line, and which rows they make bad."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, message: str, row: Row | None = None) -> None:
        self.items.append((line, f"第{line}行：{message}" if line != LAST else message))
        if row is not None:
            row.bad = True

    def sorted(self) -> list[str]:
        return [m for _, m in sorted(self.items, key=lambda item: item[0])]


# --- reading the lines ------------------------------------------------------------------------


def _lines(data: bytes) -> list[tuple[int, str | None]]:
    """(line number, text) of every line; None for a line that is not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    out: list[tuple[int, str | None]] = []
    for n, raw in enumerate(data.split(b"\n"), start=1):
        try:
            out.append((n, raw.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError:
            out.append((n, None))
    return out


def _date(value: Any) -> date | None:
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _value(key: str, value: Any) -> tuple[Any, str | None]:
    """The parsed value of a key, or an error message (without the line number)."""
    if key in DATES:
        parsed = _date(value)
        return (parsed, None) if parsed else (None, f"{key}“{value}”不是有效日期")
    if not isinstance(value, str):
        return None, f"{key}（{KEYS[key]}）应为文本，而不是 {json.dumps(value, ensure_ascii=False)}"
    text = value if key == "text" else value.strip()
    if key in LIMITS and len(text) > LIMITS[key]:
        return None, f"{key}（{KEYS[key]}）超过 {LIMITS[key]} 个字"
    if key == "kind":
        if text not in KINDS:
            return None, f"kind“{text}”不是有效的文件类别（应为规章、行政规范性文件或其他文件）"
        return KINDS[text], None
    if key == "status":
        if text not in STATUSES:
            return None, (
                f"status“{text}”不是有效的效力状态（应为尚未施行、现行有效、已修订、失效或已废止）"
            )
        return STATUSES[text], None
    return text, None


def _parse(n: int, text: str, errors: _Errors) -> tuple[Row | None, dict[str, Any] | None]:
    """The row of a line (None if bad) and its JSON object (None if it has none)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.add(n, f"不是有效的 JSON（第 {exc.colno} 个字符附近有误）")
        return None, None
    if not isinstance(obj, dict):
        errors.add(n, "应为一个 JSON 对象（{…}），每行一件文件")
        return None, None
    before = len(errors.items)
    for key in sorted(set(obj) - set(KEYS)):
        errors.add(n, f"未知的字段“{key}”")
    values: dict[str, Any] = {}
    for key in KEYS:
        raw = obj.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if key in REQUIRED:
                errors.add(n, f"缺少 {key}（{KEYS[key]}）")
            values[key] = None if key in DATES or key == "status" else ""
            continue
        values[key], problem = _value(key, raw)
        if problem:
            errors.add(n, problem)
    return (Row(n, values) if len(errors.items) == before else None), obj


# --- checking the rows against each other and the registry ------------------------------------


def _check_rows(rows: list[Row], agency: Agency, errors: _Errors) -> None:
    kinds: dict[DocKind, str | None] = {}
    for row in rows:
        try:
            row.core()
        except ValidityError as exc:
            errors.add(row.line, str(exc), row)
        if row.published_on < row.written_on:
            errors.add(
                row.line,
                f"published_on（{row.published_on}）早于 written_on（{row.written_on}）",
                row,
            )
        if row.published_on > today():
            errors.add(row.line, f"published_on（{row.published_on}）晚于今天（{today()}）", row)
        if row.kind not in kinds:
            try:
                check_kind(row.kind, agency)
                kinds[row.kind] = None
            except DocumentError as exc:
                kinds[row.kind] = str(exc)
        if kinds[row.kind]:
            errors.add(row.line, f"{row.name}：{kinds[row.kind]}", row)


def _check_index(rows: list[Row], errors: _Errors) -> None:
    stored = {
        d.index_no: d for d in Document.objects.filter(index_no__in=[r.index_no for r in rows])
    }
    first: dict[str, Row] = {}
    for row in rows:
        if not row.index_no:
            continue
        if row.index_no in first:
            line = first[row.index_no].line
            errors.add(row.line, f"索引号“{row.index_no}”与第{line}行重复", row)
        elif row.index_no in stored:
            taken = stored[row.index_no]
            errors.add(row.line, f"索引号“{row.index_no}”已被已登记的{taken.name}使用", row)
        first.setdefault(row.index_no, row)


@dataclass
class _Lookup:
    """Where a ``revises`` reference can point: rows, stored texts, bad lines."""

    rows: list[Row]
    stored: list[Document]
    raw: dict[int, tuple[str, str]]  # line -> (索引号, 发文字号) as written, every object line

    def find(self, row: Row, errors: _Errors) -> Row | Document | None:
        ref = row.revises
        earlier = [r for r in self.rows if r.line < row.line]
        for attr in ("index_no", "doc_number"):
            found = [r for r in earlier if getattr(r, attr) == ref]
            found += [d for d in self.stored if getattr(d, attr) == ref]
            if len(found) == 1:
                return found[0]
            if found:
                errors.add(row.line, f"发文字号“{ref}”对应多件文件，请在 revises 中改用索引号", row)
                return None
        self._missing(row, errors)
        return None

    def _missing(self, row: Row, errors: _Errors) -> None:
        ref = row.revises
        for line, refs in sorted(self.raw.items()):
            if line != row.line and ref in refs:
                if line > row.line:
                    message = (
                        f"revises“{ref}”是第{line}行的文件；被修订的文件应写在修订它的文件之前"
                    )
                else:
                    message = f"revises“{ref}”所指的第{line}行有错误，请先改正该行"
                errors.add(row.line, message, row)
                return
        errors.add(
            row.line,
            f"找不到 revises“{ref}”所指的文件"
            "（应为本文件中前面某行或本机关已登记文件的索引号或发文字号）",
            row,
        )


def _link(rows: list[Row], lookup: _Lookup, errors: _Errors) -> None:
    """Resolve every ``revises`` and check the pairs that need no database writes."""
    by_target: dict[Any, Row] = {}
    for row in rows:
        if not row.revises:
            continue
        target = lookup.find(row, errors)
        if target is None:
            continue
        key = ("row", target.line) if isinstance(target, Row) else ("doc", target.pk)
        if key in by_target:
            other = by_target[key].line
            errors.add(row.line, f"{target.name}已由第{other}行修订，不能再由本行修订", row)
            continue
        by_target[key] = row
        row.target = target
        if isinstance(target, Row):
            target.revised_by = row


def _status_conflicts(rows: list[Row], errors: _Errors) -> None:
    """A revised text recorded as 失效/已废止 where the dates do not give it: contradictory."""
    for row in rows:
        status, reviser = row.status, row.revised_by
        if row.bad or reviser is None or status not in (Validity.EXPIRED, Validity.REPEALED):
            continue
        if status_on(row.core(), today())[0] is not status:
            errors.add(
                row.line,
                f"status 为“{status.label}”，但第{reviser.line}行修订了本文件"
                "（被修订的文件应为“已修订”，修订文本尚未施行时为“现行有效”）",
                row,
            )


# --- writing --------------------------------------------------------------------------------


def _policy(row: Row, agency: Agency) -> Any:
    target = row.target
    if isinstance(target, Row):
        if target.document is None:
            raise DocumentError(f"revises 所指的第{target.line}行有错误，请先改正该行")
        return target.document.policy
    if isinstance(target, Document):
        return target.policy
    return new_policy(agency, row.kind, row.topic)


@dataclass
class _Writer:
    """What every stored line shares: who imports, for which agency, into which result."""

    agency: Agency
    actor: Any
    source: str
    ip: str | None
    result: ImportResult
    typed: set[str]  # the 索引号 given in the file: a generated one skips them

    @property
    def user(self) -> Any:
        return self.actor if getattr(self.actor, "pk", None) else None

    def decided(self, row: Row, document: Document) -> None:
        """Record a 失效/已废止 the dates do not give as a decided change (module docstring)."""
        status = row.status
        if status not in (Validity.EXPIRED, Validity.REPEALED):
            return
        doc = to_core(document)
        if status_on(doc, today())[0] is status:
            return
        day = row.status_on or today()
        decision = Decision(row.decision or IMPORT_DECISION, row.decision_number)
        try:
            updated = core.apply_decision(doc, status, day, decision)
        except ValidityError as exc:
            raise DocumentError(str(exc)) from exc
        document.validity_changes.create(
            day=day,
            target=status.value,
            decision_title=decision.title,
            decision_number=decision.number,
            actor=self.user,
        )
        state, since = status_on(updated, today())
        document.validity, document.validity_since = state.value, since
        document.save(update_fields=["validity", "validity_since", "updated_at"])
        self.result.decided += 1
        if row.status_on is None:
            self.result.notes.append(
                f"第{row.line}行：未给出 status_on，“{status.label}”按导入日期 {day} 记载"
                f"（决定文件：{decision}）"
            )

    def create(self, row: Row) -> Document:
        document = Document(
            agency=self.agency,
            kind=row.kind.value,
            title=row.title,
            index_no=row.index_no,
            doc_number=row.doc_number,
            topic=row.topic,
            text=row.text,
            written_on=row.written_on,
            published_on=row.published_on,
            effective_on=row.effective_on,
            expires_on=row.expires_on,
            formed_on=row.written_on,
            disclosure=Disclosure.PROACTIVE,
            review_state=ReviewState.PUBLISHED,
            created_by=self.user,
        )
        document.policy = _policy(row, self.agency)
        if row.target is not None:
            old = row.target.document if isinstance(row.target, Row) else row.target
            document.revises = old
            check_revision(document, old, to_core(document), historic=True)
        if not document.index_no:
            year = row.written_on.year
            document.index_no = next_index_no(self.agency, year, skip=self.typed)
        state, since = status_on(to_core(document), today())
        document.validity, document.validity_since = state.value, since
        document.save()
        return document

    def write(self, row: Row) -> None:
        document = self.create(row)
        self.decided(row, document)
        revised = mark_revised(document=document, actor=self.actor, day=document.published_on)
        self.result.revised += revised is not None
        row.document = document
        self.result.imported += 1
        audit(
            self.actor,
            action="document.imported",
            target=document,
            agency=self.agency,
            message=f"{self.source}：{document.name}（索引号 {document.index_no}）",
            data={"line": row.line, "status": row.status.value if row.status else ""},
            ip=self.ip,
        )


def _verify(rows: list[Row], errors: _Errors) -> None:
    """The given statuses against what was stored (after the revisions were marked)."""
    for row in rows:
        if row.document is None or row.status is None:
            continue
        row.document.refresh_from_db(fields=["validity", "validity_since"])
        actual = Validity(row.document.validity)
        if actual is row.status:
            continue
        if row.status is Validity.REVISED and row.revised_by is None:
            message = (
                "status 为“已修订”，但文件中没有修订它的后续文本"
                "（后续行的 revises 应为本行的索引号或发文字号）"
            )
        else:
            since = row.document.validity_since
            message = (
                f"status 为“{row.status.label}”，但按所填日期和修订关系，"
                f"该文件现为“{actual.label}”" + (f"（自 {since} 起）" if since else "")
            )
        errors.add(row.line, message, row)


def _store(rows: list[Row], writer: _Writer, errors: _Errors) -> None:
    for row in rows:
        if row.bad:
            continue
        try:
            with transaction.atomic():
                writer.write(row)
        except DocumentError as exc:
            errors.add(row.line, str(exc), row)
            row.document = None
    _verify(rows, errors)
    if not errors.items:
        try:
            core.check_registry(core_registry([writer.agency.pk]))
        except ValidityError as exc:
            errors.add(LAST, f"导入后文件库不一致：{exc}")


# --- the import -----------------------------------------------------------------------------


def _read(data: bytes, errors: _Errors) -> tuple[list[Row], dict[int, tuple[str, str]]]:
    rows: list[Row] = []
    raw: dict[int, tuple[str, str]] = {}
    for n, text in _lines(data):
        if text is None:
            errors.add(n, "不是有效的 UTF-8 文本")
            continue
        if not text.strip():
            continue
        row, obj = _parse(n, text, errors)
        if obj is not None:
            refs = (obj.get("index_no"), obj.get("doc_number"))
            raw[n] = tuple(str(r).strip() for r in refs if isinstance(r, str) and r.strip())
        if row is not None:
            rows.append(row)
    return rows, raw


def documents_import(
    *,
    actor: Any,
    agency: Agency,
    data: bytes,
    dry_run: bool = False,
    source: str = "",
    ip: str | None = None,
) -> ImportResult:
    """Import published texts of ``agency`` from JSON Lines ``data`` (module docstring).

    ``actor`` None is the command line (the audit entries say 命令行导入); a person must be
    the head of the agency's office, who publishes. Nothing is stored when any line is bad
    or when ``dry_run``; the result lists every error with its line.
    """
    source = source or ("命令行导入" if actor is None else "导入")
    result = ImportResult(agency, dry_run)
    errors = _Errors()
    if actor is not None:
        require(actor, agency.pk, DECIDING_ROLES, "导入政府文件")
    rows, raw = _read(data, errors)
    if not rows and not errors.items:
        errors.add(LAST, "文件中没有任何政府文件（每行应为一个 JSON 对象）")
    refs = [r.revises for r in rows if r.revises]
    stored = list(
        Document.objects.filter(agency=agency)
        .filter(Q(index_no__in=refs) | Q(doc_number__in=refs))
        .select_related("policy")
    )
    with transaction.atomic():
        _check_rows(rows, agency, errors)
        _check_index(rows, errors)
        _link(rows, _Lookup(rows, stored, raw), errors)
        _status_conflicts(rows, errors)
        typed = {r.index_no for r in rows if r.index_no}
        _store(rows, _Writer(agency, actor, source, ip, result, typed), errors)
        if errors.items or dry_run:
            transaction.set_rollback(True)
    result.errors = errors.sorted()
    if result.errors:
        result.imported = result.decided = result.revised = 0
        result.notes = []
    return result


def import_jsonl(
    lines: Iterable[str] | bytes,
    *,
    agency: Agency,
    actor: Any = None,
    dry_run: bool = False,
    ip: str | None = None,
) -> ImportResult:
    """:func:`documents_import` for callers that build the lines themselves (the demo data):
    ``lines`` are the JSON texts (or a file's bytes); any bad line raises
    :class:`DocumentError` listing every error, one a line, and nothing is stored."""
    data = lines if isinstance(lines, bytes) else "\n".join(lines).encode("utf-8")
    result = documents_import(actor=actor, agency=agency, data=data, dry_run=dry_run, ip=ip)
    if not result.ok:
        raise DocumentError("\n".join(result.errors))
    return result
