"""The registry's public pages: only published 主动公开 texts, the filters, a text's page
(validity, revisions, 解读, chain, files), 一策一码 redirects, 清理结果 and the catalogue."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client

from gongkai.core.validity import DocKind, Validity
from gongkai.documents import public
from gongkai.documents.models import (
    Attachment,
    Catalogue,
    CatalogueItem,
    ChainStep,
    ChainStepKind,
    Cleanup,
    Disclosure,
    Interpretation,
    InterpretationKind,
    ReviewState,
    ValidityChange,
)
from tests.documents.factories import text
from tests.factories import World, world


@pytest.fixture
def w(db) -> World:
    """The test world, the clock pinned to Monday 2025-06-16 10:00 in Shanghai."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


pytestmark = pytest.mark.django_db

NO_TEXT = "找不到该文件：文件不存在，或尚未主动公开。"


def page(client: Client, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


def doc_url(d) -> str:
    return f"/portal/documents/{d.pk}/"


def listed_titles(html: str) -> list[str]:
    """The titles linked from the list's rows, in order."""
    return re.findall(r'<td><a href="/portal/documents/\d+/">([^<]+)</a>', html)


# --- what is public -----------------------------------------------------------


def test_only_published_proactive_texts_are_public(w, client):
    shown = text(w.d1, title="公开的文件")
    hidden = [
        text(w.d1, title="草稿文件", review_state=ReviewState.DRAFT),
        text(w.d1, title="待保密审查文件", review_state=ReviewState.SECRECY),
        text(w.d1, title="待签发文件", review_state=ReviewState.SIGN_OFF),
        text(w.d1, title="退回的文件", review_state=ReviewState.RETURNED),
        text(
            w.d1,
            title="撤下的文件",
            review_state=ReviewState.TAKEN_DOWN,
            published_on=date(2024, 3, 1),
        ),
        text(w.d1, title="依申请公开文件", disclosure=Disclosure.ON_REQUEST),
        text(w.d1, title="不予公开文件", disclosure=Disclosure.NOT_PUBLIC),
    ]
    assert list(public.public_documents()) == [shown]
    assert listed_titles(page(client, "/portal/documents/")) == ["公开的文件"]
    assert "公开的文件" in page(client, doc_url(shown))
    for d in hidden:
        html = page(client, doc_url(d), 404)
        assert NO_TEXT in html
        assert d.title not in html
        assert "申请平台首页" in html  # the portal's own 404 page
        assert public.public_document(d.pk) is None
    assert NO_TEXT in page(client, "/portal/documents/999999/", 404)


def test_the_list_and_home_link_to_the_registry(w, client):
    home = page(client, "/portal/")
    assert 'href="/portal/documents/"' in home
    assert 'href="/portal/catalogues/"' in home
    assert 'href="/portal/documents/cleanups/"' in home


# --- filters ------------------------------------------------------------------


@pytest.fixture
def shelf(w):
    """Four public texts across kinds, agencies, validity, years and topics."""
    return {
        "a": text(
            w.d1,
            title="测试市义务教育招生管理办法",
            kind=DocKind.NORMATIVE,
            written_on=date(2024, 3, 1),
            topic="教育",
            doc_number="测教发〔2024〕3号",
        ),
        "b": text(
            w.d1,
            title="测试市校外培训机构管理规定",
            kind=DocKind.RULES,
            written_on=date(2025, 2, 10),
            topic="教育",
            text="本规定适用于面向中小学生的校外培训。",
        ),
        "c": text(
            w.d2,
            title="测试市国土空间规划管理办法",
            kind=DocKind.NORMATIVE,
            written_on=date(2025, 4, 1),
            topic="自然资源",
            validity=Validity.REPEALED,
        ),
        "d": text(
            w.d2,
            title="测试市测绘成果管理通知",
            kind=DocKind.OTHER,
            written_on=date(2023, 12, 20),
            validity=Validity.NOT_YET_IN_FORCE,
        ),
    }


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", [
            "测试市国土空间规划管理办法", "测试市校外培训机构管理规定",
            "测试市义务教育招生管理办法", "测试市测绘成果管理通知",
        ]),
        ("kind=rules", ["测试市校外培训机构管理规定"]),
        ("kind=normative_documents", ["测试市国土空间规划管理办法", "测试市义务教育招生管理办法"]),
        ("agency=CSZR", ["测试市国土空间规划管理办法", "测试市测绘成果管理通知"]),
        ("validity=repealed", ["测试市国土空间规划管理办法"]),
        ("validity=not_yet_in_force", ["测试市测绘成果管理通知"]),
        ("year=2024", ["测试市义务教育招生管理办法"]),
        ("year=2025", ["测试市国土空间规划管理办法", "测试市校外培训机构管理规定"]),
        ("topic=教育", ["测试市校外培训机构管理规定", "测试市义务教育招生管理办法"]),
        ("q=招生", ["测试市义务教育招生管理办法"]),
        ("q=测教发〔2024〕3号", ["测试市义务教育招生管理办法"]),
        ("q=中小学生", ["测试市校外培训机构管理规定"]),  # found in the full text
        (
            "kind=normative_documents&agency=CSJY&year=2024&topic=教育",
            ["测试市义务教育招生管理办法"],
        ),
    ],
)  # fmt: skip
def test_filters(shelf, client, query, titles):
    html = page(client, f"/portal/documents/?{query}")
    assert listed_titles(html) == titles
    assert f"共 {len(titles)} 件" in html
    assert "以下筛选条件无效" not in html


