"""一策一码: the short address of a policy and its QR code (SVG for pages, PNG for print).

The code encodes the *absolute* short address (``https://…/p/<code>``), which redirects to
the policy's current text, so a printed code keeps working after every revision. The site's
public address is ``GONGKAI_PORTAL_URL`` when it is configured (the address citizens use,
also behind a proxy), else the address of the request.

QR codes are drawn by segno (pure Python, ISO/IEC 18004), error correction level M (about
15 % of the symbol may be damaged: printed on paper, scanned from a screen).
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

#: Pixels a module of the PNG (a 25-module code is then 264 px with its quiet zone).
PNG_SCALE = 8
#: The quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4).
BORDER = 4


def short_path(code: str) -> str:
    """The site-relative short address of a policy: ``/p/<code>``."""
    return reverse("policy:code", args=[code])


def short_url(code: str, request: HttpRequest | None = None) -> str:
    """The absolute short address of a policy: from ``GONGKAI_PORTAL_URL`` when set, else
    from ``request``; only the path when neither is known."""
    base = (getattr(settings, "GONGKAI_PORTAL_URL", "") or "").strip().rstrip("/")
    path = short_path(code)
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def _symbol(data: str) -> segno.QRCode:
    return segno.make_qr(data, error="m", boost_error=False)


def qr_svg(data: str, *, title: str = "") -> bytes:
    """The QR code of ``data`` as a standalone SVG document (scales without blurring)."""
    out = io.BytesIO()
    _symbol(data).save(
        out,
        kind="svg",
        scale=4,
        border=BORDER,
        light="#fff",
        xmldecl=True,
        title=title or None,
    )
    return out.getvalue()


def qr_png(data: str, *, scale: int = PNG_SCALE) -> bytes:
    """The QR code of ``data`` as a black-and-white PNG."""
    out = io.BytesIO()
    _symbol(data).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()
