"""No English on the pages: crawl the demo site as each role and read what a person sees.

The platform is used by a Chinese disclosure office and by citizens, so every word on a page
— titles, menus, buttons, column heads, filters, messages, the admin — is Chinese. Latin
letters pass only where Chinese office use writes them so too (:data:`ALLOWED`: file formats,
SHA-256, API) and in the data itself (:data:`DATA` and :func:`data_words`: agency codes in
case numbers, user names, e-mail addresses, codes with digits). Any other Latin word fails
the test, listed with the text around it and the pages it is on.

The crawl (:class:`Crawl`) opens, with Django's test client, every same-site page reachable by
links from each role's start page: GET only; not logging out, not downloads (letters, reports,
uploaded material); of the links with a query string, one per page (the first page of a
list, a filter) — paging and sorting show the same words again; of the pages of one kind
(say, each case), at most :data:`PER_KIND` (in the admin :data:`ADMIN_PER_KIND`). A few pages
are also opened in Chromium (:func:`test_key_pages_in_a_browser`) to read the text as
rendered, with the browser's own language preferences (English first).
"""

from __future__ import annotations

import os
import re
import shutil
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from tests.web.test_browser import ARGS, CHROMIUM

#: Latin words written so in Chinese office use too, each for its reason (and each on a
#: page today: the list is kept to what is needed).
ALLOWED = {
    # File formats, as upload fields and download links name them (PDF、Word、OFD 版式文件).
    "PDF", "OFD", "JPG", "PNG", "DOCX", "Word", "JSON",
    # The digest that identifies a letter's file (SHA-256) and the interface for other
    # systems (API): names with no Chinese form in use.
    "SHA", "API",
    # Online applications are numbered WS… (WS2025000001); the portal's lookup page tells
    # the applicant which of their numbers starts so.
    "WS",
}  # fmt: skip

#: Data, not interface, removed before looking: e-mail addresses; a masked secret, of which
#: only the first characters show (a password's salt “Az****”, an API token's “gk_Ab1x…”,
#: by which the office tells its tokens apart); codes with a digit in them
#: (application numbers WS2025000001, credit codes, receipt numbers, file digests); the
#: query code given to an applicant (8 letters and digits); a file name's extension (.docx).
DATA = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"
    r"|[A-Za-z0-9+/=]*\*{4,}"
    r"|gk_[\w-]*"
    r"|(?<![A-Za-z0-9])[A-Za-z0-9]*[0-9][A-Za-z0-9]*(?![A-Za-z0-9])"
    r"|(?<=查询码)[（(：:\s]*[A-Z2-9]{8}"
    r"|\.[a-z]{2,4}\b",
    re.ASCII,
)
LATIN = re.compile(r"[A-Za-z]{2,}")
#: Files, not pages: letters and reports to download, uploaded material.
DOWNLOAD = re.compile(r"(\.(docx|xlsx|pdf|json|csv|html?)$|/docx/$|/files/\d+/|/proof/)")
#: Paging and sorting: the first page of a list stands for the others.
PAGING = {"p", "page", "o"}
#: Pages of one kind (their numbers replaced) opened at most this many times per role: all
#: the demo's cases (in every status, each showing its own actions); in the admin, a few
#: objects of each kind (one template, only the data differs).
PER_KIND = 40
ADMIN_PER_KIND = 5

#: Each role's start pages (demo users, password gongkai-demo); None is a citizen.
ROLES: dict[str | None, list[str]] = {
    "zhang": ["/"],  # 登记员
    "wang": ["/"],  # 公开工作机构负责人
    "li": ["/"],  # 保密审查员
    "zhao": ["/"],  # 承办人
    "chen": ["/"],  # 上级监督
    "admin": ["/", "/admin/"],  # 平台管理员
    None: ["/portal/"],  # 公众
}