def test_filters_offer_only_what_public_texts_have(shelf, w, client):
    text(
        w.gov,
        title="政府草稿",
        review_state=ReviewState.DRAFT,
        written_on=date(2022, 1, 5),
        topic="财政",
    )
    html = page(client, "/portal/documents/")
    assert re.findall(r'<option value="(\d{4})">', html) == ["2025", "2024", "2023"]
    assert '<option value="CSJY">测试市教育局</option>' in html
    assert '<option value="CSZR">测试市自然资源局</option>' in html
    assert "CSGOV" not in html
    assert '<option value="财政">' not in html
    assert '<option value="自然资源">自然资源</option>' in html


def test_an_invalid_filter_is_named_and_not_used(shelf, client):
    html = page(client, "/portal/documents/?year=1999&agency=NOSUCH&validity=x&kind=rules")
    assert "所选的年度不在可选范围内，该条件未使用" in html
    assert "所选的发布机构不在可选范围内，该条件未使用" in html
    assert "所选的效力状态不在可选范围内，该条件未使用" in html
    assert listed_titles(html) == ["测试市校外培训机构管理规定"]  # kind still applies
    html = page(client, "/portal/documents/?year=abc")
    assert "所选的年度不在可选范围内，该条件未使用" in html
    assert len(listed_titles(html)) == 4
    html = page(client, "/portal/documents/?q=" + "长" * 51)
    assert "关键词最多50个字，该条件未使用" in html
    assert len(listed_titles(html)) == 4


def test_no_match_says_so(shelf, client):
    html = page(client, "/portal/documents/?q=不存在的标题")
    assert listed_titles(html) == []
    assert "没有符合条件的文件，请减少或更换筛选条件" in html


def test_pages_of_twenty(w, client):
    for n in range(21):
        text(w.d1, title=f"分页文件{n:02d}", written_on=date(2024, 1, 1 + n))
    first = page(client, "/portal/documents/")
    assert len(listed_titles(first)) == 20
    assert listed_titles(first)[0] == "分页文件20"
    assert "第 1 页，共 2 页" in first
    assert 'href="?page=2"' in first
    second = page(client, "/portal/documents/?page=2")
    assert listed_titles(second) == ["分页文件00"]
    # The filters stay in the pager's links.
    filtered = page(client, "/portal/documents/?agency=CSJY")
    assert 'href="?agency=CSJY&amp;page=2"' in filtered
    assert listed_titles(page(client, "/portal/documents/?page=abc")) == listed_titles(first)


