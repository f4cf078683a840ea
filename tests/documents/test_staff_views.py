"""The registry's staff pages (:mod:`gongkai.documents.views.registry`, ``.review``): scope,
the list's filters and fixed query count, a text's page, and the review and validity actions
taken through the pages by each role.

Today is pinned to Monday 2025-06-16 (2 June 2025 was the 端午 holiday: 20 working days after
15 May is 13 June, after 16 May 16 June).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.core.validity import DocKind, Validity
from gongkai.documents.models import (
    Catalogue,
    CatalogueItem,
    Cleanup,
    Document,
    PatrolItem,
    PatrolRun,
    ReviewState,
    ReviewStep,
    ValidityChange,
)
from tests.documents.factories import text
from tests.factories import UserFactory, world

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)


@pytest.fixture
def w():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


def page(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def post(client, user, url: str, data: dict, status: int = 302):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def messages_of(response) -> list[str]:
    """The messages this request added: queued for the next page after a redirect, shown on
    the page otherwise (those of earlier requests not yet shown are left out)."""
    if response.status_code == 302:
        return [str(m) for m in response.wsgi_request._messages._queued_messages]
    shown = response.content.decode().split('<ul class="messages" role="status">')
    if len(shown) == 1:
        return []
    return re.findall(r'<li class="[a-z ]+">([^<]*)</li>', shown[1].split("</ul>")[0])


def detail(doc: Document) -> str:
    return reverse("documents:detail", args=[doc.pk])


def act(doc: Document, action: str) -> str:
    return reverse("documents:act", args=[doc.pk, action])


def fresh(doc: Document) -> Document:
    return Document.objects.get(pk=doc.pk)


def rows(html: str) -> list[str]:
    """The titles of the list's rows."""
    return re.findall(r'<tr class="doc-row">\s*<td><a href="[^"]+">([^<]+)</a>', html)


# --- scope ------------------------------------------------------------------------------------


def test_each_role_sees_its_scope(client, w):
    a = text(w.d1, title="教育局文件")
    b = text(w.d2, title="自然资源局文件")
    url = reverse("documents:list")
    html = page(client, w.registrar, url)
    assert rows(html) == ["教育局文件"]
    assert "新建文件" in html
    html = page(client, w.supervisor, url)
    assert sorted(rows(html)) == ["教育局文件", "自然资源局文件"]
    assert "新建文件" not in html
    page(client, w.outsider, url, 404)
    page(client, w.handler1, url, 404)
    page(client, w.registrar, detail(b), 404)
    page(client, w.outsider, detail(a), 404)
    page(client, w.registrar, reverse("documents:detail", args=[999_999]), 404)
    client.logout()
    assert client.get(url).status_code == 302


def test_a_supervisor_reads_only(client, w):
    doc = text(w.d1, title="教育局文件", review_state=ReviewState.SIGN_OFF)
    html = page(client, w.supervisor, detail(doc))
    assert "您对本文件没有可办理的操作" in html
    assert 'action="/documents/' not in html
    page(client, w.supervisor, reverse("documents:new"), 404)
    response = post(client, w.supervisor, act(doc, "publish"), {"publish-confirm": "on"}, 400)
    assert messages_of(response) == ["只有本机关的公开工作机构负责人可以签发和发布文件"]
    assert fresh(doc).review_state == ReviewState.SIGN_OFF
    response = post(client, w.supervisor, reverse("documents:edit", args=[doc.pk]), {})
    assert messages_of(response) == ["只有本机关的登记员、公开工作机构负责人可以修改文件"]


# --- the list ---------------------------------------------------------------------------------


def test_list_filters(client, w):
    text(
        w.d1,
        title="关于做好义务教育招生工作的通知",
        doc_number="测教发〔2025〕3号",
        written_on=date(2025, 3, 1),
        topic="教育",
    )
    text(
        w.d1,
        title="校车安全管理办法",
        kind=DocKind.OTHER,
        written_on=date(2024, 5, 1),
        validity=Validity.REPEALED,
    )
    text(
        w.d1,
        title="教育收费公示",
        written_on=date(2025, 5, 15),
        review_state=ReviewState.DRAFT,
        validity=Validity.NOT_YET_IN_FORCE,
    )
    text(w.d2, title="国土空间规划", written_on=date(2025, 2, 1))
    url = reverse("documents:list")

    def found(query: str) -> list[str]:
        return sorted(rows(page(client, w.supervisor, f"{url}?{query}")))

    assert found("q=招生") == ["关于做好义务教育招生工作的通知"]
    assert found("q=测教发") == ["关于做好义务教育招生工作的通知"]
    assert found("kind=other") == ["校车安全管理办法"]
    assert found("validity=repealed") == ["校车安全管理办法"]
    assert found("review_state=draft") == ["教育收费公示"]
    assert found(f"agency={w.d2.pk}") == ["国土空间规划"]
    assert found("year=2024") == ["校车安全管理办法"]
    assert found("topic=教育") == ["关于做好义务教育招生工作的通知"]
    assert found("card=red") == ["教育收费公示"]  # formed 15 May: due 13 June
    html = page(client, w.supervisor, f"{url}?year=abc")
    assert "年度</a>：年度应为四位数字的年份，如 2025" in html
    assert rows(html) == []
    html = page(client, w.registrar, f"{url}?agency={w.d2.pk}")  # not one of theirs
    assert "机关</a>：" in html and rows(html) == []


