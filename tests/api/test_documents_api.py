"""The document registry through the API: scope, filters, detail, registration and the steps
of 先审查后公开 and of validity."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.audit.models import AuditEntry
from gongkai.core.validity import DocKind, Validity
from gongkai.documents.models import (
    Attachment,
    Document,
    Interpretation,
    ReviewState,
    ReviewStep,
    ValidityChange,
)
from tests.documents.factories import text

pytestmark = pytest.mark.django_db

NOT_FOUND = "找不到该文件，或您无权查看"
ACTIONS = {
    "submit",
    "secrecy_review",
    "record_basis",
    "publish",
    "return",
    "take_down",
    "repeal",
    "expire",
}


def create_body(**changes) -> dict:
    body = {
        "title": "测试市中小学招生入学工作实施办法",
        "index_no": "CSJY/2025-00007",
        "doc_number": "测教发〔2025〕3号",
        "kind": "行政规范性文件",
        "written_on": "2025-06-10",
        "effective_on": "2025-07-01",
        "expires_on": "2030-06-30",
        "topic": "教育",
        "text": "第一条 为规范中小学招生入学工作，制定本办法。",
    }
    return {**body, **changes}


def ids(api, **params) -> list[int]:
    response = api.get("/documents", **params)
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["items"]]


# --- documentation ---------------------------------------------------------------------------


def test_openapi_document_lists_the_document_operations(client):
    doc = client.get("/api/openapi.json").json()
    paths = doc["paths"]
    assert set(paths["/api/documents"]) == {"get", "post"}
    assert set(paths["/api/documents/{document_id}"]) == {"get"}
    actions = {
        p.rsplit("/", 1)[1] for p in paths if p.startswith("/api/documents/{document_id}/actions/")
    }
    assert actions == ACTIONS
    assert paths["/api/documents"]["get"]["operationId"] == "list_documents"
    assert paths["/api/documents"]["post"]["operationId"] == "create_document"
    submit = paths["/api/documents/{document_id}/actions/submit"]["post"]
    assert (submit["operationId"], submit["summary"]) == ("document_submit", "提交审查")
    assert submit["tags"] == ["政府文件库"]
    repeal = paths["/api/documents/{document_id}/actions/repeal"]["post"]
    assert "requestBody" in repeal
    assert "政府文件库" in doc["info"]["description"]


# --- scope -----------------------------------------------------------------------------------


def test_list_and_detail_are_scoped_to_the_token_user(w, as_user):
    mine = text(w.d1, title="教育局文件")
    theirs = text(w.d2, title="自然资源局文件")
    assert ids(as_user(w.registrar)) == [mine.pk]
    assert ids(as_user(w.secrecy)) == [mine.pk]
    assert ids(as_user(w.registrar2)) == [theirs.pk]
    assert sorted(ids(as_user(w.supervisor))) == sorted([mine.pk, theirs.pk])
    assert ids(as_user(w.outsider)) == []
    assert ids(as_user(w.admin)) == []  # 平台账号管理员 is not an office role

    api = as_user(w.registrar)
    assert api.get(f"/documents/{mine.pk}").status_code == 200
    for path in (f"/documents/{theirs.pk}", f"/documents/{theirs.pk + 1000}"):
        response = api.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND})
    acted = api.post(f"/documents/{theirs.pk}/actions/submit")
    assert (acted.status_code, acted.json()) == (404, {"detail": NOT_FOUND})
    assert api.get(f"/documents/{2**70}").status_code == 422
    assert api.get("/documents/0").status_code == 422


def test_missing_token_is_401(w, client):
    assert client.get("/api/documents").status_code == 401
    response = client.post("/api/documents", {}, content_type="application/json")
    assert response.status_code == 401


# --- list ------------------------------------------------------------------------------------


def test_list_row(w, as_user):
    d = text(
        w.d1,
        title="关于做好2024年学位分配工作的通知",
        kind=DocKind.NORMATIVE,
        written_on=date(2024, 3, 1),
        effective_on=date(2024, 4, 1),
        expires_on=date(2029, 3, 31),
        published_on=date(2024, 3, 5),
        validity_since=date(2024, 4, 1),
        index_no="CSJY/2024-00001",
        topic="教育",
    )
    page = as_user(w.registrar).get("/documents").json()
    assert (page["count"], page["page"], page["pages"], page["limit"], page["offset"]) == (
        1,
        1,
        1,
        50,
        0,
    )
    assert page["items"] == [
        {
            "id": d.pk,
            "title": "关于做好2024年学位分配工作的通知",
            "name": "《关于做好2024年学位分配工作的通知》",
            "doc_number": None,
            "index_no": "CSJY/2024-00001",
            "kind": "normative_documents",
            "kind_label": "行政规范性文件",
            "agency": {"id": w.d1.pk, "name": "测试市教育局", "code": "CSJY"},
            "topic": "教育",
            "written_on": "2024-03-01",
            "published_on": "2024-03-05",
            "effective_on": "2024-04-01",
            "expires_on": "2029-03-31",
            "validity": "in_force",
            "validity_label": "现行有效",
            "validity_since": "2024-04-01",
            "review_state": "published",
            "review_state_label": "已发布",
            "policy_code": d.policy.code,
        }
    ]


def test_list_filters_accept_chinese_labels_and_codes(w, as_user):
    rule = text(
        w.gov,
        kind=DocKind.RULES,
        title="测试市城市绿化管理办法",
        doc_number="测试市人民政府令第12号",
        written_on=date(2023, 5, 1),
    )
    repealed = text(
        w.d1, title="学籍管理规定", validity=Validity.REPEALED, written_on=date(2023, 9, 1)
    )
    draft = text(
        w.d1,
        kind=DocKind.OTHER,
        title="校车安全管理工作方案",
        review_state=ReviewState.DRAFT,
        validity=Validity.NOT_YET_IN_FORCE,
        written_on=date(2025, 6, 1),
        topic="交通",
        index_no="CSJY/2025-00042",
    )
    other = text(w.d2, title="国土空间规划公示", written_on=date(2024, 2, 1), topic="城乡建设")
    api = as_user(w.supervisor)

    assert sorted(ids(api)) == sorted([rule.pk, repealed.pk, draft.pk, other.pk])
    assert ids(api, kind="规章") == ids(api, kind="rules") == [rule.pk]
    assert ids(api, kind="其他文件") == [draft.pk]
    assert sorted(ids(api, kind="行政规范性文件")) == sorted([repealed.pk, other.pk])
    assert ids(api, status="已废止") == ids(api, status="repealed") == [repealed.pk]
    # A text not yet published has no validity yet (the staff list says 未发布): the status
    # filter keeps texts that were published, as on the staff pages.
    assert ids(api, status="尚未施行") == []
    assert sorted(ids(api, status="现行有效")) == sorted([rule.pk, other.pk])
    assert ids(api, review_state="草稿") == ids(api, review_state="draft") == [draft.pk]
    assert sorted(ids(api, year=2023)) == sorted([rule.pk, repealed.pk])
    assert ids(api, agency="CSZR") == [other.pk]
    assert ids(api, agency="NOPE") == []
    assert ids(api, topic="交通") == [draft.pk]
    assert ids(api, q="绿化") == [rule.pk]  # 标题
    assert ids(api, q="人民政府令") == [rule.pk]  # 发文字号
    assert ids(api, q="2025-00042") == [draft.pk]  # 索引号
    assert ids(api, q="管理 校车") == [draft.pk]  # every term
    assert ids(api, kind="规章", year=2024) == []
    # Blank parameters are "not given" (a form's empty fields), never 0.
    blank = dict.fromkeys(("q", "kind", "status", "agency", "year", "topic", "review_state"), "")
    assert len(ids(api, **blank, page="", limit="")) == 4


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "通知"}, "未知的文件类别“通知”"),
        ({"status": "有效"}, "未知的效力状态“有效”"),
        ({"review_state": "审核中"}, "未知的审查状态“审核中”"),
        ({"year": "二〇二四"}, None),
        ({"year": 20245}, None),
        ({"page": 0}, None),
        ({"limit": 201}, None),
        ({"q": "词 " * 7}, "搜索词过多"),
    ],
)
def test_list_refuses_bad_parameters(w, as_user, params, message):
    response = as_user(w.registrar).get("/documents", **params)
    assert response.status_code == 422
    if message:
        assert message in response.json()["detail"][0]["msg"]


def test_unknown_kind_names_the_accepted_labels(w, as_user):
    response = as_user(w.registrar).get("/documents", kind="通知")
    assert response.json()["detail"][0]["msg"] == (
        "Value error, 未知的文件类别“通知”，可选：规章（rules）、"
        "行政规范性文件（normative_documents）、其他文件（other）"
    )


def test_list_pages_unpublished_first_then_by_publication(w, as_user):
    old = text(w.d1, written_on=date(2023, 1, 5))
    new = text(w.d1, written_on=date(2025, 1, 5))
    middle = text(w.d1, written_on=date(2024, 1, 5))
    draft = text(w.d1, review_state=ReviewState.DRAFT, written_on=date(2022, 1, 1))
    api = as_user(w.registrar)
    assert ids(api) == [draft.pk, new.pk, middle.pk, old.pk]
    second = api.get("/documents", limit=3, page=2).json()
    assert (second["count"], second["pages"], second["offset"]) == (4, 2, 3)
    assert [r["id"] for r in second["items"]] == [old.pk]
    beyond = api.get("/documents", limit=3, page=9).json()
    assert (beyond["count"], beyond["items"]) == (4, [])


def test_list_query_count_does_not_grow_with_rows(w, as_user):
    api = as_user(w.supervisor)
    text(w.d1)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/documents", limit=200)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(12):
        text(w.d1 if n % 2 else w.d2, written_on=date(2024, 1, n + 1))
    assert count() == few


# --- detail ----------------------------------------------------------------------------------


def test_detail_has_history_versions_interpretations_attachments_and_masked_trail(w, as_user):
    first = text(
        w.d1,
        title="学生资助管理办法",
        doc_number="测教发〔2020〕1号",
        written_on=date(2020, 3, 1),
        validity=Validity.REVISED,
        validity_since=date(2024, 5, 1),
    )
    second = text(
        w.d1,
        title="学生资助管理办法（2024年修订）",
        written_on=date(2024, 4, 20),
        effective_on=date(2024, 5, 1),
        revises=first,
        text="正文……",
    )
    ValidityChange.objects.create(
        document=first,
        day=date(2024, 5, 1),
        target=Validity.REVISED,
        decision_title="学生资助管理办法（2024年修订）",
        actor=w.head,
    )
    reading = Interpretation.objects.create(
        agency=w.d1, kind="graphic", title="一图读懂学生资助", published_on=date(2024, 4, 22)
    )
    reading.documents.add(second)
    Attachment.objects.create(
        document=second,
        file="documents/2024/a.pdf",
        name="资助标准表.pdf",
        content_type="application/pdf",
        size=20480,
        sha256="ab" * 32,
    )
    hit = {
        "kind": "mobile",
        "label": "手机号码",
        "masked": "138****5678",
        "where": "正文第2行第5列",
        "file": "",
        "severity": "block",
        "explanation": "个人手机号码不应公开，应删除或打码（如138****5678）",
    }
    ReviewStep.objects.create(
        document=second,
        kind="scan",
        passed=False,
        hits=[{**hit, "raw": "13812345678"}],
        actor=w.secrecy,
    )
    api = as_user(w.registrar)

    response = api.get(f"/documents/{second.pk}")
    assert response.status_code == 200
    d = response.json()
    assert "13812345678" not in response.content.decode()
    assert (d["doc_number"], d["name"]) == (None, "《学生资助管理办法（2024年修订）》")
    assert "〔〕" not in response.content.decode()
    assert d["revises"] == {
        "id": first.pk,
        "title": "学生资助管理办法",
        "index_no": first.index_no,
        "doc_number": "测教发〔2020〕1号",
    }
    assert d["revised_by"] is None
    assert (d["text"], d["formed_on"], d["disclosure_label"]) == (
        "正文……",
        "2024-04-20",
        "主动公开",
    )
    policy = d["policy"]
    assert (policy["code"], policy["path"]) == (first.policy.code, f"/p/{first.policy.code}")
    assert [(v["id"], v["validity_label"], v["revises_id"]) for v in policy["versions"]] == [
        (first.pk, "已修订", None),
        (second.pk, "现行有效", first.pk),
    ]
    assert d["interpretations"] == [
        {
            "id": reading.pk,
            "title": "一图读懂学生资助",
            "kind": "graphic",
            "kind_label": "图解",
            "published_on": "2024-04-22",
        }
    ]
    attachment = d["attachments"][0]
    assert (attachment["name"], attachment["size"], attachment["sha256"]) == (
        "资助标准表.pdf",
        20480,
        "ab" * 32,
    )
    assert "file" not in attachment and "url" not in attachment
    step = d["review_trail"][0]
    assert (step["kind"], step["kind_label"], step["passed"]) == ("scan", "个人信息扫描", False)
    assert step["actor"] == str(w.secrecy)
    assert step["hits"] == [hit]  # without what else a stored entry carries

    earlier = api.get(f"/documents/{first.pk}").json()
    assert earlier["revised_by"]["id"] == second.pk
    assert earlier["validity_history"] == [
        {
            "day": "2024-05-01",
            "target": "revised",
            "target_label": "已修订",
            "decision_title": "学生资助管理办法（2024年修订）",
            "decision_number": None,
            "cleanup_id": None,
            "actor": str(w.head),
        }
    ]


# --- registration ----------------------------------------------------------------------------


def test_create_registers_a_draft(w, as_user):
    response = as_user(w.registrar).post("/documents", create_body())
    assert response.status_code == 201, response.content
    d = response.json()
    doc = Document.objects.get()
    assert d["id"] == doc.pk
    assert (d["title"], d["index_no"], d["doc_number"]) == (
        "测试市中小学招生入学工作实施办法",
        "CSJY/2025-00007",
        "测教发〔2025〕3号",
    )
    assert (d["kind"], d["agency"]["code"], d["topic"]) == ("normative_documents", "CSJY", "教育")
    assert (d["written_on"], d["effective_on"], d["expires_on"]) == (
        "2025-06-10",
        "2025-07-01",
        "2030-06-30",
    )
    assert (d["review_state"], d["review_state_label"]) == ("draft", "草稿")
    assert (d["disclosure"], d["published_on"]) == ("proactive", None)
    assert d["created_by"] == str(w.registrar)
    assert d["policy"]["path"] == f"/p/{doc.policy.code}"
    entry = AuditEntry.objects.get(action="document.created")
    assert (entry.actor, entry.ip) == (w.registrar, "10.0.0.7")


def test_create_with_codes_and_explicit_agency(w, as_user):
    body = create_body(kind="other", disclosure="依申请公开", expires_on=None)
    response = as_user(w.head2).post("/documents", {**body, "agency": "CSZR"})
    assert response.status_code == 201, response.content
    d = response.json()
    assert (d["kind_label"], d["agency"]["code"], d["disclosure"]) == (
        "其他文件",
        "CSZR",
        "on_request",
    )
    assert d["expires_on"] is None


def test_create_a_revision_by_doc_number(w, as_user):
    first = text(w.d1, title="招生入学实施办法", doc_number="测教发〔2024〕2号")
    body = create_body(revises="测教发〔2024〕2号")
    response = as_user(w.registrar).post("/documents", body)
    assert response.status_code == 201, response.content
    d = response.json()
    assert d["revises"]["id"] == first.pk
    assert d["policy"]["code"] == first.policy.code
    assert [v["id"] for v in d["policy"]["versions"]] == [first.pk, d["id"]]


@pytest.mark.parametrize(
    ("user", "changes", "message"),
    [
        (
            "registrar",
            {"revises": "测教发〔1999〕9号"},
            "找不到要修订的文件（revises）：测试市教育局没有索引号或发文字号为“测教发〔1999〕9号”的文件",
        ),
        ("registrar", {"agency": "NOPE"}, "找不到机关代码为“NOPE”的机关（agency）"),
        (
            "supervisor",
            {},
            "请用 agency 填写发布机构的机关代码：您不是任何机关的登记员或负责人",
        ),
    ],
)
def test_create_refusals_are_400_with_the_reason(w, as_user, user, changes, message):
    response = as_user(getattr(w, user)).post("/documents", create_body(**changes))
    assert (response.status_code, response.json()) == (400, {"detail": message})
    assert Document.objects.count() == 0


def test_create_for_another_agency_is_refused_by_the_service(w, as_user):
    response = as_user(w.registrar).post("/documents", {**create_body(), "agency": "CSZR"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("只有本机关的")
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"written_on": "2025-02-30"},
        {"written_on": "下周一"},
        {"effective_on": ""},
        {"expires_on": "2030/06/30"},
        {"kind": "通知"},
        {"kind": ""},
        {"disclosure": "公开"},
        {"title": "长" * 301},
        {"surprise": 1},
    ],
)
def test_create_refuses_malformed_bodies_with_422(w, as_user, changes):
    response = as_user(w.registrar).post("/documents", create_body(**changes))
    assert response.status_code == 422
    assert Document.objects.count() == 0


def test_create_needs_title_and_dates(w, as_user):
    body = create_body()
    del body["written_on"]
    assert as_user(w.registrar).post("/documents", body).status_code == 422


# --- steps -----------------------------------------------------------------------------------


def test_full_path_submit_secrecy_publish(w, as_user):
    made = as_user(w.registrar).post("/documents", create_body())
    doc_id = made.json()["id"]

    submitted = as_user(w.registrar).post(f"/documents/{doc_id}/actions/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["review_state"] == "secrecy"

    reviewed = as_user(w.secrecy).post(
        f"/documents/{doc_id}/actions/secrecy_review", {"passed": True, "note": "不涉密"}
    )
    assert reviewed.status_code == 200, reviewed.content
    assert (reviewed.json()["review_state"], reviewed.json()["review_state_label"]) == (
        "sign_off",
        "待签发",
    )

    published = as_user(w.head).post(f"/documents/{doc_id}/actions/publish", {})
    assert published.status_code == 200, published.content
    d = published.json()
    assert (d["review_state"], d["published_on"]) == ("published", "2025-06-16")
    assert d["validity"] == "not_yet_in_force"  # 施行日期 2025-07-01
    assert [(s["kind"], s["passed"]) for s in d["review_trail"]] == [
        ("submit", True),
        ("secrecy", True),
        ("scan", True),
        ("sign_off", True),
        ("publish", True),
    ]
    assert [s["actor"] for s in d["review_trail"]] == [
        str(w.registrar),
        str(w.secrecy),
        str(w.secrecy),
        str(w.head),
        str(w.head),
    ]
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "document.created",
        "document.submitted",
        "document.secrecy_reviewed",
        "document.scanned",
        "document.signed_off",
        "document.published",
    ]
    assert set(AuditEntry.objects.values_list("ip", flat=True)) == {"10.0.0.7"}


def test_publishing_a_revision_through_the_api_marks_the_earlier_text(w, as_user):
    first = text(w.d1, title="招生入学实施办法", doc_number="测教发〔2024〕2号")
    body = create_body(
        revises="测教发〔2024〕2号", written_on="2025-06-10", effective_on="2025-06-16"
    )
    doc_id = as_user(w.registrar).post("/documents", body).json()["id"]
    as_user(w.registrar).post(f"/documents/{doc_id}/actions/submit")
    as_user(w.secrecy).post(f"/documents/{doc_id}/actions/secrecy_review", {"passed": True})
    published = as_user(w.head).post(f"/documents/{doc_id}/actions/publish", {"day": "2025-06-16"})
    assert published.status_code == 200, published.content
    assert published.json()["validity"] == "in_force"
    earlier = as_user(w.registrar).get(f"/documents/{first.pk}").json()
    assert (earlier["validity"], earlier["revised_by"]["id"]) == ("revised", doc_id)
    assert [
        (c["day"], c["target"], c["decision_title"], c["decision_number"])
        for c in earlier["validity_history"]
    ] == [("2025-06-16", "revised", "测试市中小学招生入学工作实施办法", "测教发〔2025〕3号")]


def test_personal_information_stops_at_scan_until_a_basis_is_recorded(w, as_user):
    body = create_body(text="联系手机13812345678")
    doc_id = as_user(w.registrar).post("/documents", body).json()["id"]
    as_user(w.registrar).post(f"/documents/{doc_id}/actions/submit")
    scanned = as_user(w.secrecy).post(
        f"/documents/{doc_id}/actions/secrecy_review", {"passed": True}
    )
    assert scanned.status_code == 200, scanned.content
    d = scanned.json()
    assert (d["review_state"], d["review_state_label"]) == ("scan", "个人信息核查")
    scan = d["review_trail"][-1]
    assert (scan["kind"], scan["passed"]) == ("scan", False)
    assert scan["hits"] == [
        {
            "kind": "mobile",
            "label": "手机号码",
            "masked": "138****5678",
            "where": "正文第1行第5列",
            "file": "",
            "severity": "block",
            "explanation": "个人手机号码不应公开，应删除或打码（如138****5678）",
        }
    ]
    assert "13812345678" not in json.dumps({k: v for k, v in d.items() if k != "text"})

    recorded = as_user(w.head).post(
        f"/documents/{doc_id}/actions/record_basis",
        {"basis": "consent", "note": "本人书面同意公开联系方式"},
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["review_state"] == "sign_off"
    basis = [s for s in recorded.json()["review_trail"] if s["kind"] == "basis"]
    assert (basis[0]["basis"], basis[0]["basis_label"]) == ("consent", "权利人同意公开")


def test_return_and_take_down(w, as_user):
    draft = text(w.d1, review_state=ReviewState.SECRECY, validity=Validity.NOT_YET_IN_FORCE)
    returned = as_user(w.secrecy).post(
        f"/documents/{draft.pk}/actions/secrecy_review", {"passed": False, "note": "涉及内部事项"}
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["review_state"] == "returned"

    published = text(w.d1)
    down = as_user(w.head).post(
        f"/documents/{published.pk}/actions/take_down", {"reason": "含未脱敏的个人信息"}
    )
    assert down.status_code == 200, down.content
    assert (down.json()["review_state"], down.json()["review_state_label"]) == (
        "taken_down",
        "已撤下",
    )


def test_refused_steps_are_400_with_the_service_message(w, as_user):
    draft = text(w.d1, review_state=ReviewState.DRAFT, validity=Validity.NOT_YET_IN_FORCE)
    early = as_user(w.head).post(f"/documents/{draft.pk}/actions/publish", {})
    assert (early.status_code, early.json()) == (
        400,
        {"detail": "该文件当前为“草稿”，不能签发：须先通过保密审查和个人信息扫描"},
    )
    by_supervisor = as_user(w.supervisor).post(f"/documents/{draft.pk}/actions/submit")
    assert by_supervisor.status_code == 400
    assert by_supervisor.json()["detail"].startswith("只有本机关的")
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT


def test_repeal_and_expire_record_the_decision(w, as_user):
    d = text(w.d1, written_on=date(2021, 3, 1), validity_since=date(2021, 3, 1))
    decision = {"day": "2025-06-16", "decision_title": "关于废止部分规范性文件的决定"}
    response = as_user(w.head).post(
        f"/documents/{d.pk}/actions/repeal", {**decision, "decision_number": "测教发〔2025〕9号"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["validity"], body["validity_label"], body["validity_since"]) == (
        "repealed",
        "已废止",
        "2025-06-16",
    )
    assert [(c["target"], c["decision_number"]) for c in body["validity_history"]] == [
        ("repealed", "测教发〔2025〕9号")
    ]
    again = as_user(w.head).post(f"/documents/{d.pk}/actions/expire", decision)
    assert again.status_code == 400
    assert "已废止" in again.json()["detail"]

    other = text(w.d1, written_on=date(2021, 3, 1))
    expired = as_user(w.head).post(f"/documents/{other.pk}/actions/expire", decision)
    assert expired.status_code == 200, expired.content
    assert expired.json()["validity_history"][0]["decision_number"] is None
    assert expired.json()["validity"] == "expired"


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("secrecy_review", {}),
        ("secrecy_review", {"passed": True, "surprise": 1}),
        ("record_basis", {"basis": "because", "note": "x"}),
        ("publish", {"day": "2025-13-01"}),
        ("return", {}),
        ("take_down", {"note": "typo for reason"}),
        ("repeal", {"day": "昨天", "decision_title": "决定"}),
        ("expire", {"decision_title": "决定"}),
    ],
)
def test_malformed_action_bodies_are_422(w, as_user, action, body):
    d = text(w.d1)
    response = as_user(w.head).post(f"/documents/{d.pk}/actions/{action}", body)
    assert response.status_code == 422