def test_the_list_takes_the_same_queries_for_more_rows(w, client, django_assert_num_queries):
    for n in range(3):
        text(w.d1, title=f"文件{n}")
    client.get("/portal/documents/")  # warm the session and the like
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/portal/documents/")
    for n in range(10):
        text(w.d2, title=f"更多文件{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/portal/documents/")
    assert len(many) == len(few)


# --- a text's page ------------------------------------------------------------


def test_the_page_shows_the_facts(w, client):
    d = text(
        w.d1,
        title="测试市义务教育招生管理办法",
        doc_number="测教发〔2024〕3号",
        index_no="11370200MB0000001X/2024-00003",
        written_on=date(2024, 3, 1),
        published_on=date(2024, 3, 5),
        effective_on=date(2024, 4, 1),
        expires_on=date(2029, 3, 31),
        topic="教育",
        text="第一条　为规范招生，制定本办法。\n\n第二条　本办法自2024年4月1日起施行。",
    )
    html = page(client, doc_url(d))
    facts = re.search(r'<dl class="facts doc-facts">(.*?)</dl>', html, re.S)[1]
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", facts, re.S)
    assert [(k, re.sub(r"<[^>]+>", "", v).strip()) for k, v in pairs] == [
        ("索引号", "11370200MB0000001X/2024-00003"),
        ("发文字号", "测教发〔2024〕3号"),
        ("发布机构", "测试市教育局"),
        ("文件类别", "行政规范性文件"),
        ("主题分类", "教育"),
        ("成文日期", "2024年3月1日"),
        ("发布日期", "2024年3月5日"),
        ("施行日期", "2024年4月1日"),
        ("有效期至", "2029年3月31日"),
        ("效力状态", "现行有效"),
    ]
    assert "效力状态：<strong>现行有效</strong>" in html
    assert "有效期至2029年3月31日。" in html
    assert "<p>第一条　为规范招生，制定本办法。</p>" in html
    assert "<p>第二条　本办法自2024年4月1日起施行。</p>" in html
    assert "本文本不是现行文本" not in html
    assert "历次修订文本" not in html  # one text only


def test_no_empty_brackets_when_there_is_no_number(w, client):
    d = text(w.d1, title="没有文号的通知", doc_number="", kind=DocKind.OTHER)
    html = page(client, doc_url(d))
    assert "〔" not in html
    assert "〕" not in html
    assert "发文字号" not in html
    assert "（）" not in html
    listed = page(client, "/portal/documents/")
    assert "〔" not in listed
    assert "（）" not in listed


def test_a_text_not_yet_in_force(w, client):
    d = text(
        w.d1,
        title="明年施行的办法",
        validity=Validity.NOT_YET_IN_FORCE,
        written_on=date(2025, 6, 1),
        effective_on=date(2025, 7, 1),
    )
    html = page(client, doc_url(d))
    assert "效力状态：<strong>尚未施行</strong>" in html
    assert "本文件自2025年7月1日起施行。" in html


def test_a_repealed_text_names_its_deciding_document(w, client):
    d = text(
        w.d1,
        title="旧的管理办法",
        validity=Validity.REPEALED,
        validity_since=date(2025, 3, 1),
    )
    ValidityChange.objects.create(
        document=d,
        day=date(2025, 3, 1),
        target=Validity.REPEALED,
        decision_title="测试市教育局关于废止部分行政规范性文件的决定",
        decision_number="测教发〔2025〕2号",
    )
    html = page(client, doc_url(d))
    assert "效力状态：<strong>已废止</strong>" in html
    assert (
        "自2025年3月1日起已废止，依据《测试市教育局关于废止部分行政规范性文件的决定》"
        "（测教发〔2025〕2号）。"
    ) in html


