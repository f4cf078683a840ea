"""Request middleware for a deployment behind a reverse proxy, and the security headers.

- ``ClientAddressMiddleware`` makes ``REMOTE_ADDR`` the client's real address. A reverse proxy
  (nginx, a load balancer) connects from its own address and names the client in
  ``X-Forwarded-For``; that header, and ``X-Forwarded-Proto``, are believed only when the
  peer is one of ``GONGKAI_TRUSTED_PROXIES``. From anybody else they are dropped, so a client
  can neither spoof its address (rate limits, the audit trail) nor claim HTTPS.
- ``NulByteMiddleware`` answers 400 to an address with a NUL character in its path or query:
  never meaningful, and PostgreSQL refuses it in any text it is compared with.
- ``ContentSecurityPolicyMiddleware`` sends a Content-Security-Policy: the pages load scripts,
  styles and images from the site only and have no inline script. It also answers a HEAD
  request with the headers alone (RFC 9110: no body), as the production server expects.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def trusted_networks() -> tuple[Network, ...]:
    """The configured proxies as networks (a bare address is a one-address network)."""
    return _networks(tuple(settings.GONGKAI_TRUSTED_PROXIES))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    # A server listening on [::] sees an IPv4 peer as ::ffff:a.b.c.d: the same address.
    mapped = getattr(ip, "ipv4_mapped", None)
    return mapped if mapped is not None else ip


def is_trusted(address: str) -> bool:
    ip = _address(address)
    return ip is not None and any(ip in net for net in trusted_networks())


def forwarded_client(remote: str, forwarded_for: str) -> str:
    """The client's address: walking ``X-Forwarded-For`` from the right (the hop nearest to
    us), the first address that is not a trusted proxy. Addresses left of it were written by
    the client itself and prove nothing."""
    if not is_trusted(remote):
        return remote
    client = remote
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        ip = _address(hop)
        if ip is None:  # garbage in the chain: stop at the last address we can vouch for
            break
        client = str(ip)
        if not is_trusted(client):
            break
    return client


class ClientAddressMiddleware:
    """Set ``REMOTE_ADDR`` from a trusted proxy's headers; drop forwarded headers otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        peer = _address(remote)
        if peer is not None:
            remote = meta["REMOTE_ADDR"] = str(peer)
        if is_trusted(remote):
            meta["REMOTE_ADDR"] = forwarded_client(remote, meta.get("HTTP_X_FORWARDED_FOR", ""))
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class NulByteMiddleware:
    """400 for a NUL character in the path or the query string."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest(
                "请求地址中含有空字符（NUL），未予处理".encode(),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Add the site's Content-Security-Policy to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.method == "HEAD" and not response.streaming:
            length = len(response.content)
            response.content = b""
            response.headers["Content-Length"] = str(length)
        return response
