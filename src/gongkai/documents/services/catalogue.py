"""主动公开事项目录: versioned import from a spreadsheet, publishing, and mapping policies.

An agency determines the concrete content it publishes proactively and keeps it up to date
(《中华人民共和国政府信息公开条例》第二十条、第二十二条; the catalogue itself, 第十二条:
政府信息公开目录应当及时更新). The catalogue names, item by item, the elements the
standardisation guidance asks for — 公开内容、依据、主体、时限、方式、渠道、层级、责任
(《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》国办发〔2019〕54号) —
and is kept as versions: each import is a new draft version (:class:`Catalogue`), which the
office head publishes (动态更新机制). On publishing, the policies mapped to an item of an
earlier version follow to the new version's item with the same 一级/二级事项; those that
find none keep their old item and are listed to be mapped again (:func:`unmatched_policies`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from openpyxl import load_workbook

from gongkai.agencies.models import Agency

from ..access import DECIDING_ROLES, DRAFTING_ROLES
from ..models import Catalogue, CatalogueItem, Document, Policy
from .base import DocumentError, audit, require, today

#: Bounds of an import: a catalogue is a few hundred rows; anything far larger is a mistake.
MAX_BYTES = 20 * 1024 * 1024
MAX_ITEMS = 5000
#: Rows read in all, blank ones included (a sheet formatted down to row 1,048,576 is refused
#: with a reason instead of being read for minutes).
MAX_SHEET_ROWS = 20000
#: The header row is looked for in this many rows (a title row or two often comes first).
HEADER_ROWS = 10
#: Columns read from each row; a catalogue has about a dozen.
MAX_COLUMNS = 40
#: Errors listed in one message; the rest are counted.
MAX_LISTED = 20


@dataclass(frozen=True)
class Column:
    """A catalogue column: the item field, its usual heading and the headings accepted
    (compared without spaces, full-width forms folded; the earlier a variant, the more it is
    preferred when a sheet has two of them)."""

    field: str
    label: str
    variants: tuple[str, ...]
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("position", "序号", ("序号", "编号")),
    Column("level1", "一级事项", ("一级事项", "一级目录", "事项类别", "一级类别"), True),
    Column("level2", "二级事项", ("二级事项", "二级目录", "事项名称", "二级类别")),
    Column(
        "content",
        "公开内容（要素）",
        ("公开内容(要素)", "公开内容", "公开要素", "内容", "要素"),
        True,
    ),
    Column("basis", "公开依据", ("公开依据", "依据")),
    Column("subject", "公开主体", ("公开主体", "主体")),
    Column("time_limit", "公开时限", ("公开时限", "时限")),
    Column("method", "公开方式", ("公开方式", "方式")),
    Column("channel", "公开渠道", ("公开渠道", "公开渠道和载体", "公开渠道及载体", "渠道")),
    Column("tier", "公开层级", ("公开层级", "层级")),
    Column("responsible", "责任单位", ("责任单位", "责任科室", "责任部门", "责任")),
)
_BY_FIELD = {c.field: c for c in COLUMNS}


# --- reading the workbook ---------------------------------------------------------------


def _compact(text: str) -> str:
    """Full-width forms folded (NFKC) and every space and line break removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _heading(text: str) -> tuple[str, int] | None:
    """The column a heading names and how preferred that wording is (lower is better): an
    exact variant, else the heading without a trailing note in brackets
    (“公开时限（工作日）”)."""
    compact = _compact(text)
    for candidate in (compact, compact.split("(", 1)[0]):
        for column in COLUMNS:
            if candidate in column.variants:
                return column.field, column.variants.index(candidate)
    return None


def _header_columns(row: Sequence[Any]) -> dict[str, int]:
    """The recognised columns of a row: field → column index (the preferred wording wins;
    between equals, the leftmost)."""
    best: dict[str, tuple[int, int]] = {}
    for index, value in enumerate(row):
        if not isinstance(value, str):
            continue
        found = _heading(value)
        if found is None:
            continue
        field, rank = found
        if field not in best or rank < best[field][0]:
            best[field] = (rank, index)
    return {field: index for field, (_, index) in best.items()}