def test_an_expired_text_without_a_decision(w, client):
    d = text(
        w.d1,
        title="到期的办法",
        validity=Validity.EXPIRED,
        validity_since=date(2025, 1, 1),
        expires_on=date(2024, 12, 31),
    )
    html = page(client, doc_url(d))
    assert "自2025年1月1日起失效（有效期届满）。" in html


@pytest.fixture
def revised(w):
    """A policy in two texts: the 2023 text revised by the 2025 text."""
    old = text(
        w.d1,
        title="测试市学生资助管理办法",
        doc_number="测教发〔2023〕1号",
        written_on=date(2023, 2, 1),
        validity=Validity.REVISED,
        validity_since=date(2025, 5, 1),
    )
    new = text(
        w.d1,
        title="测试市学生资助管理办法（2025年修订）",
        doc_number="测教发〔2025〕9号",
        written_on=date(2025, 4, 20),
        effective_on=date(2025, 5, 1),
        revises=old,
    )
    ValidityChange.objects.create(
        document=old,
        day=date(2025, 5, 1),
        target=Validity.REVISED,
        decision_title=new.title,
        decision_number=new.doc_number,
    )
    return old, new


def test_the_revision_chain(revised, client):
    old, new = revised
    html = page(client, doc_url(old))
    assert "效力状态：<strong>已修订</strong>" in html
    assert (
        "自2025年5月1日起已修订，依据《测试市学生资助管理办法（2025年修订）》（测教发〔2025〕9号）。"
    ) in html
    assert (
        f'本文本不是现行文本。现行文本：<a href="/portal/documents/{new.pk}/">'
        "《测试市学生资助管理办法（2025年修订）》（测教发〔2025〕9号）</a>"
    ) in html
    versions = re.search(r'<ol class="timeline doc-versions">(.*?)</ol>', html, re.S)[1]
    items = [re.sub(r"<[^>]+>", "", li) for li in versions.split("</li>")[:-1]]
    assert [" ".join(li.split()) for li in items] == [
        "2023年2月1日 《测试市学生资助管理办法》（测教发〔2023〕1号） （本文本） 已修订",
        "2025年4月20日 《测试市学生资助管理办法（2025年修订）》（测教发〔2025〕9号） "
        "现行有效 现行文本",
    ]
    current = page(client, doc_url(new))
    assert "本文本不是现行文本" not in current
    assert (
        f'<a href="/portal/documents/{old.pk}/">《测试市学生资助管理办法》（测教发〔2023〕1号）</a>'
        in current
    )


def test_the_code_follows_the_revisions(revised, client):
    old, new = revised
    code = old.policy.code
    r = client.get(f"/p/{code}")
    assert r.status_code == 302
    assert r["Location"] == f"/portal/documents/{new.pk}/"
    assert public.policy_by_code(code) == new
    assert public.policy_by_code(code.lower()) == new  # typed by hand


def test_the_code_falls_back_when_the_newest_text_is_taken_down(revised, client):
    old, new = revised
    new.review_state = ReviewState.TAKEN_DOWN
    new.save()
    assert client.get(f"/p/{old.policy.code}")["Location"] == f"/portal/documents/{old.pk}/"
    html = page(client, doc_url(old))
    assert "本文本不是现行文本" not in html
    assert "历次修订文本" not in html


def test_a_policy_with_no_public_text_has_no_code(w, client):
    d = text(w.d1, title="尚未发布", review_state=ReviewState.SIGN_OFF)
    html = page(client, f"/p/{d.policy.code}", 404)
    assert f"找不到政策码“{d.policy.code}”对应的政策文件" in html
    assert "尚未发布" not in html


