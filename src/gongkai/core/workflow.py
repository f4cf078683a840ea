"""The life of a disclosure application as a state machine: statuses, actions, roles.

The steps follow 《政府信息公开条例》: registration on receipt (第三十一条), one correction
notice (第三十条), routing to departments, consultation (第三十二条、第三十四条), extension
with the approval of the head of the disclosure office (第三十三条第二款), secrecy review
before anything is released (第十七条: agencies set up a review mechanism), the reply
(第三十六条至第三十九条), withdrawal, reopening after a reconsideration decision
(《行政复议法》第六十四条: the body may order the agency to decide again) and archiving.

:data:`TRANSITIONS` is the single table of which action may run in which status, by whom,
and where it leads; :func:`transition` applies it and raises :class:`TransitionError` with a
Chinese message otherwise. Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class TransitionError(ValueError):
    """An action that the case's status or the actor's roles do not allow."""


class Status(StrEnum):
    REGISTERED = "registered"
    AWAITING_CORRECTION = "awaiting_correction"
    PROCESSING = "processing"
    DRAFTED = "drafted"
    APPROVED = "approved"
    REPLIED = "replied"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still running against the reply deadline (counted as carried over at year end)."""
        return self not in (Status.REPLIED, Status.CLOSED, Status.ARCHIVED)


_STATUS_LABELS = {
    Status.REGISTERED: "已登记",
    Status.AWAITING_CORRECTION: "待补正",
    Status.PROCESSING: "办理中",
    Status.DRAFTED: "待审签",
    Status.APPROVED: "已签发待送达",
    Status.REPLIED: "已答复",
    Status.CLOSED: "已终止",
    Status.ARCHIVED: "已归档",
}


class Role(StrEnum):
    REGISTRAR = "registrar"
    HANDLER = "handler"
    HEAD = "head"
    SECRECY = "secrecy"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.REGISTRAR: "登记员",
    Role.HANDLER: "承办人",
    Role.HEAD: "公开工作机构负责人",
    Role.SECRECY: "保密审查员",
    Role.SUPERVISOR: "上级监督",
    Role.ADMIN: "管理员",
}


class Action(StrEnum):
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE_CORRECTION = "lapse_correction"
    ASSIGN = "assign"
    ANSWER_ASSIGNMENT = "answer_assignment"
    CONSULT = "consult"
    ANSWER_CONSULTATION = "answer_consultation"
    EXTEND = "extend"
    SECRECY_REVIEW = "secrecy_review"
    DRAFT_REPLY = "draft_reply"
    RETURN_DRAFT = "return_draft"
    APPROVE = "approve"
    MARK_REPLIED = "mark_replied"
    FEE_NOTICE = "fee_notice"
    FEE_PAID = "fee_paid"
    LAPSE_FEE = "lapse_fee"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    ARCHIVE = "archive"

    @property
    def label(self) -> str:
        return TRANSITIONS[self].label


@dataclass(frozen=True, slots=True)
class Transition:
    label: str
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change
    roles: frozenset[Role]


_OPEN = frozenset({Status.REGISTERED, Status.PROCESSING, Status.DRAFTED})
_WORKING = frozenset({Status.REGISTERED, Status.PROCESSING})
_OFFICE = frozenset({Role.REGISTRAR, Role.HEAD})
_DONE = frozenset({Status.REPLIED, Status.CLOSED})


def _t(label: str, sources: Iterable[Status], target: Status | None, *roles: Role) -> Transition:
    return Transition(label, frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[Action, Transition] = {
    # 第三十条: once, within 7 working days of receipt, so only from a just-registered case.
    Action.REQUEST_CORRECTION: _t(
        "补正告知", {Status.REGISTERED}, Status.AWAITING_CORRECTION, *_OFFICE
    ),
    Action.RECEIVE_CORRECTION: _t(
        "收到补正", {Status.AWAITING_CORRECTION}, Status.PROCESSING, *_OFFICE
    ),
    Action.LAPSE_CORRECTION: _t(
        "逾期未补正", {Status.AWAITING_CORRECTION}, Status.CLOSED, *_OFFICE
    ),
    Action.ASSIGN: _t("转办/协查", _OPEN, Status.PROCESSING, *_OFFICE),
    Action.ANSWER_ASSIGNMENT: _t("承办意见", _OPEN, None, *_OFFICE, Role.HANDLER),
    Action.CONSULT: _t("征求意见", _OPEN, None, *_OFFICE, Role.HANDLER),
    Action.ANSWER_CONSULTATION: _t("收到意见回复", _OPEN, None, *_OFFICE, Role.HANDLER),
    Action.EXTEND: _t("延期答复", _OPEN, None, Role.HEAD),
    Action.SECRECY_REVIEW: _t("保密审查", _OPEN, None, Role.SECRECY, Role.HEAD),
    Action.DRAFT_REPLY: _t("拟定答复", _WORKING, Status.DRAFTED, *_OFFICE, Role.HANDLER),
    Action.RETURN_DRAFT: _t("退回修改", {Status.DRAFTED}, Status.PROCESSING, Role.HEAD),
    Action.APPROVE: _t("审签", {Status.DRAFTED}, Status.APPROVED, Role.HEAD),
    Action.MARK_REPLIED: _t("已答复送达", {Status.APPROVED}, Status.REPLIED, *_OFFICE),
    # 《政府信息公开信息处理费管理办法》: the notice goes out within the reply period; the
    # applicant pays within 20 working days of receiving it, or processing stops (other_2).
    Action.FEE_NOTICE: _t("收费通知", _WORKING, None, *_OFFICE),
    Action.FEE_PAID: _t("缴费登记", _OPEN, None, *_OFFICE),
    Action.LAPSE_FEE: _t("逾期未缴费", _OPEN, Status.CLOSED, *_OFFICE),
    Action.WITHDRAW: _t(
        "申请人撤回",
        _OPEN | {Status.AWAITING_CORRECTION, Status.APPROVED},
        Status.CLOSED,
        *_OFFICE,
    ),
    Action.REOPEN: _t(
        "复议/诉讼后重新办理", _DONE | {Status.ARCHIVED}, Status.PROCESSING, Role.HEAD
    ),
    Action.ARCHIVE: _t("归档", _DONE, Status.ARCHIVED, *_OFFICE),
}


def transition(status: Status, action: Action, roles: Iterable[Role]) -> Status:
    """The status after ``action``; :class:`TransitionError` when it is not allowed."""
    rule = TRANSITIONS[action]
    held = set(roles)
    if status not in rule.sources:
        allowed = "、".join(f"“{s.label}”" for s in Status if s in rule.sources)
        raise TransitionError(
            f"案件当前为“{status.label}”，不能执行“{rule.label}”（仅限{allowed}状态）"
        )
    if not held & rule.roles:
        needed = "、".join(r.label for r in Role if r in rule.roles)
        raise TransitionError(f"“{rule.label}”须由{needed}办理，您没有相应角色")
    return rule.target or status


def allowed_actions(status: Status, roles: Iterable[Role]) -> list[Action]:
    """The actions a person holding ``roles`` may take on a case in ``status``, in table order."""
    held = set(roles)
    return [a for a, t in TRANSITIONS.items() if status in t.sources and held & t.roles]