class PageText(HTMLParser):
    """The text a reader sees — element text and the attributes shown or read aloud — and
    the page's links."""

    SKIP = frozenset({"script", "style", "template", "noscript"})
    SHOWN = frozenset({"title", "placeholder", "alt", "aria-label"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
            return
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if a.get("type") == "hidden":
            return
        self.parts.extend(v for k, v in attrs if k in self.SHOWN and v)
        if tag == "input" and a.get("type") in {"submit", "button", "reset"} and a.get("value"):
            self.parts.append(a["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def read_page(html: str) -> tuple[str, list[str]]:
    """The visible text of a page and its links."""
    parser = PageText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts), parser.links


def latin_words(text: str, allowed: set[str] = ALLOWED) -> dict[str, str]:
    """Each Latin word not allowed, with the text around its first place."""
    text = DATA.sub(" ", text)
    found: dict[str, str] = {}
    for m in LATIN.finditer(text):
        if m.group() not in allowed and m.group() not in found:
            around = text[max(0, m.start() - 15) : m.end() + 15]
            found[m.group()] = " ".join(around.split())
    return found


def explain(found: dict[str, dict[str, str]]) -> str:
    """One line a word: the word, the text around it, on how many pages, the first pages."""
    pages: dict[str, list[str]] = {}
    context: dict[str, str] = {}
    for url, words in sorted(found.items()):
        for word, around in words.items():
            pages.setdefault(word, []).append(url)
            context.setdefault(word, around)
    return "\n".join(
        f"{word}（“{context[word]}”）：{len(urls)} 页，如 {'、'.join(urls[:3])}"
        for word, urls in sorted(pages.items(), key=lambda kv: kv[0].lower())
    )


class Crawl:
    """The pages one visitor reaches by following links, and the Latin words on each."""

    def __init__(self, client: Client, allowed: set[str]) -> None:
        self.client, self.allowed = client, allowed
        self.seen: set[str] = set()
        self.with_query: set[str] = set()
        self.per_kind: dict[str, int] = {}
        self.found: dict[str, dict[str, str]] = {}
        self.opened = 0

    def run(self, start: list[str]) -> dict[str, dict[str, str]]:
        queue = deque(u for u in start if self.admit(u))
        while queue:
            url = queue.popleft()
            response = self.client.get(url)
            self.opened += 1
            if response.status_code in (301, 302):
                queue.extend(self.admitted(url, [response["Location"]]))
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if "attachment" in response.get("Content-Disposition", ""):
                continue
            text, links = read_page(response.content.decode())
            if words := latin_words(text, self.allowed):
                self.found[url] = words
            queue.extend(self.admitted(url, links))
        return self.found

    def admitted(self, base: str, hrefs: list[str]) -> Iterator[str]:
        for href in hrefs:
            url = urljoin(base, href)
            if self.admit(url):
                yield url

    def admit(self, url: str) -> bool:
        """Whether to open ``url`` (marking it seen)."""
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return False
        path = parts.path
        local = path + (f"?{parts.query}" if parts.query else "")
        if local in self.seen or "logout" in path or DOWNLOAD.search(path):
            return False
        if parts.query:
            query = parse_qsl(parts.query, keep_blank_values=True)
            if any(k in PAGING and v not in ("", "0", "1") for k, v in query):
                return False
            if path in self.with_query:
                return False
            self.with_query.add(path)
        kind = re.sub(r"\d+", "#", path)
        if self.per_kind.get(kind, 0) >= (
            ADMIN_PER_KIND if path.startswith("/admin/") else PER_KIND
        ):
            return False
        self.per_kind[kind] = self.per_kind.get(kind, 0) + 1
        self.seen.add(local)
        return True


def data_words() -> set[str]:
    """Latin words that are data: agency codes (in case numbers), user names (also as the
    admin's header shows them, in capitals)."""
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

    names = set(User.objects.values_list("username", flat=True))
    return set(Agency.objects.values_list("code", flat=True)) | names | {n.upper() for n in names}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The demo world, loaded once for the class that uses it and rolled back after it (the
    browser test, which needs it committed, loads its own)."""
    from gongkai.project.demo import load_demo

    with (
        time_machine.travel("2025-06-16 10:00 +0800", tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        users = load_demo().users
        yield users
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestEachRole:
    """Each role crawls the same demo world."""

    @pytest.mark.parametrize("username", list(ROLES), ids=[u or "citizen" for u in ROLES])
    def test_pages_have_no_english(self, demo, username):
        client = Client()
        if username:
            client.force_login(demo[username])
        crawl = Crawl(client, ALLOWED | data_words())
        found = crawl.run(ROLES[username])
        assert crawl.opened >= 3, f"只打开了 {crawl.opened} 个页面"
        assert not found, "页面上有英文：\n" + explain(found)


def test_reader_sees_text_attributes_not_code():
    html = (
        "<html><head><title>登录 · 平台</title><style>.x{color:red}</style></head><body>"
        '<script>var hello = "world";</script><img alt="Search">'
        '<input type="hidden" value="secret"><input type="submit" value="Save">'
        '<a href="/cases/?page=2" title="下一页">2</a> 编号 SFJY-2025-0001，'
        "邮箱 zhang@demo.gongkai.local，查询码（GNNU8EJ4），文件 报告.docx，"
        "盐 Az******</body></html>"
    )
    text, links = read_page(html)
    assert links == ["/cases/?page=2"]
    assert set(latin_words(text, ALLOWED | {"SFJY"})) == {"Search", "Save"}


# --- In Chromium ------------------------------------------------------------------------

#: Pages read in the browser, as who: the logins (the staff one's title), the registrar's and
#: the handler's start pages, a case list, the report list, the admin and its audit trail,
#: the portal; a case and an action's address opened directly (the 405 page) are added.
BROWSER_PAGES: list[tuple[str | None, str]] = [
    (None, "/login/"),
    (None, "/admin/login/"),
    ("zhang", "/"),
    ("zhang", "/cases/?status=open"),
    ("zhang", "/reports/"),
    ("zhao", "/inbox/"),
    ("admin", "/admin/"),
    ("admin", "/admin/audit/auditentry/"),
    (None, "/portal/"),
    (None, "/portal/status/"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not os.environ.get("GONGKAI_REQUIRE_BROWSER"),
    reason=f"没有找到 Chromium（{CHROMIUM}）；CI 设置 GONGKAI_REQUIRE_BROWSER=1 时不跳过",
)
def test_key_pages_in_a_browser(live_server, clock):
    from playwright.sync_api import sync_playwright

    from gongkai.cases.models import Case
    from gongkai.project.demo import DEMO_PASSWORD, load_demo

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo()
    allowed = ALLOWED | data_words()
    case = Case.objects.filter(agency__code="SFJY").order_by("pk").first()
    pages = [
        *BROWSER_PAGES,
        ("zhang", f"/cases/{case.pk}/"),
        ("zhang", f"/cases/{case.pk}/act/assign/"),
    ]
    found: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        sessions = {}
        for who, path in pages:
            if who not in sessions:
                # A browser that asks for English first must still get Chinese.
                sessions[who] = browser.new_context(locale="en-US").new_page()
                if who:
                    page = sessions[who]
                    page.goto(f"{live_server.url}/login/")
                    page.get_by_label("用户名").fill(who)
                    page.get_by_label("密码").fill(DEMO_PASSWORD)
                    page.get_by_role("button", name="登录").click()
                    page.wait_for_url(f"{live_server.url}/")
            page = sessions[who]
            page.goto(f"{live_server.url}{path}")
            titles[path] = page.title()
            text = f"{page.title()} {page.locator('body').inner_text()}"
            if words := latin_words(text, allowed):
                found[f"{who or '公众'} {path}"] = words
        browser.close()
    assert titles["/login/"] == "登录 · 政府信息公开工作平台"
    assert titles[f"/cases/{case.pk}/act/assign/"] == "不能这样打开 · 政府信息公开工作平台"
    assert not found, "页面上有英文：\n" + explain(found)