def test_list_row(client, w):
    text(
        w.d1,
        title="通知",
        doc_number="测教发〔2025〕3号",
        index_no="CSJY/2025-00003",
        written_on=date(2025, 5, 16),
        published_on=TODAY,
    )
    text(
        w.d1,
        title="草稿",
        written_on=date(2025, 5, 15),
        review_state=ReviewState.DRAFT,
        validity=Validity.NOT_YET_IN_FORCE,
    )
    html = page(client, w.registrar, reverse("documents:list"))
    # The work in hand first: a text not yet published has no validity yet (未发布).
    row = html.split('<tr class="doc-row">')[1].split("</tr>")[0]
    assert '<a href="/documents/' in row and ">草稿</a>" in row
    assert '<span class="pill red">红牌 · 逾期 1 个工作日</span>' in row
    assert '<td data-label="效力状态"><span class="pill done">未发布</span></td>' in row
    assert "尚未施行" not in row
    row = html.split('<tr class="doc-row">')[2].split("</tr>")[0]
    for cell in (
        "测教发〔2025〕3号",
        "CSJY/2025-00003",
        "行政规范性文件",
        "测试市教育局",
        '2025-05-16</span> / <span class="date">2025-06-16',
        '<span class="pill green">现行有效</span>',
        '<span class="pill green">已发布</span>',
        '<span class="pill green">按时公开</span>',
    ):
        assert cell in row
    assert "尚未发布的文件排在前面" in html
    # 现行有效 finds published texts only, not the draft that will be in force.
    html = page(client, w.registrar, reverse("documents:list") + "?validity=not_yet_in_force")
    assert rows(html) == []
    assert "没有符合条件的文件，请减少或更换筛选条件" in html


