"""The documents a case step asks for, and who makes them.

Several steps send the applicant or a third party an official letter: the receipt
(《政府信息公开条例》第三十一条), the correction notice (第三十条), consultation letters
(第三十二条), the extension notice (第三十三条第二款), the reply (第三十六条), the fee notice.
Cases decides *which* letter a step needs and with what values; making the document
(wording, numbering, .docx), delivering it (送达) and notifying the applicant belong to the
letters app, which sits above cases. So cases declares what it needs here
(:class:`Documents`) and the letters app provides it when Django starts
(``gongkai.letters.apps.LettersConfig.ready``); cases never imports letters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from gongkai.core.doctypes import DocType
from gongkai.core.outcomes import Outcome

if TYPE_CHECKING:
    from .models import Case
    from .services.base import Step


class Documents(Protocol):
    """What a case step may ask of the letters app (all inside the step's transaction)."""

    def make(self, step: Step, doc_type: DocType, values: dict[str, str]) -> Any:
        """Issue a letter of ``doc_type`` filled with ``values``; returns the letter."""

    def make_reply(self, step: Step, outcome: Outcome) -> Any:
        """Issue the reply letter (答复书) for ``outcome``; returns the letter."""

    def send(self, step: Step, letter: Any, what: str) -> Any:
        """Send ``letter`` the way the applicant asked and notify them of ``what``."""

    def deliver(
        self, step: Step, letter: Any, method: str | None, *, tracking_number: str = ""
    ) -> Any:
        """Record the dispatch of ``letter`` by ``method`` (None: the applicant's way)."""

    def notify(self, case: Case, what: str, *, letter: Any = None) -> list[str]:
        """Queue the e-mail / SMS notices to the applicant about ``what``."""


_provider: Documents | None = None


def provide(documents: Documents) -> None:
    """Install the maker of documents (called once by the letters app at start-up)."""
    global _provider
    _provider = documents


def documents() -> Documents:
    """The installed maker of documents."""
    if _provider is None:
        raise ImproperlyConfigured("文书模块（gongkai.letters）未安装：请将其加入 INSTALLED_APPS")
    return _provider
