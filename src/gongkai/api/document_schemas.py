"""The schemas of the registry's API (:mod:`.documents`): queries, bodies and responses.

Choice fields accept the stable code or the Chinese label; the docstrings and field
descriptions are what ``/api/docs`` shows, hence in Chinese.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field
from pydantic import ValidationInfo, field_validator

from gongkai.cases.actions.fields import MAX_ID, Clean, In, Note
from gongkai.cases.selectors import search_terms
from gongkai.core.validity import DocKind, Validity
from gongkai.documents.models import Disclosure, LegalBasis, ReviewState

MAX_PAGE = 200
#: The longest 正文 accepted through the API, in characters.
MAX_TEXT = 2_000_000


# --- choices: a code or its Chinese label ------------------------------------------------------

KINDS = {k.value: k.label for k in DocKind}
VALIDITIES = {v.value: v.label for v in Validity}
REVIEW_STATES = dict(ReviewState.choices)
DISCLOSURES = dict(Disclosure.choices)


def choice_code(value: str, choices: dict[str, str], what: str) -> str:
    """The code of ``value``, given as a code or as its Chinese label; ``""`` stays ``""``.

    An unknown value raises ``ValueError`` naming the field and the accepted labels (422)."""
    value = value.strip()
    if not value or value in choices:
        return value
    for code, label in choices.items():
        if value == label:
            return code
    accepted = "、".join(f"{label}（{code}）" for code, label in choices.items())
    raise ValueError(f"未知的{what}“{value}”，可选：{accepted}")


# --- schemas ----------------------------------------------------------------------------------


class DocumentQuery(Clean):
    """文件列表的筛选条件与分页；空白的参数视为未填写。"""

    q: str = Field("", max_length=200, description="标题、发文字号或索引号中的关键词（空格分隔）")
    kind: str = Field("", description="文件类别：规章、行政规范性文件、其他文件（或其代码）")
    status: str = Field(
        "", description="效力状态：尚未施行、现行有效、已修订、失效、已废止（或其代码）"
    )
    agency: str = Field("", max_length=50, description="发布机构的机关代码")
    year: int | None = Field(None, ge=1000, le=9999, description="成文日期所在年份")
    topic: str = Field("", max_length=50, description="主题分类")
    review_state: str = Field(
        "", description="审查状态：草稿、待保密审查、个人信息核查、待签发、已发布、已退回、已撤下"
    )
    page: int = Field(1, ge=1, le=MAX_ID, description="页码（从 1 开始）")
    limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"每页条数（最多 {MAX_PAGE}）")

    @field_validator("year", "page", "limit", mode="before")
    @classmethod
    def _blank_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """A blank parameter is "not given": its default, never 0."""
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[info.field_name].default
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return choice_code(value, KINDS, "文件类别")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return choice_code(value, VALIDITIES, "效力状态")

    @field_validator("review_state")
    @classmethod
    def _review_state(cls, value: str) -> str:
        return choice_code(value, REVIEW_STATES, "审查状态")

    @field_validator("q")
    @classmethod
    def _bounded_search(cls, value: str) -> str:
        search_terms(value)
        return value


class DocAgencyOut(Clean):
    id: int
    name: str
    code: str = Field(description="机关代码（列表的 agency 筛选条件）")


class DocumentRowOut(Clean):
    """列表中的一份文件（一个版本）。"""

    id: int
    title: str = Field(description="标题")
    name: str = Field(description="《标题》（发文字号）；没有发文字号时只有《标题》")
    doc_number: str | None = Field(description="发文字号；没有时为 null")
    index_no: str = Field(description="索引号")
    kind: str
    kind_label: str
    agency: DocAgencyOut = Field(description="发布机构")
    topic: str = Field(description="主题分类")
    written_on: date = Field(description="成文日期")
    published_on: date | None = Field(description="发布日期")
    effective_on: date = Field(description="施行日期")
    expires_on: date | None = Field(description="有效期至")
    validity: str = Field(description="效力状态代码")
    validity_label: str
    validity_since: date | None = Field(description="当前效力状态的起始日")
    review_state: str = Field(description="审查状态代码")
    review_state_label: str
    policy_code: str = Field(description="政策码（一策一码）")


class DocumentPageOut(Clean):
    count: int = Field(description="符合条件的文件总数")
    page: int
    pages: int = Field(description="总页数")
    limit: int
    offset: int
    items: list[DocumentRowOut]


class DocRefOut(Clean):
    id: int
    title: str
    index_no: str
    doc_number: str | None


class ValidityChangeOut(Clean):
    """一次经决定的效力变更（修订、废止、宣布失效），附决定文件。"""

    day: date
    target: str
    target_label: str
    decision_title: str = Field(description="决定文件标题")
    decision_number: str | None = Field(description="决定文件文号；没有时为 null")
    cleanup_id: int | None = Field(description="所属清理批次 id")
    actor: str


class VersionOut(DocRefOut):
    """同一政策的一个版本。"""

    written_on: date
    published_on: date | None
    validity: str
    validity_label: str
    review_state: str
    review_state_label: str
    revises_id: int | None


class PolicyOut(Clean):
    """政策（一策一码）：稳定的政策码与短链接，及其全部版本（按成文日期排列）。"""

    id: int
    code: str
    path: str = Field(description="短链接路径 /p/<政策码>")
    versions: list[VersionOut]


class InterpretationOut(Clean):
    id: int
    title: str
    kind: str
    kind_label: str
    published_on: date | None


class AttachmentOut(Clean):
    """附件（不提供文件下载地址）。"""

    id: int
    name: str
    content_type: str
    size: int = Field(description="字节数")
    sha256: str
    uploaded_at: datetime


class HitOut(Clean):
    """个人信息扫描的一处发现：只有脱敏后的内容。"""

    kind: str = Field(description="类型代码；unreadable 表示未能扫描的部分")
    label: str
    masked: str = Field(description="脱敏后的内容")
    where: str = Field(description="位置")
    file: str = Field(description="所在附件的文件名；在标题或正文中时为空")
    severity: str = Field(
        description="block：须删除或记录公开依据；warn：提请核实；note：未能扫描，须人工核查"
    )
    explanation: str = Field(description="说明")


class ReviewStepOut(Clean):
    kind: str
    kind_label: str
    passed: bool
    note: str
    basis: str
    basis_label: str
    hits: list[HitOut]
    actor: str
    at: datetime


class DocumentDetailOut(DocumentRowOut):
    """文件详情：全部字段、效力变更记录、政策的各版本、解读、附件与审查记录。"""

    formed_on: date = Field(description="形成或变更日期（公开时限自此起算，条例第二十六条）")
    disclosure: str
    disclosure_label: str
    not_public_reason: str
    text: str = Field(description="正文")
    revises: DocRefOut | None = Field(description="本文件修订的文件")
    revised_by: DocRefOut | None = Field(description="修订本文件的文件")
    created_by: str
    created_at: datetime
    updated_at: datetime
    validity_history: list[ValidityChangeOut]
    policy: PolicyOut
    interpretations: list[InterpretationOut]
    attachments: list[AttachmentOut]
    review_trail: list[ReviewStepOut]


class DocumentIn(In):
    """登记一份文件（字段同 JSON Lines 导入）。日期格式 YYYY-MM-DD。"""

    agency: str = Field(
        "",
        max_length=50,
        description="发布机构的机关代码；只在一个机关担任登记员或公开工作机构负责人时可省略",
    )
    title: str = Field(max_length=300, description="标题")
    index_no: str = Field("", max_length=80, description="索引号；留空则按本机关的索引号格式生成")
    doc_number: str = Field("", max_length=80, description="发文字号")
    kind: str = Field(description="文件类别：规章、行政规范性文件、其他文件（或其代码）")
    written_on: date = Field(description="成文日期")
    effective_on: date = Field(description="施行日期")
    expires_on: date | None = Field(None, description="有效期至")
    formed_on: date | None = Field(None, description="形成或变更日期；留空为成文日期")
    topic: str = Field("", max_length=50, description="主题分类")
    text: str = Field("", max_length=MAX_TEXT, description="正文")
    disclosure: str = Field(
        Disclosure.PROACTIVE.value,
        description="公开属性：主动公开、依申请公开、不予公开（或其代码）",
    )
    not_public_reason: str = Field("", max_length=300, description="不予公开的理由")
    revises: str = Field(
        "", max_length=80, description="本文件修订的文件的索引号或发文字号（修订时填写）"
    )

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        code = choice_code(value, KINDS, "文件类别")
        if not code:
            raise ValueError("请填写文件类别：规章、行政规范性文件或其他文件")
        return code

    @field_validator("disclosure")
    @classmethod
    def _disclosure(cls, value: str) -> str:
        return choice_code(value, DISCLOSURES, "公开属性") or Disclosure.PROACTIVE.value


class SecrecyIn(In):
    """保密审查结论：通过则随即进行个人信息扫描；不通过则退回。"""

    passed: bool = Field(description="是否通过保密审查")
    note: Note = Field("", description="审查意见")


class BasisIn(In):
    """扫描发现个人信息而仍须公开时，记录公开依据（条例第十五条）。"""

    basis: LegalBasis = Field(description="公开依据")
    note: Note = Field(description="说明")


class PublishIn(In):
    """签发并发布；不填日期为今天。"""

    day: date | None = Field(None, description="发布日期")


class ReturnIn(In):
    note: Note = Field(description="退回意见")


class TakeDownIn(In):
    reason: Note = Field(description="撤下理由")


class DecisionIn(In):
    """效力变更的决定：日期与决定文件。"""

    day: date = Field(description="生效日期")
    decision_title: str = Field(max_length=300, description="决定文件标题")
    decision_number: str = Field("", max_length=80, description="决定文件文号")
