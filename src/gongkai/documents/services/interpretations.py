"""政策解读 and the steps of a policy's 一码通 chain.

A policy document and its 解读 are prepared, signed off and published together (三同步:
“政策性文件与解读方案、解读材料同步组织、同步审签、同步部署”, 国办发〔2016〕80号), so a
解读 is written by the office that drafts the texts and linked to texts of its own agency
only: an agency explains its own policies (《中华人民共和国政府信息公开条例》第六条:
行政机关应当及时、准确地公开政府信息). The chain steps (:class:`ChainStep`: 政策依据、
意见征集、结果反馈、政策问答、政策兑现) complete the 一策一码 page of a policy beside its
texts and 解读.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from gongkai.agencies.models import Agency

from ..access import DRAFTING_ROLES
from ..models import (
    ChainStep,
    ChainStepKind,
    Document,
    Interpretation,
    InterpretationKind,
    Policy,
)
from .base import DocumentError, audit, require, today

_URL = URLValidator(schemes=["http", "https"])


def _title(title: str, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DocumentError(f"请填写{what}标题")
    if len(title) > 300:
        raise DocumentError(f"{what}标题不能超过300字（现有{len(title)}字）")
    return title


def _url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 200:
        raise DocumentError(f"链接不能超过200个字符（现有{len(url)}个）")
    try:
        _URL(url)
    except ValidationError as exc:
        raise DocumentError(f"链接“{url}”不是有效的网址（应以 http:// 或 https:// 开头）") from exc
    return url


def _choice(value: str, choices: Any, what: str) -> str:
    if value not in choices.values:
        raise DocumentError(f"{what}“{value}”无效，应为{'、'.join(choices.labels)}之一")
    return value


def _check_documents(agency: Agency, documents: list[Document]) -> list[Document]:
    """The texts a 解读 explains: at least one, each of ``agency`` (an agency explains its
    own policies), without repeats."""
    unique = list({d.pk: d for d in documents}.values())
    if not unique:
        raise DocumentError("请选择解读的文件（至少一件）")
    foreign = [d for d in unique if d.agency_id != agency.pk]
    if foreign:
        names = "、".join(d.name for d in foreign)
        raise DocumentError(
            f"{names}不是本机关（{agency.name}）发布的文件；解读只能关联本机关的文件，"
            "其他机关的文件由该机关解读"
        )
    return unique


def interpretation_save(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    published_on: date | None = None,
    documents: list[Document],
    interpretation: Interpretation | None = None,
    ip: str | None = None,
) -> Interpretation:
    """Create a 解读 of ``agency`` (or update ``interpretation``, which must be the agency's)
    linked to ``documents`` (its texts only; the links are replaced on update). It needs a
    content or a link; ``published_on`` may not be after today. Registrars and heads."""
    require(actor, agency.pk, DRAFTING_ROLES, "保存政策解读")
    kind = _choice(kind, InterpretationKind, "解读形式")
    title = _title(title, "解读")
    body, url = (body or "").strip(), _url(url)
    if not body and not url:
        raise DocumentError("解读内容和链接至少填写一项")
    if published_on is not None and published_on > today():
        raise DocumentError(f"发布日期（{published_on}）不能晚于今天（{today()}）")
    linked = _check_documents(agency, documents)
    with transaction.atomic():
        if interpretation is None:
            item = Interpretation(agency=agency, created_by=actor)
        else:
            item = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
            if item.agency_id != agency.pk:
                raise DocumentError(f"该解读属于其他机关，不能改为{agency.name}的解读")
        created = item.pk is None
        item.kind, item.title, item.body, item.url = kind, title, body, url
        item.published_on = published_on
        item.save()
        item.documents.set(linked)
        audit(
            actor,
            action="document.interpretation_saved",
            target=item,
            message=f"{'新建' if created else '修改'}政策解读“{title}”"
            f"（{item.get_kind_display()}），解读{'、'.join(d.name for d in linked)}",
            agency=agency,
            data={"kind": kind, "documents": [d.pk for d in linked], "created": created},
            ip=ip,
        )
    return item


def chain_step_save(
    *,
    actor: Any,
    policy: Policy,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    day: date | None = None,
    step: ChainStep | None = None,
    ip: str | None = None,
) -> ChainStep:
    """Add a step to ``policy``'s 一码通 chain (or update ``step``, which must be the
    policy's): 政策依据、意见征集、结果反馈、政策问答 or 政策兑现. Registrars and heads of
    the policy's agency."""
    require(actor, policy.agency_id, DRAFTING_ROLES, "保存政策环节")
    kind = _choice(kind, ChainStepKind, "环节")
    title = _title(title, "环节")
    body, url = (body or "").strip(), _url(url)
    with transaction.atomic():
        if step is None:
            saved = ChainStep(policy=policy)
        else:
            saved = ChainStep.objects.select_for_update().get(pk=step.pk)
            if saved.policy_id != policy.pk:
                raise DocumentError(f"该环节不属于政策{policy.code}")
        created = saved.pk is None
        saved.kind, saved.title, saved.body, saved.url, saved.day = kind, title, body, url, day
        saved.save()
        audit(
            actor,
            action="document.chain_step_saved",
            target=saved,
            message=f"{'添加' if created else '修改'}政策{policy.code}的"
            f"{saved.get_kind_display()}环节“{title}”",
            agency=policy.agency,
            data={"policy": policy.pk, "kind": kind, "created": created},
            ip=ip,
        )
    return saved
