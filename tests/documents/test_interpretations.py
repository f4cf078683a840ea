"""政策解读 (linked to the agency's own texts only) and the 一码通 chain steps: services and
pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from gongkai.accounts.models import Membership
from gongkai.audit.models import AuditEntry
from gongkai.core.workflow import Role
from gongkai.documents.models import ChainStep, Interpretation, ReviewState
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.interpretations import chain_step_save, interpretation_save
from tests.documents.factories import text
from tests.factories import World, member, world

ONLY_DRAFTING = "只有本机关的公开工作机构负责人、登记员可以"
NOT_URL = "不是有效的网址（应以 http:// 或 https:// 开头）"
KINDS = "文字解读、图解、音频、视频、问答、新闻发布会、负责人解读之一"


@pytest.fixture
def w(db) -> World:
    """The agency world, with the clock pinned to Monday 2025-06-16 for the whole test."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


@pytest.fixture
def fee(w):
    return text(w.d1, title="教育收费管理办法", doc_number="测教发〔2025〕1号")


def save(w: World, documents, **kw) -> Interpretation:
    args = {
        "actor": w.registrar,
        "agency": w.d1,
        "kind": "text",
        "title": "《教育收费管理办法》解读",
        "body": "一、制定背景……",
        "documents": documents,
    }
    return interpretation_save(**{**args, **kw})


# --- 解读 ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_interpretation_created_and_linked(w, fee):
    draft = text(w.d1, title="教育收费实施细则", review_state=ReviewState.DRAFT)
    item = save(w, [fee, draft, fee], published_on=date(2025, 6, 16), ip="10.0.0.2")
    assert (item.agency, item.kind, item.title, item.body) == (
        w.d1,
        "text",
        "《教育收费管理办法》解读",
        "一、制定背景……",
    )
    assert item.published_on == date(2025, 6, 16)
    assert item.created_by == w.registrar
    assert sorted(item.documents.values_list("pk", flat=True)) == sorted([fee.pk, draft.pk])
    assert list(fee.interpretations.all()) == [item]
    entry = AuditEntry.objects.get(action="document.interpretation_saved")
    assert entry.message == (
        "新建政策解读“《教育收费管理办法》解读”（文字解读），"
        "解读《教育收费管理办法》（测教发〔2025〕1号）、《教育收费实施细则》"
    )
    assert entry.data == {"kind": "text", "documents": [fee.pk, draft.pk], "created": True}
    assert (entry.actor, entry.agency) == (w.registrar, w.d1)


@pytest.mark.django_db
def test_interpretation_updated_links_replaced(w, fee):
    item = save(w, [fee])
    other = text(w.d1, title="学前教育收费办法")
    again = save(
        w, [other], interpretation=item, kind="graphic", title="一图读懂", body="",
        url="https://jy.example.gov.cn/tujie/1.html", actor=w.head,
    )  # fmt: skip
    assert again.pk == item.pk
    again.refresh_from_db()
    assert (again.kind, again.title, again.url) == (
        "graphic",
        "一图读懂",
        "https://jy.example.gov.cn/tujie/1.html",
    )
    assert list(again.documents.all()) == [other]
    assert (
        AuditEntry.objects.filter(action="document.interpretation_saved")
        .order_by("pk")
        .last()
        .message
        == "修改政策解读“一图读懂”（图解），解读《学前教育收费办法》"
    )