def _cell_text(value: Any) -> str:
    """A cell as text: blank stays blank (never 0), whole numbers without “.0”, dates as
    YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class _Sheet:
    title: str
    header_row: int
    columns: dict[str, int]


def _open(data: bytes, filename: str) -> Any:
    """The workbook (read only, cached values of formulas), or a Chinese error naming the file."""
    if not filename.lower().endswith(".xlsx"):
        raise DocumentError(
            f"文件“{filename}”不是 .xlsx 电子表格；请在表格软件中另存为 .xlsx 格式后上传"
        )
    if not data:
        raise DocumentError(f"文件“{filename}”是空文件")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"文件“{filename}”超过 20 MB 的大小限制")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything on a damaged file: report it all alike
        raise DocumentError(
            f"无法读取文件“{filename}”：不是有效的 .xlsx 电子表格，或文件已损坏"
        ) from exc


def _rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Each row of a sheet with its number (from 1), gaps included; the sheet's declared size
    is ignored (some programs write a wrong one, which would cut the rows short)."""
    ws.reset_dimensions()
    yield from enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1)


def _find_header(book: Any, filename: str) -> tuple[Any, _Sheet]:
    """The first sheet with a header row in its first rows: the row naming the most
    catalogue columns (at least two), the earliest if several name as many."""
    for ws in book.worksheets:
        best: tuple[int, dict[str, int]] | None = None
        for number, row in _rows(ws):
            if number > HEADER_ROWS:
                break
            columns = _header_columns(row)
            if len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
                best = (number, columns)
        if best is not None:
            return ws, _Sheet(ws.title, best[0], best[1])
    raise DocumentError(
        f"文件“{filename}”的前{HEADER_ROWS}行中找不到表头：表头应写明“一级事项”“公开内容（要素）”"
        "等列名"
    )


def _check_required(sheet: _Sheet, where: str) -> None:
    for column in COLUMNS:
        if column.required and column.field not in sheet.columns:
            names = "”“".join(column.variants)
            raise DocumentError(
                f"{where}第{sheet.header_row}行的表头缺少“{column.label}”列（也可写作“{names}”）"
            )


@dataclass
class _Carry:
    """What a row leaves for the next: the 一级事项 (merged cells hold it in the first row
    only) and, within the same 一级事项, the 二级事项."""

    level1: str = ""
    level2: str = ""


def _row_item(
    values: dict[str, str], carry: _Carry, where: str, errors: list[str]
) -> dict[str, str] | None:
    """One item's fields from a row's texts, carrying merged 一级/二级事项 down; None (and an
    error) if the row lacks what an item needs or a text is too long."""
    if values["level1"]:
        carry.level1, carry.level2 = values["level1"], values["level2"]
    else:
        values["level1"] = carry.level1
        values["level2"] = values["level2"] or carry.level2
        carry.level2 = values["level2"]
    missing = [
        _BY_FIELD[f].label for f in ("level1", "content") if not values[f]
    ]  # fmt: skip
    if missing:
        errors.append(f"{where}缺少{'和'.join(missing)}")
        return None
    too_long = [
        f"“{_BY_FIELD[f].label}”超过{limit}字"
        for f, text in values.items()
        if (limit := CatalogueItem._meta.get_field(f).max_length) and len(text) > limit
    ]
    if too_long:
        errors.append(where + "、".join(too_long))
        return None
    return values


def read_catalogue(data: bytes, filename: str) -> list[dict[str, str]]:
    """The items of a catalogue spreadsheet, in order: one dict of item fields (all text) per
    row, ``position`` numbered from 1 in file order.

    The header row is found in the first :data:`HEADER_ROWS` rows by the usual headings and
    their variants (:data:`COLUMNS`); other columns are ignored. A blank 一级事项 (a merged
    cell) takes the one above; so does a blank 二级事项 under a merged 一级事项. Blank rows
    are skipped; a row with only a 序号 counts as blank. Raises :class:`DocumentError`
    naming the file, and each faulty row, when the file cannot be read.
    """
    book = _open(data, filename)
    try:
        return _read_items(book, filename)
    except DocumentError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read: same message as above
        raise DocumentError(
            f"无法读取文件“{filename}”：不是有效的 .xlsx 电子表格，或文件已损坏"
        ) from exc
    finally:
        book.close()