def test_an_unknown_code_is_the_portals_404_in_chinese(w, client):
    html = page(client, "/p/NOSUCH", 404)
    assert (
        "找不到政策码“NOSUCH”对应的政策文件：该政策码不存在，或其文件尚未公开。"
        "请核对二维码或短链接，也可以在政府文件库中按标题查找。"
    ) in html
    assert "<h1>找不到页面</h1>" in html
    assert 'href="/portal/"' in html
    html = page(client, "/p/%3Cscript%3E", 404)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_page_shows_the_short_url_and_qr(w, client):
    d = text(w.d1, title="有码的文件")
    html = page(client, doc_url(d))
    code = d.policy.code
    assert f'value="http://testserver/p/{code}"' in html
    assert f'<img src="/p/{code}.svg" alt="本政策的二维码，扫码打开本政策现行文本"' in html
    assert f'href="/p/{code}.png" download="政策码{code}.png"' in html


# --- 解读 and the chain ---------------------------------------------------------


def test_interpretations_published_only(w, client):
    d = text(w.d1, title="被解读的文件", published_on=date(2025, 6, 3), written_on=date(2025, 6, 1))
    shown = Interpretation.objects.create(
        agency=w.d1,
        kind=InterpretationKind.TEXT,
        title="《被解读的文件》政策解读",
        body="一、制定背景",
        published_on=date(2025, 6, 5),
    )
    graphic = Interpretation.objects.create(
        agency=w.d1,
        kind=InterpretationKind.GRAPHIC,
        title="一图读懂",
        url="https://example.gov.cn/tujie",
        published_on=date(2025, 6, 6),
    )
    unpublished = Interpretation.objects.create(
        agency=w.d1, kind=InterpretationKind.QA, title="尚未发布的问答"
    )
    bad = Interpretation.objects.create(
        agency=w.d1,
        kind=InterpretationKind.VIDEO,
        title="链接不安全的视频",
        url="javascript:alert(1)",
        published_on=date(2025, 6, 6),
    )
    for r in (shown, graphic, unpublished, bad):
        r.documents.add(d)
    assert public.interpretations(d) == [bad, graphic, shown]
    html = page(client, doc_url(d))
    assert '<a href="https://example.gov.cn/tujie" rel="noopener noreferrer">一图读懂</a>' in html
    assert "<strong>《被解读的文件》政策解读</strong>" in html
    assert "<p>一、制定背景</p>" in html
    assert "尚未发布的问答" not in html
    assert "javascript:" not in html
    assert "<strong>链接不安全的视频</strong>" in html


def test_the_chain_shows_only_the_stages_that_exist(revised, w, client):
    old, new = revised
    ChainStep.objects.create(
        policy=old.policy,
        kind=ChainStepKind.CONSULTATION,
        title="关于征求《测试市学生资助管理办法（修订草案）》意见的公告",
        day=date(2025, 3, 1),
        url="https://example.gov.cn/zhengji",
    )
    ChainStep.objects.create(
        policy=old.policy,
        kind=ChainStepKind.FEEDBACK,
        title="意见采纳情况的说明",
        day=date(2025, 4, 1),
        body="共收到意见12条，采纳8条。",
    )
    reading = Interpretation.objects.create(
        agency=w.d1,
        kind=InterpretationKind.OFFICIAL,
        title="负责人谈修订",
        published_on=date(2025, 4, 22),
    )
    reading.documents.add(new)
    stages = public.chain(new)
    assert [(s.key, s.label, [i.title for i in s.items]) for s in stages] == [
        ("consultation", "意见征集", ["关于征求《测试市学生资助管理办法（修订草案）》意见的公告"]),
        ("feedback", "结果反馈", ["意见采纳情况的说明"]),
        (
            "publication",
            "政策发布",
            [
                "《测试市学生资助管理办法》（测教发〔2023〕1号）",
                "《测试市学生资助管理办法（2025年修订）》（测教发〔2025〕9号）",
            ],
        ),
        ("interpretation", "政策解读", ["负责人解读：负责人谈修订"]),
    ]
    html = page(client, doc_url(new))
    assert re.findall(r"<h3>([^<]+)</h3>", html) == ["意见征集", "结果反馈", "政策发布", "政策解读"]
    assert "政策依据" not in html
    assert "政策问答" not in html
    assert "<p>共收到意见12条，采纳8条。</p>" in html