def test_the_list_runs_a_fixed_number_of_queries(
    client, w, steady_calendar, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            text(w.d1 if i % 2 else w.d2, topic=f"主题{i % 3}")
            text(
                w.d1,
                review_state=ReviewState.DRAFT,
                validity=Validity.NOT_YET_IN_FORCE,
                written_on=date(2025, 5, 15),
            )

    add(2)
    client.force_login(w.supervisor)
    url = reverse("documents:list") + "?card=red"
    client.get(url)  # warm the calendar and the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    add(30)
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert len(rows(html)) == 32
    assert few <= 12, few


# --- a text's page ----------------------------------------------------------------------------


def test_the_page_of_a_text(client, w):
    old = text(
        w.d1,
        title="办法（2020）",
        written_on=date(2020, 1, 1),
        doc_number="测教发〔2020〕1号",
        validity=Validity.REVISED,
    )
    doc = text(
        w.d1,
        title="办法（2025）",
        written_on=date(2025, 5, 26),
        published_on=date(2025, 5, 26),
        expires_on=date(2030, 5, 25),
        topic="教育",
        text="第一条 为了规范管理，制定本办法。",
        revises=old,
    )
    ValidityChange.objects.create(
        document=old, day=date(2025, 5, 26), target=Validity.REVISED, decision_title="办法（2025）"
    )
    html = page(client, w.registrar, detail(doc))
    assert "〔〕" not in html
    assert "<dt>发文字号</dt>" not in html  # blank: nothing at all
    for shown in (
        "<dt>索引号</dt><dd>TEST/2025-",
        "<dt>主题分类</dt><dd>教育</dd>",
        "<dt>有效期至</dt><dd>2030-05-25</dd>",
        "<dt>发布日期</dt><dd>2025-05-26</dd>",
        "第一条 为了规范管理，制定本办法。",
        f"/p/{doc.policy.code}",
        "《办法（2020）》（测教发〔2020〕1号）",
        '<strong>《办法（2025）》</strong> <span class="muted">（本文本）</span>',
        "公开日期</dt><dd>2025-05-26，在期限内",
        "《办法（2025）》于 2025-05-26 公开，至今未发布政策解读（应同步发布，最迟 2025-05-29）",
        "修订",
    ):
        assert shown in html, shown
    html = page(client, w.registrar, detail(old))
    assert "<dt>发文字号</dt><dd>测教发〔2020〕1号</dd>" in html
    assert '<td class="date">2025-05-26</td><td data-label="变更为">已修订</td>' in html
    assert '<td data-label="决定文件">《办法（2025）》</td>' in html
    assert "本文件已由" in html


# --- drafting ---------------------------------------------------------------------------------


def new_text(**extra) -> dict:
    return {
        "agency": "",
        "kind": "normative_documents",
        "title": "关于做好2025年义务教育招生工作的通知",
        "doc_number": "",
        "index_no": "",
        "topic": "教育",
        "written_on": "2025-06-10",
        "effective_on": "2025-06-10",
        "expires_on": "",
        "formed_on": "",
        "disclosure": "proactive",
        "not_public_reason": "",
        "text": "各区教育局：现将有关事项通知如下。",
        **extra,
    }


def test_new_text_through_the_page(client, w):
    url = reverse("documents:new")
    html = page(client, w.registrar, url)
    assert 'type="date"' in html and "新建文件" in html
    response = post(client, w.registrar, url, new_text(agency=w.d1.pk))
    doc = Document.objects.get()
    assert response["Location"] == detail(doc)
    assert messages_of(response) == [
        "已保存草稿《关于做好2025年义务教育招生工作的通知》，索引号 CSJY/2025-00001"
    ]
    assert (doc.review_state, doc.formed_on, doc.doc_number) == (
        ReviewState.DRAFT,
        date(2025, 6, 10),
        "",
    )
    assert doc.created_by == w.registrar
    page(client, w.registrar2, url)  # their own agency only:
    response = post(client, w.registrar2, url, new_text(agency=w.d1.pk), 400)
    assert "发布机构</a>：" in response.content.decode()


def test_new_text_errors(client, w):
    url = reverse("documents:new")
    data = new_text(
        agency=w.d1.pk,
        title=" ",
        effective_on="2025-06-01",
        expires_on="2025-05-01",
        disclosure="not_public",
    )
    html = post(client, w.registrar, url, data, 400).content.decode()
    assert "标题</a>：请填写文件标题" in html
    assert "施行日期</a>：施行日期（2025-06-01）不能早于成文日期（2025-06-10）" in html
    assert "有效期至</a>：有效期至（2025-05-01）不能早于施行日期（2025-06-01）" in html
    assert (
        "不公开理由</a>：公开属性为“不予公开”的，须填写不公开理由"
        "（《中华人民共和国政府信息公开条例》第十四条至第十六条）" in html
    )
    data = new_text(agency=w.d1.pk, written_on="2025-02-30", expires_on="明年")
    html = post(client, w.registrar, url, data, 400).content.decode()
    assert "成文日期</a>：成文日期应为日期，如 2025-06-16" in html
    assert "有效期至</a>：有效期至应为日期，如 2030-06-15" in html
    html = post(client, w.registrar, url, {"agency": w.d1.pk, "kind": "other"}, 400)
    html = html.content.decode()
    for missing in ("标题</a>：请填写文件标题", "成文日期</a>：请填写成文日期"):
        assert missing in html, missing
    assert "施行日期</a>：请填写施行日期" in html
    assert "这个字段是必填项" not in html
    taken = text(w.d2, index_no="CSJY/2025-00009", title="别的文件")
    html = post(
        client, w.registrar, url, new_text(agency=w.d1.pk, index_no=taken.index_no), 400
    ).content.decode()
    assert "索引号</a>：索引号“CSJY/2025-00009”已被《别的文件》使用" in html
    assert Document.objects.count() == 1


def test_a_service_refusal_is_a_form_error(client, w):
    data = new_text(agency=w.d1.pk, kind="rules")  # no 行政层级 in the settings yet
    html = post(client, w.registrar, reverse("documents:new"), data, 400).content.decode()
    assert "请先在文件库设置中填写本机关的行政层级（决定可否制定规章）" in html
    assert not Document.objects.exists()


def test_edit_and_attachments(client, w):
    doc = text(
        w.d1, title="草稿", review_state=ReviewState.DRAFT, validity=Validity.NOT_YET_IN_FORCE
    )
    url = reverse("documents:edit", args=[doc.pk])
    html = page(client, w.registrar, url)
    assert 'value="草稿"' in html and "暂无附件" in html
    data = {
        "title": "改过的标题",
        "doc_number": "测教发〔2024〕9号",
        "index_no": doc.index_no,
        "topic": "",
        "written_on": "2024-03-01",
        "effective_on": "2024-03-01",
        "expires_on": "",
        "formed_on": "2024-03-01",
        "disclosure": "proactive",
        "not_public_reason": "",
        "text": "",
        "kind": "normative_documents",
    }
    response = post(client, w.registrar, url, data)
    assert messages_of(response) == ["已保存《改过的标题》（测教发〔2024〕9号）"]
    assert (fresh(doc).title, fresh(doc).doc_number) == ("改过的标题", "测教发〔2024〕9号")
    response = post(client, w.registrar, url, data)
    assert messages_of(response) == ["没有修改任何内容"]

    attach = reverse("documents:attach", args=[doc.pk])
    pdf = SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = post(client, w.registrar, attach, {"file": pdf})
    assert messages_of(response) == ["已上传附件“通知.pdf”"]
    assert response["Location"] == url
    jpg = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff\xe0", content_type="image/jpeg")
    html = post(client, w.registrar, attach, {"file": jpg}, 400).content.decode()
    assert "文件“照片.jpg”的类型不支持；文件附件只能是 PDF、DOCX 或 OFD" in html
    fake = SimpleUploadedFile("假的.pdf", b"MZ\x90\x00", content_type="application/pdf")
    html = post(client, w.registrar, attach, {"file": fake}, 400).content.decode()
    assert "文件“假的.pdf”的内容与扩展名 .pdf 不符" in html
    attachment = doc.attachments.get()
    html = page(client, w.registrar, url)
    assert "通知.pdf" in html
    download = client.get(reverse("documents:attachment", args=[doc.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%test\n"
    response = post(
        client, w.registrar, reverse("documents:detach", args=[doc.pk, attachment.pk]), {}
    )
    assert messages_of(response) == ["已删除附件“通知.pdf”"]
    assert not doc.attachments.exists()


def test_a_published_text_is_not_edited(client, w):
    doc = text(w.d1, title="已发布")
    response = post(client, w.registrar, reverse("documents:edit", args=[doc.pk]), {})
    assert response["Location"] == detail(doc)
    assert messages_of(response) == ["《已发布》处于“已发布”状态，只有草稿或已退回的文件可以修改"]


def test_revise_through_the_page(client, w):
    old = text(w.d1, title="管理办法", written_on=date(2024, 1, 5), text="旧正文")
    url = reverse("documents:new") + f"?revises={old.pk}"
    html = page(client, w.registrar, url)
    assert "修订文件" in html and 'value="管理办法"' in html and "旧正文" in html
    assert 'name="agency"' not in html and 'name="kind"' not in html
    data = new_text(title="管理办法（修订）", written_on="2025-06-12", effective_on="2025-07-01")
    response = post(client, w.registrar, url, data)
    new = Document.objects.get(revises=old)
    assert response["Location"] == detail(new)
    assert (new.policy_id, new.kind) == (old.policy_id, old.kind)
    html = page(client, w.registrar, detail(old))
    assert "本文件已由" in html and "《管理办法（修订）》" in html
    response = post(client, w.registrar, url, data)  # revised once only
    assert messages_of(response) == ["《管理办法》已有修订稿，请在其页面继续办理"]
    page(client, w.registrar2, url, 404)


# --- review through the pages -----------------------------------------------------------------


def test_submit_review_and_publish(client, w):
    doc = text(
        w.d1,
        title="通知",
        written_on=date(2025, 6, 10),
        review_state=ReviewState.DRAFT,
        validity=Validity.NOT_YET_IN_FORCE,
        text="各区教育局：现将有关事项通知如下。",
    )
    html = page(client, w.registrar, detail(doc))
    assert "提交审查" in html and "保密审查</summary>" not in html
    response = post(client, w.registrar, act(doc, "submit"), {})
    assert messages_of(response) == ["已提交审查，待保密审查"]
    assert fresh(doc).review_state == ReviewState.SECRECY

    html = post(client, w.secrecy, act(doc, "secrecy"), {"secrecy-passed": "no"}, 400)
    assert "审查意见</a>：保密审查不通过的，请在审查意见中写明原因" in html.content.decode()
    response = post(client, w.secrecy, act(doc, "secrecy"), {"secrecy-passed": "yes"})
    assert messages_of(response) == ["保密审查通过；个人信息扫描未发现须处理的个人信息，待签发"]
    assert fresh(doc).review_state == ReviewState.SIGN_OFF

    response = post(client, w.registrar, act(doc, "publish"), {"publish-confirm": "on"}, 400)
    assert messages_of(response) == ["只有本机关的公开工作机构负责人可以签发和发布文件"]
    html = post(client, w.head, act(doc, "publish"), {}, 400).content.decode()
    assert "请勾选确认后再签发并发布" in html
    assert '<details class="action" open id="action-publish">' in html
    response = post(client, w.head, act(doc, "publish"), {"publish-confirm": "on"})
    done = fresh(doc)
    assert messages_of(response) == [f"已签发并发布《通知》（政策码 {done.policy.code}）"]
    assert (done.review_state, done.published_on) == (ReviewState.PUBLISHED, TODAY)
    html = page(client, w.head, detail(doc))
    assert f'<a href="http://testserver/p/{done.policy.code}">/p/{done.policy.code}</a>' in html
    assert f'<img src="/p/{done.policy.code}.svg" alt="政策码 {done.policy.code} 的二维码"' in html
    steps = [s.get_kind_display() for s in ReviewStep.objects.filter(document=doc)]
    assert steps[:3] == ["提交审查", "保密审查", "个人信息扫描"]
    for label in ("提交审查", "保密审查：通过", "个人信息扫描：通过", "未发现须处理的个人信息"):
        assert label in html, label


def test_the_scan_blocks_and_the_head_records_a_basis(client, w):
    doc = text(
        w.d1,
        title="处罚决定公示",
        written_on=date(2025, 6, 10),
        review_state=ReviewState.SECRECY,
        validity=Validity.NOT_YET_IN_FORCE,
        text="当事人联系电话13812345678。",
    )
    response = post(client, w.secrecy, act(doc, "secrecy"), {"secrecy-passed": "yes"})
    assert messages_of(response) == [
        "保密审查通过；个人信息扫描发现须处理的个人信息，请核查后记录公开依据或退回修改"
    ]
    assert fresh(doc).review_state == ReviewState.SCAN
    review = page(client, w.head, detail(doc)).split('id="review"')[1].split("</section>")[0]
    assert "138****5678" in review and "13812345678" not in review
    assert "正文第1行" in review
    html = post(client, w.head, act(doc, "basis"), {"basis-basis": "sanction"}, 400)
    assert "说明</a>：请写明公开依据的说明" in html.content.decode()
    response = post(
        client,
        w.head,
        act(doc, "basis"),
        {"basis-basis": "sanction", "basis-note": "《行政处罚法》第四十八条"},
    )
    assert messages_of(response) == ["已记录公开依据，待签发"]
    assert fresh(doc).review_state == ReviewState.SIGN_OFF
    html = page(client, w.head, detail(doc))
    assert "公开依据：惩戒公示（法律法规规定公开的处罚、失信信息）" in html


def test_return_and_take_down(client, w):
    doc = text(
        w.d1,
        review_state=ReviewState.SIGN_OFF,
        validity=Validity.NOT_YET_IN_FORCE,
        written_on=date(2025, 6, 10),
    )
    html = post(client, w.head, act(doc, "return"), {"return-note": ""}, 400).content.decode()
    assert "退回意见</a>：请写明退回意见" in html
    response = post(client, w.head, act(doc, "return"), {"return-note": "请补充附件"})
    assert messages_of(response) == ["已退回修改"]
    assert fresh(doc).review_state == ReviewState.RETURNED
    published = text(w.d1, title="已发布")
    response = post(
        client, w.head, act(published, "take_down"), {"take_down-reason": "含有个人信息"}
    )
    assert messages_of(response) == ["已撤下，门户网站不再公开该文件"]
    assert fresh(published).review_state == ReviewState.TAKEN_DOWN
    post(client, w.head, act(published, "nothing"), {}, 404)


def test_repeal_through_the_page(client, w):
    doc = text(w.d1, title="管理办法", written_on=date(2024, 1, 5))
    html = page(client, w.head, detail(doc))
    assert "废止 / 宣布失效" in html
    assert '<option value="repealed">已废止</option>' in html
    data = {"validity-target": "repealed", "validity-day": "2025-06-16"}
    html = post(client, w.head, act(doc, "validity"), data, 400).content.decode()
    assert "决定文件标题</a>：请填写决定文件的标题" in html
    data |= {"validity-decision_title": "关于废止部分文件的决定", "validity-decision_number": ""}
    response = post(client, w.head, act(doc, "validity"), data)
    assert messages_of(response) == ["已记录效力变更：《管理办法》现为“已废止”"]
    html = page(client, w.head, detail(doc))
    assert '<td class="date">2025-06-16</td><td data-label="变更为">已废止</td>' in html
    assert "《关于废止部分文件的决定》</td>" in html
    data["validity-target"] = "expired"  # no longer offered: the service says why
    response = post(client, w.head, act(doc, "validity"), data, 400)
    assert messages_of(response) == [
        "《管理办法》在 2025-06-16 的状态为“已废止”，不能变更为“失效”（该状态下可以变更为：无）"
    ]
    data["validity-target"] = "revised"
    response = post(client, w.head, act(doc, "validity"), data, 400)
    assert messages_of(response) == [
        "变更为：这里只能废止文件或宣布文件失效；修订请登记修订后的文本，"
        "其发布后原文件自动标记为“已修订”"
    ]
    assert fresh(doc).validity == Validity.REPEALED


# --- 清理 ---------------------------------------------------------------------------------------


def test_cleanup_through_the_pages(client, w):
    a = text(w.d1, title="甲办法", written_on=date(2020, 1, 1))
    b = text(w.d1, title="乙办法", written_on=date(2021, 1, 1))
    pending = text(
        w.d1,
        title="丙办法",
        written_on=date(2025, 6, 1),
        effective_on=date(2025, 9, 1),
        validity=Validity.NOT_YET_IN_FORCE,
    )
    text(w.d1, title="已废止", validity=Validity.REPEALED)
    text(w.d2, title="别的机关")
    url = reverse("documents:cleanup")
    html = page(client, w.head, url)
    listed = re.findall(r'<label class="inline" for="pick-\d+">([^<]+)</label>', html)
    assert listed == ["甲办法", "乙办法", "丙办法"]
    html = page(client, w.registrar, url)
    assert "作出清理决定" not in html and "历次清理" in html
    data = {
        "title": "2025年度文件清理",
        "target": "expired",
        "day": "2025-06-16",
        "decision_title": "关于宣布部分文件失效的决定",
        "decision_number": "测教发〔2025〕8号",
        "documents": [a.pk, b.pk, pending.pk],
    }
    html = post(client, w.head, url, {**data, "documents": []}, 400).content.decode()
    assert '<a href="#id_documents">清理的文件</a>：请至少勾选一件要清理的文件' in html
    assert '<fieldset id="id_documents">' in html
    response = post(client, w.head, url, data)
    batch = Cleanup.objects.get()
    assert response["Location"] == reverse("documents:cleanup_detail", args=[batch.pk])
    assert messages_of(response) == ["已作出清理决定“2025年度文件清理”"]
    assert (fresh(a).validity, fresh(b).validity) == (Validity.EXPIRED, Validity.EXPIRED)
    assert fresh(pending).validity == Validity.NOT_YET_IN_FORCE
    html = page(client, w.head, response["Location"])
    assert "已变更（2 件）" in html and "未能变更（1 件）" in html
    assert "《丙办法》在 2025-06-16 的状态为“尚未施行”，不能变更为“失效”" in html
    assert "公布清理结果" in html
    assert "公布清理结果" not in page(client, w.supervisor, response["Location"])
    done = post(client, w.head, reverse("documents:cleanup_publish", args=[batch.pk]), {})
    assert messages_of(done) == ["已公布清理结果“2025年度文件清理”"]
    assert Cleanup.objects.get().published_on == TODAY
    again = post(client, w.head, reverse("documents:cleanup_publish", args=[batch.pk]), {})
    assert messages_of(again) == ["清理“2025年度文件清理”的结果已于 2025-06-16 公布"]
    html = page(client, w.supervisor, url)
    assert "2025年度文件清理" in html and "（1 件未能变更）" in html
    page(client, w.registrar2, response["Location"], 404)


# --- 安全巡查 -----------------------------------------------------------------------------------


def test_patrol_through_the_pages(client, w):
    leaking = text(w.d1, title="公示", text="联系人电话13812345678。")
    text(w.d1, title="正常文件", text="没有个人信息。")
    url = reverse("documents:patrol")
    html = page(client, w.registrar, url)
    assert "立即巡查" not in html and "没有待整改的文件" in html
    response = post(client, w.head, reverse("documents:patrol_run"), {"agency": w.d1.pk})
    assert messages_of(response) == [
        "已完成测试市教育局的安全巡查：扫描已发布文件 2 件，发现须整改 1 件"
    ]
    item = PatrolItem.objects.get()
    html = page(client, w.head, url)
    assert "138****5678" in html and "提交处理" in html
    assert "提交处理" not in page(client, w.supervisor, url)
    decide = reverse("documents:patrol_decide", args=[item.pk])
    html = post(client, w.head, decide, {f"item{item.pk}-outcome": "kept"}, 400).content.decode()
    assert "公开依据</a>：有依据保留的，请选择公开依据（条例第十五条）" in html
    response = post(
        client,
        w.head,
        decide,
        {f"item{item.pk}-outcome": "taken_down", f"item{item.pk}-note": "含有手机号码"},
    )
    assert messages_of(response) == ["《公示》已撤下"]
    assert fresh(leaking).review_state == ReviewState.TAKEN_DOWN
    assert PatrolRun.objects.get().scanned == 2
    assert AuditEntry.objects.filter(action="document.patrol_decided").count() == 1
    page(client, w.registrar2, url)
    client.force_login(w.registrar2)
    assert client.post(decide, {}).status_code == 404


# --- what the pages tell each role (the UI review) --------------------------------------------


def scan_step(doc: Document, blocking: int) -> None:
    """A personal-information scan that found ``blocking`` hits blocking publication and a
    name to check (recorded as the review service writes them)."""
    hits = [
        {"label": "手机号码", "masked": "138****5678", "severity": "block", "where": f"正文第{i}行"}
        for i in range(1, blocking + 1)
    ]
    hits.append({"label": "疑似个人姓名", "masked": "王*", "severity": "warn", "where": "正文"})
    ReviewStep.objects.create(
        document=doc, kind="scan", passed=False, note="发现须处理的个人信息", hits=hits
    )


def test_the_list_links_every_registry_page(client, w):
    html = page(client, w.registrar, reverse("documents:list"))
    for url, label in (
        ("/documents/new/", "新建文件"),
        ("/documents/interpretations/", "政策解读"),
        ("/documents/catalogue/", "主动公开事项目录"),
        ("/documents/cleanup/", "文件清理"),
        ("/documents/patrol/", "安全巡查"),
        ("/portal/documents/", "门户网站文件库"),
    ):
        assert f'href="{url}">{label}</a>' in html, label
    assert "文件库中还没有文件。点击“新建文件”登记本机关的规章、行政规范性文件和其他文件。" in html
    html = page(client, w.supervisor, reverse("documents:list"))
    assert "新建文件" not in html and 'href="/documents/catalogue/">主动公开事项目录</a>' in html
    assert "文件库中还没有文件。</td>" in html


def test_texts_on_their_way_come_first_and_have_no_validity_yet(client, w):
    text(w.d1, title="旧文件", written_on=date(2024, 1, 1))
    draft = text(
        w.d1,
        title="新草稿",
        written_on=date(2025, 6, 10),
        effective_on=date(2025, 7, 1),
        review_state=ReviewState.DRAFT,
        validity=Validity.NOT_YET_IN_FORCE,
    )
    text(w.d1, title="新发布", written_on=date(2025, 6, 1))
    html = page(client, w.registrar, reverse("documents:list"))
    assert rows(html) == ["新草稿", "新发布", "旧文件"]
    html = page(client, w.registrar, detail(draft))
    top = html.split("<h1>新草稿</h1>")[1].split("</p>")[0]
    assert '<span class="pill done">未发布</span> <span class="pill done">草稿</span>' in top
    validity = html.split('id="validity"')[1].split("</section>")[0]
    assert "文件发布后才有效力状态：发布后为“尚未施行”，自 2025-07-01 起施行。" in validity
    assert "没有作出过效力变更决定" not in validity
    assert "下一步：待登记员完善后提交审查" in html
    assert '<strong>《新草稿》</strong> <span class="muted">（本文本）</span>' in html
    assert "尚未提交审查" in html


def test_the_scan_state_says_what_to_do_and_who_does_it(client, w):
    doc = text(
        w.d1,
        title="资助名单公示",
        written_on=date(2025, 6, 10),
        review_state=ReviewState.SCAN,
        validity=Validity.NOT_YET_IN_FORCE,
    )
    scan_step(doc, 2)
    html = page(client, w.head, detail(doc))
    assert "<strong>个人信息扫描发现 2 处须处理的个人信息</strong>" in html
    assert '<a href="#review">查看扫描结果</a>' in html
    assert "下一步：待公开工作机构负责人核查个人信息：记录公开依据，或退回修改" in html
    assert 'id="action-basis"' in html and 'id="action-return"' in html
    html = page(client, w.registrar, detail(doc))
    assert "个人信息扫描发现 2 处须处理的个人信息" in html
    assert "您对本文件没有可办理的操作。</p>" in html  # the office member: no reader's note
    assert 'id="action-basis"' not in html


def test_a_returned_text_shows_why(client, w):
    doc = text(
        w.d1,
        title="退回的通知",
        written_on=date(2025, 6, 10),
        review_state=ReviewState.RETURNED,
        validity=Validity.NOT_YET_IN_FORCE,
    )
    ReviewStep.objects.create(document=doc, kind="return", passed=False, note="请删除身份证号")
    html = page(client, w.registrar, detail(doc))
    assert "<strong>已退回修改</strong>" in html and "退回意见：请删除身份证号" in html
    assert "下一步：已退回，待登记员按退回意见修改后重新提交审查" in html


def test_a_text_not_proactively_disclosed_is_not_submitted(client, w):
    doc = text(
        w.d1,
        title="内部通知",
        written_on=date(2025, 6, 10),
        review_state=ReviewState.DRAFT,
        validity=Validity.NOT_YET_IN_FORCE,
        disclosure="on_request",
        text="正文",
    )
    html = page(client, w.registrar, detail(doc))
    assert 'id="action-submit"' not in html and "修改文件与附件" in html
    assert (
        "下一步：公开属性为“依申请公开”，本文件只在文件库中登记，不主动发布"
        "（《中华人民共和国政府信息公开条例》第十九条）；如应主动公开，请先修改公开属性" in html
    )


def test_readers_are_told_they_only_read(client, w):
    doc = text(w.d1, title="已发布的文件")
    html = page(client, w.supervisor, detail(doc))
    assert "您对本文件没有可办理的操作。上级机关在文件库中只能查看。" in html
    assert "本平台没有该文件的审查记录（在本平台启用前发布，或由原有文件库导入）" in html
    assert f'<a href="/portal/documents/{doc.pk}/">在门户网站查看本文本</a>' in html
    root = UserFactory(username="root", is_superuser=True)
    html = page(client, root, detail(doc))
    assert "平台管理员在文件库中只能查看。" in html


def test_a_revised_text_is_not_flagged_for_its_interpretation(client, w):
    old = text(w.d1, title="旧办法", written_on=date(2025, 5, 1), validity=Validity.REVISED)
    current = text(w.d1, title="新办法", written_on=date(2025, 6, 3), revises=old)
    assert "至今未发布政策解读" not in page(client, w.registrar, detail(old))
    assert "至今未发布政策解读" in page(client, w.registrar, detail(current))


def published_catalogue(agency, version: int = 1, published: bool = True) -> Catalogue:
    catalogue = Catalogue.objects.create(
        agency=agency, version=version, published_on=TODAY if published else None
    )
    for position, (level1, level2) in enumerate(
        [("政策文件", "行政规范性文件"), ("政策文件", "其他文件")], start=1
    ):
        CatalogueItem.objects.create(
            catalogue=catalogue, position=position, level1=level1, level2=level2, content="全文"
        )
    return catalogue


def test_the_page_maps_the_policy_to_a_catalogue_item(client, w):
    doc = text(w.d1, title="管理办法")
    html = page(client, w.registrar, detail(doc))
    mapping = html.split('id="action-catalogue"')[1].split("</details>")[0]
    assert "测试市教育局尚未发布主动公开事项目录；目录发布后可在这里对应事项。" in mapping
    catalogue = published_catalogue(w.d1)
    first = catalogue.items.get(position=1)
    html = page(client, w.registrar, detail(doc))
    mapping = html.split('id="action-catalogue"')[1].split("</details>")[0]
    assert '<form method="post" action="/documents/catalogue/map/">' in mapping
    assert f'<input type="hidden" name="policy_id" value="{doc.policy_id}">' in mapping
    assert f'<input type="hidden" name="next" value="/documents/{doc.pk}/">' in mapping
    assert re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', mapping) == [
        ("", "（不对应目录事项）"),
        (str(first.pk), "1. 政策文件 / 行政规范性文件"),
        (str(first.pk + 1), "2. 政策文件 / 其他文件"),
    ]
    data = {"policy_id": doc.policy_id, "item_id": first.pk, "next": detail(doc)}
    response = post(client, w.registrar, reverse("documents:catalogue_map"), data)
    assert response["Location"] == detail(doc)
    assert messages_of(response) == ["已对应目录事项“政策文件 / 行政规范性文件”"]
    html = page(client, w.head, detail(doc))
    assert (
        f'<dd id="catalogue"><a href="/documents/catalogue/items/{first.pk}/">'
        "政策文件 / 行政规范性文件</a></dd>" in html
    )
    assert f'<option value="{first.pk}" selected>' in html
    # a newer version in force: the item is out of date, the form opens to map it again
    published_catalogue(w.d1, version=2)
    html = page(client, w.registrar, detail(doc))
    assert "该事项属于已被替代的目录版本，请在“办理”中重新对应现行目录的事项。" in html
    assert '<details class="action" id="action-catalogue" open>' in html
    for reader in (w.secrecy, w.supervisor):
        assert 'id="action-catalogue"' not in page(client, reader, detail(doc))


def test_who_cannot_clean_or_patrol_is_told_who_does(client, w):
    html = page(client, w.registrar, reverse("documents:cleanup"))
    assert "清理决定由本机关公开工作机构负责人作出；您可以查看历次清理及其结果。" in html
    html = page(client, w.head, reverse("documents:cleanup"))
    assert "测试市教育局没有可清理的文件：只有已发布、尚未施行或现行有效的文件可以清理。" in html
    assert "勾选上方的文件、填写清理决定后，结果列在这里，核对后公布。" in html
    html = page(client, w.registrar, reverse("documents:patrol"))
    assert "安全巡查由本机关保密审查员或公开工作机构负责人进行" in html
    html = page(client, w.secrecy, reverse("documents:patrol"))
    assert "选择机关后点击“立即巡查”即可开始第一次巡查。" in html


def test_refusals_name_the_field_in_chinese(client, w):
    html = page(client, w.registrar, reverse("documents:list") + "?validity=nonsense&card=x")
    assert "效力状态</a>：所选的效力状态不在可选范围内，请重新选择" in html
    assert "公开时限</a>：所选的公开时限不在可选范围内，请重新选择" in html
    assert "nonsense" not in html.split("</form>")[1]


def test_the_edit_form_says_a_blank_index_number_is_kept(client, w):
    doc = text(
        w.d1, title="草稿", review_state=ReviewState.DRAFT, validity=Validity.NOT_YET_IN_FORCE
    )
    html = page(client, w.registrar, reverse("documents:edit", args=[doc.pk]))
    assert '<span class="helptext" id="id_index_no_helptext">留空则保留原索引号</span>' in html
    html = page(client, w.registrar, reverse("documents:new"))
    assert "留空则按本机关的索引号格式自动编号" in html