@pytest.mark.django_db
def test_documents_of_another_agency_are_refused_with_the_reason(w, fee):
    theirs = text(w.d2, title="国土空间规划管理办法")
    with pytest.raises(DocumentError) as exc:
        save(w, [fee, theirs])
    assert str(exc.value) == (
        "《国土空间规划管理办法》不是本机关（测试市教育局）发布的文件；"
        "解读只能关联本机关的文件，其他机关的文件由该机关解读"
    )
    assert not Interpretation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"documents": []}, "请选择解读的文件（至少一件）"),
        ({"title": "  "}, "请填写解读标题"),
        ({"title": "解" * 301}, "解读标题不能超过300字（现有301字）"),
        ({"body": "", "url": ""}, "解读内容和链接至少填写一项"),
        ({"url": "jy.example/1"}, "链接“jy.example/1”" + NOT_URL),
        ({"url": "ftp://jy.example.gov.cn/1"}, "链接“ftp://jy.example.gov.cn/1”" + NOT_URL),
        ({"kind": "poster"}, "解读形式“poster”无效，应为" + KINDS),
        ({"published_on": date(2025, 6, 17)}, "发布日期（2025-06-17）不能晚于今天（2025-06-16）"),
    ],
)  # fmt: skip
def test_interpretation_bad_input(w, fee, changes, message):
    changes.setdefault("documents", [fee])
    with pytest.raises(DocumentError) as exc:
        save(w, **changes)
    assert str(exc.value) == message


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secrecy", "supervisor", "registrar2", "outsider"])
def test_interpretation_only_by_drafting_roles(w, fee, who):
    with pytest.raises(DocumentError) as exc:
        save(w, [fee], actor=getattr(w, who))
    assert str(exc.value) == ONLY_DRAFTING + "保存政策解读"


@pytest.mark.django_db
def test_interpretation_stays_with_its_agency(w, fee):
    item = save(w, [fee])
    theirs = text(w.d2)
    with pytest.raises(DocumentError) as exc:
        save(w, [theirs], actor=w.registrar2, agency=w.d2, interpretation=item)
    assert str(exc.value) == "该解读属于其他机关，不能改为测试市自然资源局的解读"


# --- chain steps -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_chain_steps_added_and_edited(w, fee):
    basis = chain_step_save(
        actor=w.registrar,
        policy=fee.policy,
        kind="basis",
        title="《中华人民共和国教育法》",
        day=date(2025, 1, 1),
    )
    consult = chain_step_save(
        actor=w.head,
        policy=fee.policy,
        kind="consultation",
        title="公开征求意见",
        url="https://jy.example.gov.cn/zqyj/1.html",
        day=date(2025, 2, 1),
    )
    assert list(fee.policy.chain_steps.values_list("kind", "title")) == [
        ("basis", "《中华人民共和国教育法》"),
        ("consultation", "公开征求意见"),
    ]
    edited = chain_step_save(
        actor=w.registrar,
        policy=fee.policy,
        kind="feedback",
        title="意见采纳情况",
        body="共收到意见12条，采纳5条。",
        step=consult,
    )
    assert edited.pk == consult.pk
    consult.refresh_from_db()
    assert (consult.kind, consult.title, consult.body, consult.url, consult.day) == (
        "feedback",
        "意见采纳情况",
        "共收到意见12条，采纳5条。",
        "",
        None,
    )
    messages = list(
        AuditEntry.objects.filter(action="document.chain_step_saved")
        .order_by("pk")
        .values_list("message", flat=True)
    )
    assert messages == [
        f"添加政策{fee.policy.code}的政策依据环节“《中华人民共和国教育法》”",
        f"添加政策{fee.policy.code}的意见征集环节“公开征求意见”",
        f"修改政策{fee.policy.code}的结果反馈环节“意见采纳情况”",
    ]
    assert basis.policy == fee.policy


@pytest.mark.django_db
def test_chain_step_refusals(w, fee):
    other = text(w.d1).policy
    step = chain_step_save(actor=w.registrar, policy=other, kind="qa", title="问答")
    with pytest.raises(DocumentError) as exc:
        chain_step_save(actor=w.registrar, policy=fee.policy, kind="qa", title="问", step=step)
    assert str(exc.value) == f"该环节不属于政策{fee.policy.code}"
    with pytest.raises(DocumentError) as exc:
        chain_step_save(actor=w.registrar, policy=fee.policy, kind="publish", title="发布")
    assert (
        str(exc.value)
        == "环节“publish”无效，应为政策依据、意见征集、结果反馈、政策问答、政策兑现之一"
    )
    with pytest.raises(DocumentError) as exc:
        chain_step_save(actor=w.registrar, policy=fee.policy, kind="qa", title="")
    assert str(exc.value) == "请填写环节标题"
    for who in (w.secrecy, w.supervisor, w.registrar2, w.outsider):
        with pytest.raises(DocumentError) as exc:
            chain_step_save(actor=who, policy=fee.policy, kind="qa", title="问答")
        assert str(exc.value) == ONLY_DRAFTING + "保存政策环节"
    assert ChainStep.objects.count() == 1


