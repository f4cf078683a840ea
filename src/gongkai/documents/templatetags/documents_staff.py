"""Pills of the registry's staff pages: a text's validity, its review state and its
publication clock (《中华人民共和国政府信息公开条例》第二十六条), in the site's colours."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from gongkai.core.deadlines import Colour
from gongkai.core.validity import PublicationClock, Validity

from ..models import Document, ReviewState

register = template.Library()

#: 现行有效 green, 尚未施行 yellow, the final states grey.
_VALIDITY_COLOURS = {
    Validity.IN_FORCE: "green",
    Validity.NOT_YET_IN_FORCE: "yellow",
    Validity.REVISED: "done",
    Validity.EXPIRED: "done",
    Validity.REPEALED: "done",
}
#: Waiting for someone: yellow; returned or taken down: red; published: green.
_REVIEW_COLOURS = {
    ReviewState.DRAFT: "done",
    ReviewState.SECRECY: "yellow",
    ReviewState.SCAN: "yellow",
    ReviewState.SIGN_OFF: "yellow",
    ReviewState.PUBLISHED: "green",
    ReviewState.RETURNED: "red",
    ReviewState.TAKEN_DOWN: "red",
}


@register.simple_tag
def validity_pill(value: str) -> str:
    """The 效力状态 as a pill (an unknown value shows as written)."""
    try:
        validity = Validity(value)
    except ValueError:
        return format_html('<span class="pill done">{}</span>', value)
    return format_html(
        '<span class="pill {}">{}</span>', _VALIDITY_COLOURS[validity], validity.label
    )


@register.simple_tag
def text_validity_pill(document: Document) -> str:
    """The 效力状态 of a text as the office reads it: a text not yet published has none
    (“未发布”; its page says which it will have), a published or taken-down one its own."""
    if document.review_state in (ReviewState.PUBLISHED, ReviewState.TAKEN_DOWN):
        return validity_pill(document.validity)
    return format_html('<span class="pill done">{}</span>', "未发布")


@register.filter
def paragraphs(text: str) -> SafeString:
    """A text's body as paragraphs, one per non-blank line (an official text puts each
    条 or 段 on a line of its own, each indented on the page)."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return format_html_join("\n", "<p>{}</p>", ((line,) for line in lines if line))


@register.simple_tag
def review_pill(value: str) -> str:
    """The 审查状态 as a pill."""
    try:
        state = ReviewState(value)
    except ValueError:
        return format_html('<span class="pill done">{}</span>', value)
    return format_html('<span class="pill {}">{}</span>', _REVIEW_COLOURS[state], state.label)


@register.simple_tag
def clock_pill(clock: PublicationClock | None) -> str:
    """The publication clock's card: once published, in time or late; before, the working
    days left or overdue; “—” for a text without a clock (not proactive, taken down)."""
    if clock is None:
        return format_html('<span class="muted">{}</span>', "—")
    if clock.published is not None:
        if clock.late:
            return format_html('<span class="pill red">{}</span>', "逾期公开")
        return format_html('<span class="pill green">{}</span>', "按时公开")
    left = clock.working_days_left
    if clock.colour == Colour.RED:
        overdue = -left if left is not None else 0
        return format_html('<span class="pill red">红牌 · 逾期 {} 个工作日</span>', overdue)
    colour = "yellow" if clock.colour == Colour.YELLOW else "green"
    label = "黄牌" if colour == "yellow" else "绿牌"
    return format_html('<span class="pill {}">{} · 剩 {} 个工作日</span>', colour, label, left)


@register.filter
def hit_value(hit: Any, key: str) -> Any:
    """A field of a recorded scan hit (a dict), blank when absent: the hits are stored as
    the scan wrote them, so a page reads them defensively."""
    if isinstance(hit, dict):
        return hit.get(key, "")
    return getattr(hit, key, "")