def _read_items(book: Any, filename: str) -> list[dict[str, str]]:
    ws, sheet = _find_header(book, filename)
    many = len(book.worksheets) > 1
    prefix = f"文件“{filename}”" + (f"工作表“{sheet.title}”" if many else "")
    _check_required(sheet, prefix)
    items: list[dict[str, str]] = []
    errors: list[str] = []
    carry = _Carry()
    for number, row in _rows(ws):
        if number <= sheet.header_row:
            continue
        if number > MAX_SHEET_ROWS:
            raise DocumentError(f"{prefix}超过{MAX_SHEET_ROWS}行（含空行）；请删除多余的行后再导入")
        values = {
            c.field: _cell_text(row[sheet.columns[c.field]])
            if c.field in sheet.columns and sheet.columns[c.field] < len(row)
            else ""
            for c in COLUMNS
        }
        if not any(text for field, text in values.items() if field != "position"):
            continue
        item = _row_item(values, carry, f"第{number}行", errors)
        if item is not None:
            items.append(item)
        if len(items) + len(errors) > MAX_ITEMS:
            raise DocumentError(f"{prefix}超过{MAX_ITEMS}条事项；请分拆后导入")
    if errors:
        listed = "；".join(errors[:MAX_LISTED])
        more = f"；另有{len(errors) - MAX_LISTED}处" if len(errors) > MAX_LISTED else ""
        raise DocumentError(f"{prefix}有{len(errors)}处错误：{listed}{more}")
    if not items:
        raise DocumentError(f"{prefix}第{sheet.header_row}行表头之下没有目录事项")
    for position, item in enumerate(items, start=1):
        item["position"] = str(position)
    return items


# --- services -----------------------------------------------------------------------------


def catalogue_import_xlsx(
    *,
    actor: Any,
    agency: Agency,
    data: bytes,
    filename: str,
    note: str = "",
    ip: str | None = None,
) -> Catalogue:
    """A new draft version of ``agency``'s catalogue (previous version + 1) from an .xlsx
    file (:func:`read_catalogue`). The registrars and heads of the agency import; the
    version is published by :func:`catalogue_publish`."""
    require(actor, agency.pk, DRAFTING_ROLES, "导入主动公开事项目录")
    note = note.strip()
    if len(note) > 200:
        raise DocumentError("说明不能超过200字")
    rows = read_catalogue(data, filename)
    try:
        with transaction.atomic():
            Agency.objects.select_for_update().filter(pk=agency.pk).first()
            last = Catalogue.objects.filter(agency=agency).aggregate(v=Max("version"))["v"]
            catalogue = Catalogue.objects.create(
                agency=agency, version=(last or 0) + 1, note=note, created_by=actor
            )
            CatalogueItem.objects.bulk_create(
                CatalogueItem(catalogue=catalogue, **{**row, "position": int(row["position"])})
                for row in rows
            )
            audit(
                actor,
                action="document.catalogue_imported",
                target=catalogue,
                message=f"导入主动公开事项目录第{catalogue.version}版（{len(rows)}条事项，"
                f"文件“{filename}”），待发布",
                agency=agency,
                data={"version": catalogue.version, "items": len(rows), "filename": filename},
                ip=ip,
            )
    except IntegrityError as exc:  # two imports at once on a database without row locks
        raise DocumentError("同时有另一份目录正在导入，请稍后重试") from exc
    return catalogue


def current_catalogue(agency_id: int) -> Catalogue | None:
    """The agency's catalogue in force: its published version with the highest number."""
    return current_catalogues([agency_id]).get(agency_id)


def current_catalogues(agency_ids: Iterable[int]) -> dict[int, Catalogue]:
    """The catalogue in force of each of ``agency_ids`` that has published one (one query)."""
    newest = (
        Catalogue.objects.filter(agency_id=OuterRef("agency_id"), published_on__isnull=False)
        .order_by("-version")
        .values("pk")[:1]
    )
    found = Catalogue.objects.filter(agency_id__in=list(agency_ids), pk=Subquery(newest))
    return {c.agency_id: c for c in found}


def _match_key(level1: str, level2: str) -> tuple[str, str]:
    return _compact(level1), _compact(level2)


def _remap(catalogue: Catalogue) -> tuple[list[int], list[int]]:
    """Point the agency's policies mapped to another version's item at this version's item
    with the same 一级/二级事项 (the first such, by 序号). The ids remapped and unmatched."""
    targets: dict[tuple[str, str], int] = {}
    for item in catalogue.items.order_by("position", "id"):
        targets.setdefault(_match_key(item.level1, item.level2), item.pk)
    remapped: list[int] = []
    unmatched: list[int] = []
    stale = (
        Policy.objects.select_for_update(of=("self",))
        .filter(agency_id=catalogue.agency_id, catalogue_item__isnull=False)
        .exclude(catalogue_item__catalogue=catalogue)
        .select_related("catalogue_item")
        .order_by("pk")
    )
    for policy in stale:
        key = _match_key(policy.catalogue_item.level1, policy.catalogue_item.level2)
        if key in targets:
            policy.catalogue_item_id = targets[key]
            policy.save(update_fields=["catalogue_item"])
            remapped.append(policy.pk)
        else:
            unmatched.append(policy.pk)
    return remapped, unmatched


