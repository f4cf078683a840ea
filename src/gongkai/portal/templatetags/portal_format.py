"""Formatting for the portal's pages that does not depend on the browser's language (the
portal is written in Chinese whatever the visitor's browser asks for)."""

from __future__ import annotations

from django import template

register = template.Library()

KB = 1024
MB = 1024 * KB


@register.filter
def file_size(size: int | None) -> str:
    """A file's size for people: ``71 字节``, ``1.5 KB``, ``2.0 MB``."""
    n = int(size or 0)
    if n < KB:
        return f"{n} 字节"
    if n < MB:
        return f"{n / KB:.1f} KB"
    return f"{n / MB:.1f} MB"
