"""The receipt date of an application by channel (《政府信息公开条例》第三十一条).

Every time limit of an application counts from its receipt date, and the statute fixes
that date by how the application arrived: in person, the day it is handed in; by post or
courier needing a signature, the day the agency signs for it; by ordinary letter, the day
the disclosure office confirms receipt with the applicant (which it must do the day the
letter arrives); online, by e-mail or by fax, the day both sides confirm it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ReceiptError(ValueError):
    """A receipt that lacks the date its channel counts from (message in Chinese)."""


class Channel(StrEnum):
    """How the application arrived (第三十一条)."""

    IN_PERSON = "in_person"
    SIGNED_POST = "signed_post"
    ORDINARY_LETTER = "ordinary_letter"
    ONLINE = "online"
    EMAIL = "email"
    FAX = "fax"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.SIGNED_POST: "邮寄或快递（需签收）",
    Channel.ORDINARY_LETTER: "平常信函（无需签收）",
    Channel.ONLINE: "互联网在线提交",
    Channel.EMAIL: "电子邮件",
    Channel.FAX: "传真",
}


def receipt_date(
    channel: Channel,
    *,
    handed_in: date | None = None,
    signed_for: date | None = None,
    confirmed: date | None = None,
) -> date:
    """The legal receipt date of an application (《政府信息公开条例》第三十一条).

    In person: the day it was handed in (``handed_in``). Post or courier needing a
    signature: the day the agency signed for it (``signed_for``). Ordinary letter: the day
    the disclosure office confirmed receipt with the applicant (``confirmed``). Online,
    e-mail or fax: the day both sides confirmed it (``confirmed``).
    """
    needed = {
        Channel.IN_PERSON: (handed_in, "当面提交日期"),
        Channel.SIGNED_POST: (signed_for, "签收日期"),
        Channel.ORDINARY_LETTER: (confirmed, "与申请人确认收到的日期"),
        Channel.ONLINE: (confirmed, "双方确认日期"),
        Channel.EMAIL: (confirmed, "双方确认日期"),
        Channel.FAX: (confirmed, "双方确认日期"),
    }
    value, what = needed[Channel(channel)]
    if value is None:
        raise ReceiptError(f"{Channel(channel).label}的申请以{what}为收到日期，但未填写{what}")
    return value