def catalogue_publish(*, actor: Any, catalogue: Catalogue, ip: str | None = None) -> Catalogue:
    """Publish a draft version: it becomes the agency's catalogue in force (the office head
    decides). Policies follow to the new items by 一级/二级事项; the rest are listed by
    :func:`unmatched_policies`. A version older than the one in force is refused."""
    require(actor, catalogue.agency_id, DECIDING_ROLES, "发布主动公开事项目录")
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().select_related("agency").get(pk=catalogue.pk)
        if locked.published_on is not None:
            raise DocumentError(
                f"第{locked.version}版目录已于{locked.published_on:%Y-%m-%d}发布，不需要再发布"
            )
        current = current_catalogue(locked.agency_id)
        if current is not None and current.version > locked.version:
            raise DocumentError(
                f"第{locked.version}版早于已发布的第{current.version}版，不能发布；"
                "如需恢复其内容，请重新导入"
            )
        locked.published_on = today()
        locked.save(update_fields=["published_on"])
        remapped, unmatched = _remap(locked)
        audit(
            actor,
            action="document.catalogue_published",
            target=locked,
            message=f"发布主动公开事项目录第{locked.version}版：{len(remapped)}件政策已对应新目录"
            f"事项，{len(unmatched)}件需重新对应",
            agency=locked.agency,
            data={"version": locked.version, "remapped": remapped, "unmatched": unmatched},
            ip=ip,
        )
    return locked


def policy_map_catalogue(
    *, actor: Any, policy: Policy, item: CatalogueItem | None, ip: str | None = None
) -> Policy:
    """Map ``policy`` to an item of its agency's catalogue in force (``None``: clear the
    mapping). The registrars and heads of the policy's agency map."""
    require(actor, policy.agency_id, DRAFTING_ROLES, "对应目录事项")
    with transaction.atomic():
        locked = (
            Policy.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=policy.pk)
        )
        if item is not None:
            _check_item(locked, item)
        before = locked.catalogue_item_id
        locked.catalogue_item = item
        locked.save(update_fields=["catalogue_item"])
        title = _policy_title(locked)
        audit(
            actor,
            action="document.catalogue_mapped",
            target=locked,
            message=f"政策{title}对应目录事项“{item}”" if item else f"取消政策{title}的目录事项",
            agency=locked.agency,
            data={"item": item.pk if item else None, "before": before},
            ip=ip,
        )
    return locked


def _check_item(policy: Policy, item: CatalogueItem) -> None:
    catalogue = Catalogue.objects.get(pk=item.catalogue_id)
    if catalogue.agency_id != policy.agency_id:
        raise DocumentError(f"目录事项“{item}”属于其他机关的目录，不能对应本机关的政策")
    current = current_catalogue(policy.agency_id)
    if current is None:
        raise DocumentError("本机关还没有发布主动公开事项目录，请先导入并发布目录")
    if catalogue.pk != current.pk:
        raise DocumentError(
            f"目录事项“{item}”属于第{catalogue.version}版目录，不是现行的第{current.version}版；"
            "请选择现行目录中的事项"
        )


def _policy_title(policy: Policy) -> str:
    """The policy by its latest text's name (《标题》（文号）), or its code if it has none."""
    latest = Document.objects.filter(policy=policy).order_by("-written_on", "-id").first()
    return latest.name if latest else policy.code


# --- reads ----------------------------------------------------------------------------------


def with_titles(policies: QuerySet[Policy]) -> QuerySet[Policy]:
    """Policies annotated with their latest text's ``latest_title`` and ``latest_id``."""
    latest = Document.objects.filter(policy=OuterRef("pk")).order_by("-written_on", "-id")
    return policies.annotate(
        latest_title=Subquery(latest.values("title")[:1]),
        latest_id=Subquery(latest.values("pk")[:1]),
    )


def unmatched_policies(agency_ids: Iterable[int]) -> QuerySet[Policy]:
    """The policies of ``agency_ids`` still mapped to an item of a version that is not their
    agency's catalogue in force (left so by a publish): to be mapped again."""
    ids = list(agency_ids)
    current = [c.pk for c in current_catalogues(ids).values()]
    stale = (
        Policy.objects.filter(agency_id__in=ids, catalogue_item__isnull=False)
        .exclude(catalogue_item__catalogue_id__in=current)
        .select_related("catalogue_item__catalogue", "agency")
        .order_by("agency_id", "pk")
    )
    return with_titles(stale)