# --- pages ---------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def posted(documents, **kw) -> dict:
    return {
        "kind": "text",
        "title": "解读标题",
        "body": "解读内容",
        "url": "",
        "published_on": "2025-06-16",
        "documents": [d.pk for d in documents],
        **kw,
    }


@pytest.mark.django_db
def test_list_is_scoped(w, fee):
    save(w, [fee])
    theirs = text(w.d2, title="国土空间规划管理办法")
    interpretation_save(
        actor=w.registrar2, agency=w.d2, kind="qa", title="规划问答", body="问：……",
        documents=[theirs],
    )  # fmt: skip
    mine = client_for(w.registrar).get("/documents/interpretations/").content.decode()
    assert "《教育收费管理办法》解读" in mine and "规划问答" not in mine
    assert "新建解读" in mine
    sup = client_for(w.supervisor).get("/documents/interpretations/").content.decode()
    assert "《教育收费管理办法》解读" in sup and "规划问答" in sup
    assert "新建解读" not in sup
    assert client_for(w.outsider).get("/documents/interpretations/").status_code == 404


@pytest.mark.django_db
def test_new_from_a_document_and_post(w, fee):
    client = client_for(w.registrar)
    page = client.get(f"/documents/interpretations/new/?document={fee.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert re.search(
        rf'<input type="checkbox" name="documents" value="{fee.pk}"[^>]* checked>', body
    )
    assert "《教育收费管理办法》（测教发〔2025〕1号）解读" in body
    done = client.post(
        "/documents/interpretations/new/", posted([fee], agency=w.d1.pk, title="收费办法解读")
    )
    assert done.status_code == 302 and done["Location"] == "/documents/interpretations/"
    item = Interpretation.objects.get()
    assert (item.title, item.agency, list(item.documents.all())) == ("收费办法解读", w.d1, [fee])
    theirs = text(w.d2)
    assert client.get(f"/documents/interpretations/new/?document={theirs.pk}").status_code == 404
    assert client_for(w.supervisor).get("/documents/interpretations/new/").status_code == 403


@pytest.mark.django_db
def test_new_post_errors_shown_on_the_form(w, fee):
    both = member(w.d1, Role.REGISTRAR, username="both")
    Membership.objects.create(user=both, agency=w.d2, role=Role.REGISTRAR)
    theirs = text(w.d2, title="国土空间规划管理办法")
    client = client_for(both)
    page = client.post("/documents/interpretations/new/", posted([fee, theirs], agency=w.d1.pk))
    assert page.status_code == 400
    assert (
        "《国土空间规划管理办法》不是本机关（测试市教育局）发布的文件；"
        "解读只能关联本机关的文件，其他机关的文件由该机关解读" in page.content.decode()
    )
    outside = client_for(w.registrar).post(
        "/documents/interpretations/new/", posted([theirs], agency=w.d1.pk)
    )
    assert "找不到所选的文件，或您无权关联它" in outside.content.decode()
    blank = client_for(w.registrar).post(
        "/documents/interpretations/new/", posted([], agency=w.d1.pk, title="")
    )
    text_of = blank.content.decode()
    assert "请填写解读标题" in text_of and "请选择解读的文件（至少一件）" in text_of
    assert '<a href="#id_documents">解读的文件</a>：请选择解读的文件（至少一件）' in text_of
    assert '<fieldset class="field pick-list has-error" id="id_documents">' in text_of
    assert not Interpretation.objects.exists()


@pytest.mark.django_db
def test_edit_page_for_editors_and_read_only_for_others(w, fee):
    item = save(w, [fee])
    url = f"/documents/interpretations/{item.pk}/edit/"
    done = client_for(w.head).post(url, posted([fee], kind="official", title="负责人谈收费办法"))
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.title, item.agency) == ("official", "负责人谈收费办法", w.d1)
    sup = client_for(w.supervisor).get(url)
    assert sup.status_code == 200
    assert "负责人谈收费办法" in sup.content.decode()
    assert 'class="doc-form"' not in sup.content.decode()  # read only: no form to save
    assert client_for(w.supervisor).post(url, posted([fee])).status_code == 403
    assert client_for(w.registrar2).get(url).status_code == 404


