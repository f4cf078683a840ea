"""The building blocks of the actions' input schemas: the input bases, the shared field types,
and :class:`Page`, the hint that tells the staff page how to show a field where its type and
constraints do not say.

A field's ``title`` is its label on the page, its ``description`` the help text under it (both
also appear in ``/api/docs``). Notes for API clients only belong in the schema's docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

MAX_ID = 2**63 - 1  # the largest primary key the databases store
LONG = 10_000  # free-text fields (notes, opinions, request text)
AMEND_REASON_MAX = 200


class Clean(Schema):
    """Input base: enum fields keep their plain code; no NUL characters in strings."""

    model_config = ConfigDict(use_enum_values=True)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("不能包含空字符（\\x00）")
        return value


class In(Clean):
    """A request body: unknown fields are refused, so a misspelt field is not silently lost."""

    model_config = ConfigDict(extra="forbid")


#: What a case row can be referred to by on the page: a unit of the case's agency tree, or
#: an unanswered assignment or consultation of the case.
Reference = Literal["unit", "assignment", "consultation"]


@dataclass(frozen=True, slots=True)
class Page:
    """How the staff page shows a field, where its type and constraints do not say.

    ``rows``: a text box of that many lines (otherwise a one-line input). ``choices``: the
    Chinese labels of the values the page offers, in order (values left out are accepted from
    API clients only); ``blank``: the label of the empty choice of an optional field.
    ``min_value``/``max_value``: bounds checked on the page only (the API leaves them to the
    service, which answers 400 with its own message). ``initial``: the page's initial value
    when the schema has no default. ``ref``: the field is the id of a case row, offered as a
    choice filled from the case. ``repeat``: a list field shown as that many rows of its item's
    fields (the first row required). ``name``: the page's field name when it differs from the
    schema's. ``outside``: posted outside the action's form, unprefixed (one box on the page
    serves every action); the form does not render it.
    """

    rows: int | None = None
    choices: Mapping[str, str] | None = None
    blank: str | None = None
    min_value: int | None = None
    max_value: int | None = None
    initial: Any = None
    ref: Reference | None = None
    repeat: int = 0
    name: str | None = None
    outside: bool = False


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Note = Annotated[str, Field(max_length=LONG)]

#: The reason for changing a year whose annual report is published: the service refuses such a
#: change without it, and records it as an amendment of the report with it.
AmendReason = Annotated[
    str,
    Field(
        max_length=AMEND_REASON_MAX,
        title="年报更正理由",
        description=(
            "仅在更正已发布年度的数据时填写：该年度报告已发布时，不填写则拒绝办理；"
            "填写后办理，并记入年报更正记录"
        ),
    ),
    Page(outside=True),
]