def test_no_chain_stage_for_a_lone_text(w):
    d = text(w.d1, title="孤立的文件", doc_number="")
    assert [(s.key, [i.title for i in s.items]) for s in public.chain(d)] == [
        ("publication", ["《孤立的文件》"])
    ]


# --- attachments --------------------------------------------------------------


def attach(d, name: str = "附件1 招生计划表.pdf", body: bytes = b"%PDF-1.4 test") -> Attachment:
    return Attachment.objects.create(
        document=d,
        file=ContentFile(body, name="plan.pdf"),
        name=name,
        content_type="application/pdf",
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
    )


def test_attachment_download(w, client):
    d = text(w.d1, title="带附件的文件")
    a = attach(d)
    html = page(client, doc_url(d))
    url = f"/portal/documents/{d.pk}/files/{a.pk}/"
    assert f'<a href="{url}">附件1 招生计划表.pdf</a>' in html
    r = client.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"%PDF-1.4 test"
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        "attachment; filename*=utf-8''"
        "%E9%99%84%E4%BB%B61%20%E6%8B%9B%E7%94%9F%E8%AE%A1%E5%88%92%E8%A1%A8.pdf"
    )
    assert r["X-Content-Type-Options"] == "nosniff"


def test_attachment_of_a_non_public_text_is_refused(w, client):
    public_doc = text(w.d1, title="公开文件")
    for state, disclosure in [
        (ReviewState.DRAFT, Disclosure.PROACTIVE),
        (ReviewState.TAKEN_DOWN, Disclosure.PROACTIVE),
        (ReviewState.PUBLISHED, Disclosure.ON_REQUEST),
    ]:
        d = text(w.d1, review_state=state, disclosure=disclosure, published_on=date(2024, 3, 1))
        a = attach(d, name="内部材料.pdf")
        html = page(client, f"/portal/documents/{d.pk}/files/{a.pk}/", 404)
        assert "找不到该附件，或其所属文件尚未主动公开。" in html
        # Not through a public text's address either.
        page(client, f"/portal/documents/{public_doc.pk}/files/{a.pk}/", 404)


def test_a_missing_file_is_a_clear_404(w, client):
    d = text(w.d1, title="文件丢失")
    a = attach(d)
    a.file.storage.delete(a.file.name)
    html = page(client, f"/portal/documents/{d.pk}/files/{a.pk}/", 404)
    assert "该附件的文件暂时无法读取，请稍后再试，或联系发布机构。" in html