@pytest.mark.django_db
def test_chain_page_add_and_edit(w, fee):
    url = f"/documents/policies/{fee.policy_id}/chain/"
    client = client_for(w.registrar)
    page = client.get(url)
    assert page.status_code == 200
    assert "《教育收费管理办法》（测教发〔2025〕1号）" in page.content.decode()
    assert "添加环节" in page.content.decode()
    added = client.post(
        url, {"kind": "basis", "title": "《中华人民共和国教育法》", "day": "2025-01-01"}
    )
    assert added.status_code == 302 and added["Location"] == url
    step = ChainStep.objects.get()
    assert (step.kind, step.title, step.day) == (
        "basis",
        "《中华人民共和国教育法》",
        date(2025, 1, 1),
    )
    editing = client.get(f"{url}?step={step.pk}").content.decode()
    assert "修改环节" in editing and f'value="{step.pk}"' in editing
    client.post(url, {"step_id": step.pk, "kind": "qa", "title": "政策问答", "url": ""})
    step.refresh_from_db()
    assert (step.kind, step.title, step.day) == ("qa", "政策问答", None)
    bad = client.post(url, {"kind": "qa", "title": "问答", "url": "not a url"})
    assert bad.status_code == 400
    assert "链接“not a url”" + NOT_URL in bad.content.decode()
    other = text(w.d1).policy
    foreign = chain_step_save(actor=w.registrar, policy=other, kind="qa", title="别的问答")
    wrong = client.post(url, {"step_id": foreign.pk, "kind": "qa", "title": "改"})
    assert "找不到要修改的环节，它可能已不属于本政策" in wrong.content.decode()
    assert ChainStep.objects.count() == 2


@pytest.mark.django_db
def test_chain_page_read_only_and_scoped(w, fee):
    url = f"/documents/policies/{fee.policy_id}/chain/"
    chain_step_save(actor=w.registrar, policy=fee.policy, kind="fulfilment", title="资金兑现")
    sup = client_for(w.supervisor).get(url).content.decode()
    assert "资金兑现" in sup and "添加环节" not in sup
    assert client_for(w.supervisor).post(url, {"kind": "qa", "title": "问"}).status_code == 403
    assert client_for(w.registrar2).get(url).status_code == 404
    assert client_for(w.outsider).get(url).status_code == 404
    assert ChainStep.objects.count() == 1


@pytest.mark.django_db
def test_the_pages_lead_back_and_explain_what_is_empty(w, fee):
    client = client_for(w.registrar)
    listing = client.get("/documents/interpretations/").content.decode()
    assert '<a href="/documents/">文件库</a> › 政策解读' in listing
    assert "还没有政策解读。行政规范性文件发布时应同步发布解读" in listing
    new = client.get("/documents/interpretations/new/").content.decode()
    assert (
        '<label for="id_title">标题 <span class="required" aria-hidden="true">*</span></label>'
        in (new)
    )
    assert ":</label>" not in new
    chain = client.get(f"/documents/policies/{fee.policy_id}/chain/").content.decode()
    assert (
        f'<a href="/documents/">文件库</a> › <a href="/documents/{fee.pk}/">教育收费管理办法</a>'
        " › 政策环节" in chain
    )
    assert "<h1>政策环节：教育收费管理办法" in chain
    assert "还没有登记其他环节。可在“添加环节”中登记" in chain
    assert '<ol class="chain">' not in chain  # no numbered list holding only the empty note
    draft = text(w.d1, title="草稿办法", review_state=ReviewState.DRAFT)
    chain = client.get(f"/documents/policies/{draft.policy_id}/chain/").content.decode()
    assert "草稿 · " not in chain and "现行有效" not in chain  # no validity before publication
    sup = client_for(w.supervisor).get("/documents/interpretations/").content.decode()
    assert "还没有政策解读。</td>" in sup
