"""The staff page's form of each workflow action, generated from the action's input schema
in the registry (:data:`gongkai.cases.actions.ACTIONS`): field types become form fields
(dates, texts, choices with their Chinese labels, bounded numbers, a pass/fail review),
references to the case's rows become choices filled from the case, and the draft reply's
items become numbered rows. The cleaned form becomes the same validated input the API gets.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import date
from types import UnionType
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

from django import forms
from django.db import models
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from gongkai.agencies.models import Agency
from gongkai.core.workflow import Action

from ..forms import DATE, PASS_FAIL, Form
from ..models import (
    Case,
)
from .fields import In, Page
from .registry import ACTIONS, ActionEntry


def _passed(value: str) -> bool:
    return value == "1"


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _page_hint(info: FieldInfo) -> Page:
    return next((item for item in info.metadata if isinstance(item, Page)), Page())


def _constraint(info: FieldInfo, name: str) -> Any:
    """A constraint of the field (``ge``, ``max_length``…), or None."""
    found = (getattr(item, name) for item in info.metadata if hasattr(item, name))
    return next(found, None)


def _without_none(annotation: Any) -> Any:
    """``X`` of ``X | None``."""
    if get_origin(annotation) in (Union, UnionType):
        rest = [member for member in get_args(annotation) if member is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _default(info: FieldInfo) -> Any:
    return None if info.is_required() else info.default


def _page_name(name: str, hint: Page) -> str:
    if hint.name:
        return hint.name
    return name.removesuffix("_id") if hint.ref else name


def _offered_choices(kind: Any, hint: Page, where: str) -> list[tuple[str, str]] | None:
    """The labelled choices of an enum or ``Literal`` field, or None for other types."""
    if get_origin(kind) is Literal:
        values = [str(v) for v in get_args(kind)]
    elif isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = [str(member.value) for member in kind]
    else:
        return None
    if hint.choices is not None:
        unknown = set(hint.choices) - set(values)
        if unknown:
            raise TypeError(f"{where}: choices not in the schema: {sorted(unknown)}")
        offered = list(hint.choices.items())
    elif hasattr(kind, "choices"):  # Django's TextChoices
        offered = list(kind.choices)
    elif isinstance(kind, type) and issubclass(kind, enum.Enum):
        offered = [(str(member.value), member.label) for member in kind]
    else:
        raise TypeError(f"{where}: a Literal needs its Chinese labels, Page(choices=…)")
    return offered if hint.blank is None else [("", hint.blank), *offered]


def form_field(info: FieldInfo, *, label: str, required: bool, where: str) -> forms.Field:
    """The Django form field of a schema field: its type, constraints and :class:`Page` hint
    give the field class, widget, bounds and choices; ``title`` is the label, ``description``
    the help text."""
    hint = _page_hint(info)
    kind = _without_none(info.annotation)
    options: dict[str, Any] = {
        "label": label,
        "required": required,
        "help_text": info.description or "",
    }
    initial = hint.initial if hint.initial is not None else _default(info)
    if not _is_empty(initial):
        options["initial"] = initial
    if hint.ref == "unit":
        return forms.ModelChoiceField(queryset=Agency.objects.none(), **options)
    if hint.ref:
        return forms.TypedChoiceField(choices=[], coerce=int, **options)
    if kind is bool:
        return forms.TypedChoiceField(choices=PASS_FAIL, coerce=_passed, **options)
    if kind is date:
        return forms.DateField(widget=DATE, **options)
    if kind is int:
        low = hint.min_value if hint.min_value is not None else _constraint(info, "ge")
        high = hint.max_value if hint.max_value is not None else _constraint(info, "le")
        return forms.IntegerField(min_value=low, max_value=high, **options)
    choices = _offered_choices(kind, hint, where)
    if choices is not None:
        return forms.ChoiceField(choices=choices, **options)
    if kind is str:
        shortest = _constraint(info, "min_length")
        return forms.CharField(
            max_length=_constraint(info, "max_length"),
            min_length=shortest if shortest and shortest > 1 else None,  # 1: "required" says it
            widget=forms.Textarea(attrs={"rows": hint.rows}) if hint.rows else None,
            **options,
        )
    raise TypeError(f"{where}: no form field for {kind!r}")


@dataclass(frozen=True, slots=True)
class _Rows:
    """A list field shown as numbered rows (``item1``, ``outcome1``…)."""

    name: str  # the schema's list field
    item: type[In]
    count: int
    names: dict[str, str]  # the item's field → its page name without the row number

    def page_name(self, field: str, n: int) -> str:
        return f"{self.names[field]}{n}"

    @property
    def first(self) -> str:
        """The field that makes a row count: a row whose first field is empty is ignored."""
        return next(iter(self.names))


def _row_fields(name: str, info: FieldInfo, where: str) -> tuple[_Rows, dict[str, forms.Field]]:
    item = get_args(info.annotation)[0]
    hint = _page_hint(info)
    rows = _Rows(
        name,
        item,
        hint.repeat,
        {f: _page_name(f, _page_hint(i)) for f, i in item.model_fields.items()},
    )
    fields: dict[str, forms.Field] = {}
    for n in range(1, rows.count + 1):
        row_label = f"{info.title}{n}"
        for field, item_info in item.model_fields.items():
            own = "" if item_info.title == info.title else item_info.title
            fields[rows.page_name(field, n)] = form_field(
                item_info,
                label=row_label + own,
                required=n == 1 and _page_required(item_info),
                where=f"{where}.{field}",
            )
    return rows, fields


def _page_required(info: FieldInfo) -> bool:
    """Required on the page: required by the schema, or with a default the form shows."""
    return info.is_required() or not _is_empty(info.default)


_MESSAGES = {
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
}


def _message(error: Any) -> str:
    """A pydantic error in Chinese (the page's fields check nearly everything first)."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    template = _MESSAGES.get(error["type"])
    return template.format(**error.get("ctx", {})) if template else "填写的内容不符合要求"


class ActionForm(Form):
    """The form of a workflow action, generated from its entry's input schema by
    :func:`action_form_class`; the case fills the choices of the fields that refer to its
    rows."""

    entry: ClassVar[ActionEntry]
    references: ClassVar[dict[str, str]] = {}  # page name → Reference
    rows: ClassVar[_Rows | None] = None
    page_names: ClassVar[dict[str, str]] = {}  # schema field → page name (single fields)
    outside: ClassVar[tuple[str, ...]] = ()  # schema fields posted outside the form

    def __init__(self, data: Any = None, *, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(data, prefix=self.entry.action.value, **kwargs)
        if case is not None:
            for name, ref in self.references.items():
                if ref == "unit":
                    self.fields[name].queryset = case.agency.tree().exclude(pk=case.agency_id)
                else:
                    self.fields[name].choices = _open_rows(case, ref)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rows = self.rows
        if rows is None:
            return data
        for n in range(1, rows.count + 1):
            if not data.get(rows.page_name(rows.first, n)):
                continue
            for field, info in rows.item.model_fields.items():
                name = rows.page_name(field, n)
                if info.is_required() and _is_empty(data.get(name)):
                    verb = "选择" if isinstance(self.fields[name], forms.ChoiceField) else "填写"
                    self.add_error(name, f"请{verb}{info.title}")
        return data

    def action_input(self, posted: Any) -> In | None:
        """The validated input of the action from the cleaned form, with the fields posted
        outside it taken from ``posted``; None for an action without input, or when the
        input is refused (the errors are then on the form)."""
        schema = self.entry.schema
        if schema is None:
            return None
        values, where = self._values(posted)
        try:
            return schema.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                field = where.get(tuple(error["loc"][:3])) or where.get(error["loc"][:1])
                if field in self.fields:
                    self.add_error(field, _message(error))
                else:
                    self.add_error(None, f"{_title(schema, error['loc'])}：{_message(error)}")
            return None

    def _values(self, posted: Any) -> tuple[dict[str, Any], dict[tuple, str]]:
        """The schema's values, and where each came from on the page (for its errors)."""
        data, values, where = self.cleaned_data, {}, {}
        schema_fields = self.entry.schema.model_fields
        for field, name in self.page_names.items():
            value = data.get(name)
            if isinstance(value, models.Model):  # a unit chosen on the page: its id
                value = value.pk
            where[(field,)] = name
            if not _is_empty(value) or schema_fields[field].is_required():
                values[field] = value  # left out when empty: the schema's default applies
        for field in self.outside:
            if posted.get(field):
                values[field] = posted.get(field)
        if self.rows is not None:
            rows, items = self.rows, []
            for n in range(1, rows.count + 1):
                if not data.get(rows.page_name(rows.first, n)):
                    continue
                item = {}
                for field in rows.names:
                    value = data.get(rows.page_name(field, n))
                    if not _is_empty(value):
                        item[field] = value
                    where[(rows.name, len(items), field)] = rows.page_name(field, n)
                items.append(item)
            values[rows.name] = items
        return values, where


def _title(schema: type[In], loc: tuple) -> str:
    info = schema.model_fields.get(str(loc[0])) if loc else None
    return (info.title if info else None) or "填写的内容"


def _open_rows(case: Case, ref: str) -> list[tuple[int, str]]:
    """The case's unanswered assignments or consultations, as the page offers them."""
    if ref == "assignment":
        return [
            (row.pk, f"{row.get_kind_display()}至{row.unit.name}（{row.due_on} 前）")
            for row in case.assignments.all()
            if row.answered_on is None
        ]
    return [
        (row.pk, f"{row.party}（{row.due_on} 前）")
        for row in case.consultations.all()
        if row.answered_on is None
    ]


@functools.cache
def action_form_class(action: Action) -> type[ActionForm]:
    """The form class of ``action``, generated from its input schema (made once)."""
    entry = ACTIONS[action]
    fields: dict[str, Any] = {}
    references, page_names, outside, rows = {}, {}, [], None
    schema_fields = entry.schema.model_fields if entry.schema else {}
    for name, info in schema_fields.items():
        hint, where = _page_hint(info), f"{entry.schema.__name__}.{name}"
        if hint.outside:
            outside.append(name)
            continue
        if hint.repeat:
            rows, row_fields = _row_fields(name, info, where)
            fields.update(row_fields)
            continue
        if not info.title:
            raise TypeError(f"{where}: a field shown on the page needs its label, Field(title=…)")
        page_name = _page_name(name, hint)
        fields[page_name] = form_field(
            info, label=info.title, required=_page_required(info), where=where
        )
        page_names[name] = page_name
        if hint.ref:
            references[page_name] = hint.ref
    class_name = "".join(part.title() for part in action.value.split("_")) + "Form"
    return type(
        class_name,
        (ActionForm,),
        {
            **fields,
            "__module__": __name__,
            "__doc__": f"The form of “{entry.label}” (generated).",
            "entry": entry,
            "references": references,
            "page_names": page_names,
            "outside": tuple(outside),
            "rows": rows,
        },
    )


def action_form(action: Action, case: Case, data: Any = None) -> ActionForm:
    """The form of ``action`` for ``case``, with its choices filled from the case."""
    return action_form_class(action)(data, case=case)