def test_an_unsafe_name_and_type_are_neutralised(w, client):
    d = text(w.d1, title="奇怪的附件")
    a = attach(d, name='../"evil"\r\n.html')
    Attachment.objects.filter(pk=a.pk).update(content_type="text/html\r\nX-Evil: 1")
    r = client.get(f"/portal/documents/{d.pk}/files/{a.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/octet-stream"
    assert r["Content-Disposition"] == 'attachment; filename="__evil___.html"'
    assert "X-Evil" not in r


# --- 清理结果 ---------------------------------------------------------------------


def test_published_cleanups_only(w, client):
    a = text(
        w.d1, title="被清理的公开文件", doc_number="测教发〔2019〕5号", validity=Validity.REPEALED
    )
    hidden = text(
        w.d1,
        title="被清理的依申请公开文件",
        disclosure=Disclosure.ON_REQUEST,
        validity=Validity.REPEALED,
    )
    done = Cleanup.objects.create(
        agency=w.d1,
        title="2025年行政规范性文件集中清理",
        target=Validity.REPEALED,
        day=date(2025, 5, 1),
        decision_title="测试市教育局关于废止部分行政规范性文件的决定",
        decision_number="测教发〔2025〕2号",
        published_on=date(2025, 5, 6),
    )
    for d in (a, hidden):
        ValidityChange.objects.create(
            document=d,
            day=date(2025, 5, 1),
            target=Validity.REPEALED,
            decision_title=done.decision_title,
            decision_number=done.decision_number,
            cleanup=done,
        )
    Cleanup.objects.create(
        agency=w.d2,
        title="尚未公布的清理",
        target=Validity.EXPIRED,
        day=date(2025, 6, 1),
        decision_title="决定",
    )
    html = page(client, "/portal/documents/cleanups/")
    assert "<h2>2025年行政规范性文件集中清理</h2>" in html
    assert "《测试市教育局关于废止部分行政规范性文件的决定》（测教发〔2025〕2号）" in html
    assert "2025年5月6日" in html
    assert f'<a href="/portal/documents/{a.pk}/">被清理的公开文件</a>' in html
    assert "被清理的依申请公开文件" not in html
    assert "尚未公布的清理" not in html


def test_no_cleanups_yet(w, client):
    assert "暂无已公布的清理结果。" in page(client, "/portal/documents/cleanups/")


# --- 主动公开事项目录 -----------------------------------------------------------------


def catalogue(agency, version: int, published_on: date | None, level1: str) -> Catalogue:
    c = Catalogue.objects.create(agency=agency, version=version, published_on=published_on)
    CatalogueItem.objects.create(
        catalogue=c,
        position=1,
        level1=level1,
        level2="招生政策",
        content="招生范围、招生计划、招生程序",
        basis="《中华人民共和国义务教育法》",
        subject="测试市教育局",
        time_limit="信息形成或者变更之日起20个工作日内",
        method="主动公开",
        channel="政府网站",
        tier="全社会",
        responsible="基础教育处",
    )
    return c


def test_the_latest_published_catalogue(w, client):
    catalogue(w.d1, 1, date(2024, 1, 10), "第一版事项")
    catalogue(w.d1, 2, date(2025, 1, 10), "义务教育招生")
    catalogue(w.d1, 3, None, "尚未发布的第三版事项")
    catalogue(w.d2, 1, None, "自然资源未发布")
    index = page(client, "/portal/catalogues/")
    assert '<a href="/portal/catalogues/CSJY/">测试市教育局</a>' in index
    assert "测试市自然资源局" not in index
    html = page(client, "/portal/catalogues/CSJY/")
    assert "<h1>测试市教育局主动公开事项目录</h1>" in html
    assert "第2版，2025年1月10日公布" in html
    assert "义务教育招生" in html
    assert "第一版事项" not in html
    assert "尚未发布的第三版事项" not in html
    cells = re.findall(r'<td data-label="([^"]+)">([^<]*)</td>', html)
    assert cells == [
        ("序号", "1"),
        ("一级事项", "义务教育招生"),
        ("二级事项", "招生政策"),
        ("公开内容（要素）", "招生范围、招生计划、招生程序"),
        ("公开依据", "《中华人民共和国义务教育法》"),
        ("公开主体", "测试市教育局"),
        ("公开时限", "信息形成或者变更之日起20个工作日内"),
        ("公开方式", "主动公开"),
        ("公开渠道", "政府网站"),
        ("公开层级", "全社会"),
        ("责任单位", "基础教育处"),
        ("相关文件", ""),  # no policy filed under the item yet
    ]
    assert '<div class="table-wrap">' in html
    for url in ("/portal/catalogues/CSZR/", "/portal/catalogues/NOSUCH/"):
        assert "该机关尚未发布主动公开事项目录。" in page(client, url, 404)


# --- the pages keep the site's rules ------------------------------------------


def test_no_inline_style_or_script(revised, w, client):
    old, new = revised
    catalogue(w.d1, 1, date(2025, 1, 10), "事项")
    for url in (
        "/portal/documents/",
        doc_url(old),
        doc_url(new),
        "/portal/documents/cleanups/",
        "/portal/catalogues/",
        "/portal/catalogues/CSJY/",
        "/p/NOSUCH",
    ):
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert "<script" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        assert (
            '<link rel="stylesheet" href="/static/documents/portal.css">' in html
            or url == "/p/NOSUCH"
        )


def test_only_get(w, client):
    d = text(w.d1)
    assert client.post(doc_url(d)).status_code == 405
    assert client.post(f"/p/{d.policy.code}").status_code == 405


def test_each_line_of_the_text_is_a_paragraph(w, client):
    d = text(w.d1, title="分行的办法", text="第一条 甲。\n第二条 <乙>。\n\n  \n第三条 丙。")
    html = page(client, doc_url(d))
    body = html.split('<div class="doc-text">')[1].split("</div>")[0]
    assert body == "<p>第一条 甲。</p>\n<p>第二条 &lt;乙&gt;。</p>\n<p>第三条 丙。</p>"


def test_the_catalogue_lists_the_texts_filed_under_each_item(w, client):
    c = catalogue(w.d1, 1, date(2025, 1, 10), "政策文件")
    item = c.items.get()
    current = text(w.d1, title="现行办法", doc_number="测教发〔2025〕1号")
    repealed = text(w.d1, title="废止办法", validity=Validity.REPEALED)
    draft = text(w.d1, title="草稿办法", review_state=ReviewState.DRAFT)
    for d in (current, repealed, draft):
        d.policy.catalogue_item = item
        d.policy.save()
    html = page(client, "/portal/catalogues/CSJY/")
    cell = html.split('<td data-label="相关文件">')[1].split("</td>")[0]
    link = f'<a href="/portal/documents/{current.pk}/">《现行办法》（测教发〔2025〕1号）</a>'
    assert cell == f"<div>{link}</div>"


def test_years_offered_skip_the_years_without_a_public_text(w, client):
    """The years come from one query asking each year between the first and the last."""
    text(w.d1, title="二〇一九年", written_on=date(2019, 12, 31))
    text(w.d2, title="二〇二五年", written_on=date(2025, 1, 1))
    text(w.d1, title="草稿", written_on=date(2022, 6, 1), review_state=ReviewState.DRAFT)
    text(w.d1, title="依申请", written_on=date(2021, 6, 1), disclosure="on_request")
    offered = public.filter_choices()
    assert offered["years"] == [2025, 2019]
    assert [a.code for a in offered["agencies"]] == ["CSJY", "CSZR"]
    html = page(client, "/portal/documents/")
    assert re.findall(r'<option value="(\d{4})">', html) == ["2025", "2019"]


def test_no_public_text_offers_nothing(w):
    text(w.d1, title="草稿", review_state=ReviewState.DRAFT, topic="教育")
    assert public.filter_choices() == {"agencies": [], "years": [], "topics": []}


def test_latin_letters_are_searched_regardless_of_case(w, client):
    """A word with Latin letters stays case-insensitive; 汉字 are matched as typed."""
    text(w.d1, title="关于推进ABC试点的通知", doc_number="测教发〔2025〕Ab1号")
    assert [d.title for d in public.public_documents(q="abc")] == ["关于推进ABC试点的通知"]
    assert [d.title for d in public.public_documents(q="ab1")] == ["关于推进ABC试点的通知"]
    assert [d.title for d in public.public_documents(q="试点")] == ["关于推进ABC试点的通知"]
    assert list(public.public_documents(q="试验")) == []


def test_versions_and_the_current_text_are_read_once_by_policy(revised, client):
    """The page reads the policy's public texts once and gives them to the chain."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = revised[0]
    with CaptureQueriesContext(connection) as ctx:
        page(client, f"/portal/documents/{first.pk}/")
    by_policy = [
        q["sql"]
        for q in ctx.captured_queries
        if re.search(r'"documents_document"\."policy_id" = \d', q["sql"])
    ]
    assert len(by_policy) == 1, by_policy
