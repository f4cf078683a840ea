"""The REST API: authentication, scope, every endpoint, errors and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from gongkai.cases.services import case_assign
from gongkai.core.workflow import Action
from tests.api.conftest import ApiClient
from tests.factories import PAPER_KINDS, company, person, register, resident_id, steps_only

pytestmark = pytest.mark.django_db

NOT_FOUND = "找不到该申请，或您无权查看"


def new_case(w, **kw) -> Case:
    return register(w.registrar, w.d1, received_on=kw.pop("received_on", date(2025, 6, 9)), **kw)


def applicant_body(**changes) -> dict:
    body = {
        "kind": "natural_person",
        "name": "王小红",
        "id_type": "resident_id",
        "id_number": resident_id(7),
        "phone": "13912345678",
        "address": "青岛市市北区辽宁路2号",
        "postcode": "266000",
    }
    return {**body, **changes}


def register_body(w, **changes) -> dict:
    body = {
        "agency_id": w.d1.pk,
        "channel": "online",
        "received_on": "2025-06-13",
        "applicant": applicant_body(),
        "request_text": "2024年全市中小学学位分配方案",
        "form_wanted": "electronic",
        "delivery_wanted": "email",
    }
    return {**body, **changes}


# --- documentation ---------------------------------------------------------------------------


def test_openapi_document_lists_every_endpoint(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["info"]["title"] == "政府信息公开工作平台 API"
    paths = doc["paths"]
    assert {"get", "post"} <= set(paths["/api/cases"])
    assert "get" in paths["/api/cases/{case_id}"]
    assert "get" in paths["/api/agencies"]
    actions = {
        p.rsplit("/", 1)[1] for p in paths if p.startswith("/api/cases/") and "/actions/" in p
    }
    assert actions == {a.value for a in Action}
    assert doc["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert paths["/api/cases/{case_id}/actions/assign"]["post"]["operationId"] == "assign"


def test_docs_page_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html  # bundled, no CDN: works offline
    assert "/api/openapi.json" in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


# --- authentication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "需要接口令牌"),
        ("Bearer gk_not-a-real-token", "接口令牌无效"),
        ("Bearer ", "需要接口令牌"),
        ("Basic dXNlcjpwYXNz", "需要接口令牌"),
    ],
)
def test_missing_or_wrong_token_is_401(w, client, header, message):
    new_case(w)
    headers = {"Authorization": header} if header else {}
    for path in ("/api/cases", "/api/agencies", f"/api/cases/{Case.objects.get().pk}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert message in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Bearer"
    post = client.post("/api/cases", {}, content_type="application/json", headers=headers)
    assert post.status_code == 401


def test_revoked_token_and_inactive_user_are_refused(w):
    token, raw = ApiToken.issue(w.registrar, "test")
    api = ApiClient(raw)
    assert api.get("/cases").status_code == 200
    token.revoked = True
    token.save()
    response = api.get("/cases")
    assert (response.status_code, response.json()) == (401, {"detail": "接口令牌已吊销"})
    _, raw2 = ApiToken.issue(w.head, "test")
    w.head.is_active = False
    w.head.save()
    assert ApiClient(raw2).get("/cases").json() == {"detail": "令牌所属账号已停用"}


def test_token_use_is_recorded_and_acts_as_its_user(w, as_user):
    api = as_user(w.registrar)
    token = ApiToken.objects.get(user=w.registrar)
    assert token.last_used_at is None
    response = api.post("/cases", register_body(w))
    assert response.status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None
    case = Case.objects.get()
    assert case.registered_by == w.registrar
    entry = AuditEntry.objects.get(action="case.registered")
    assert (entry.actor, entry.ip) == (w.registrar, "10.0.0.7")


# --- list ------------------------------------------------------------------------------------


def test_list_shows_masked_rows_with_clock(w, as_user):
    c = new_case(w, text="某某路口改造项目的立项批复及环评报告全文" * 8)
    response = as_user(w.registrar).get("/cases")
    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["limit"], page["offset"]) == (1, 50, 0)
    row = page["items"][0]
    assert row["id"] == c.pk and row["number"] == "CSJY-2025-0001"
    assert row["agency"] == {"id": w.d1.pk, "name": "测试市教育局"}
    assert (row["status"], row["status_label"]) == ("registered", "已登记")
    assert (row["channel"], row["channel_label"]) == ("in_person", "当面提交")
    assert row["applicant"] == "张*明" and row["applicant_kind"] == "natural_person"
    assert row["received_on"] == "2025-06-09" and row["due_on"] == "2025-07-07"
    # 16 June to 7 July 2025: 15 working days left.
    assert (row["card"], row["card_label"], row["working_days_left"]) == ("green", "绿牌", 15)
    assert len(row["request_text"]) == 80 and row["request_text"].endswith("…")
    assert "张三明" not in response.content.decode()


def test_list_filters_and_pages(w, as_user):
    a = new_case(w, received_on=date(2025, 6, 3), text="学区划分文件")
    b = new_case(w, received_on=date(2025, 6, 10), applicant=company(), channel="email")
    c = register(w.head2, w.d2, text="规划许可")
    case_assign(actor=w.registrar, case=a, unit=w.u1)
    api = as_user(w.supervisor)

    def ids(**params) -> list[int]:
        response = api.get("/cases", **params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["items"]]

    assert sorted(ids()) == sorted([a.pk, b.pk, c.pk])
    assert ids(status="processing") == [a.pk]
    assert sorted(ids(status="open")) == sorted([a.pk, b.pk, c.pk])
    assert ids(unit=w.u1.pk) == [a.pk]
    assert ids(channel="email") == [b.pk]
    assert ids(applicant_kind="commercial") == [b.pk]
    assert ids(received_from="2025-06-04", received_to="2025-06-12") == [b.pk]
    assert ids(q="学区") == [a.pk]
    assert ids(q=c.number) == [c.pk]
    assert ids(agency=w.d2.pk) == [c.pk]
    assert ids(card="green") == ids()
    assert ids(card="red") == []
    first, rest = api.get("/cases", limit=1).json(), ids(limit=2, offset=1)
    assert first["count"] == 3 and len(first["items"]) == 1
    assert first["items"][0]["id"] not in rest and len(rest) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 201},
        {"limit": 0},
        {"offset": -1},
        {"status": "lost"},
        {"card": "blue"},
        {"received_from": "2025-13-01"},
        {"agency": 2**70},
    ],
)
def test_list_refuses_bad_parameters(w, as_user, params):
    response = as_user(w.registrar).get("/cases", **params)
    assert response.status_code == 422


def test_list_is_scoped_to_the_token_user(w, as_user):
    mine = new_case(w)
    routed = new_case(w, text="另一件")
    case_assign(actor=w.registrar, case=routed, unit=w.u1)

    def ids(user) -> set[int]:
        return {r["id"] for r in as_user(user).get("/cases").json()["items"]}

    assert ids(w.registrar) == {mine.pk, routed.pk}
    assert ids(w.registrar2) == set()
    assert ids(w.handler1) == {routed.pk}
    assert ids(w.handler3) == set()
    assert ids(w.outsider) == set()
    assert ids(w.supervisor) == {mine.pk, routed.pk}


def test_list_query_count_does_not_grow_with_rows(w, as_user, steady_calendar):
    api = as_user(w.registrar)
    for n in range(3):
        new_case(w, applicant=person(n + 1))
    api.get("/cases")  # warm the working-calendar cache

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/cases", limit=200)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(27):
        new_case(w, applicant=person(n + 10))
    assert Case.objects.count() == 30
    assert count() == few


# --- detail ----------------------------------------------------------------------------------


def test_detail_masks_identity_and_lists_allowed_actions(w, as_user):
    c = new_case(w)
    case_assign(actor=w.registrar, case=c, unit=w.u1, instructions="请检索")
    response = as_user(w.registrar).get(f"/cases/{c.pk}")
    assert response.status_code == 200
    d = response.json()
    assert d["identity"] == {
        "name": "张*明",
        "id_type": "resident_id",
        "id_type_label": "居民身份证",
        "id_number": "3702**********0019",
        "phone": "138****5678",
    }
    text = response.content.decode()
    for secret in ("张三明", resident_id(1), "13812345678", "香港中路"):
        assert secret not in text
    assert (d["status"], d["card"], d["due_on"]) == ("processing", "green", "2025-07-07")
    assert d["my_roles"] == ["registrar"]
    actions = [a["action"] for a in d["allowed_actions"]]
    assert actions == [
        "assign",
        "answer_assignment",
        "consult",
        "answer_consultation",
        "draft_reply",
        "fee_notice",
        "withdraw",
    ]
    assert d["assignments"][0]["unit"] == {"id": w.u1.pk, "name": "基础教育处"}
    assert d["assignments"][0]["instructions"] == "请检索"
    steps = [e for e in d["timeline"] if e["kind"] not in PAPER_KINDS]
    assert [(e["kind"], e["kind_label"]) for e in steps] == [
        ("received", "收到申请"),
        ("routed", "转办/协查"),
    ]
    assert steps[1]["actor"] == str(w.registrar) and steps[1]["ref"] == "Z1"
    assert d["registered_by"] == str(w.registrar)
    handler = as_user(w.handler1).get(f"/cases/{c.pk}").json()
    assert handler["my_roles"] == ["handler"]
    assert [a["action"] for a in handler["allowed_actions"]] == [
        "answer_assignment",
        "consult",
        "answer_consultation",
        "draft_reply",
    ]


def test_detail_out_of_scope_or_missing_is_the_same_404(w, as_user):
    c = new_case(w)
    for user in (w.registrar2, w.handler1, w.outsider, w.admin):
        response = as_user(user).get(f"/cases/{c.pk}")
        assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND})
    missing = as_user(w.registrar).get(f"/cases/{c.pk + 1000}")
    assert (missing.status_code, missing.json()) == (404, {"detail": NOT_FOUND})
    assert as_user(w.registrar).get(f"/cases/{2**70}").status_code == 422
    assert as_user(w.registrar).get("/cases/0").status_code == 422


# --- registration ----------------------------------------------------------------------------


def test_register_returns_the_new_case(w, as_user):
    response = as_user(w.registrar).post("/cases", register_body(w))
    assert response.status_code == 201, response.content
    d = response.json()
    assert d["number"] == "CSJY-2025-0001" and d["applicant"] == "王*红"
    assert (d["channel"], d["form_wanted"], d["delivery_wanted"]) == (
        "online",
        "electronic",
        "email",
    )
    assert d["request_text"] == "2024年全市中小学学位分配方案"
    assert [a["action"] for a in d["allowed_actions"]][:2] == ["request_correction", "assign"]
    case = Case.objects.get(pk=d["id"])
    assert case.applicant_name == "王小红" and case.postcode == "266000"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"applicant": applicant_body(id_number="370202198506150001")}, "身份证号码校验码错误"),
        ({"applicant": applicant_body(phone="", address="")}, "请至少填写一种联系方式"),
        ({"applicant": applicant_body(kind="commercial")}, "法人或其他组织申请人"),
        ({"request_text": "   "}, "请填写所需政府信息"),
        ({"received_on": "2025-06-17"}, "不能晚于今天"),
        ({"agency_id": 999999}, "找不到 id 为 999999 的受理机关"),
        ({"received_on": "1900-01-02"}, "出生日期“19850615”不合理"),
    ],
)
def test_register_refuses_bad_input_with_400(w, as_user, changes, message):
    response = as_user(w.registrar).post("/cases", {**register_body(w), **changes})
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert Case.objects.count() == 0


def test_register_only_where_the_user_registers(w, as_user):
    response = as_user(w.registrar2).post("/cases", register_body(w))
    assert response.status_code == 400
    assert "不能登记申请" in response.json()["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"channel": "pigeon"},
        {"form_wanted": None},
        {"agency_id": "教育局"},
        {"applicant": {"kind": "natural_person"}},
        {"applicant": applicant_body(postcode="2660001")},
        {"request_text": "文件\x00名称"},
        {"surprise": 1},
    ],
)
def test_register_refuses_malformed_bodies_with_422(w, as_user, changes):
    response = as_user(w.registrar).post("/cases", {**register_body(w), **changes})
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_unreadable_json_is_400(w, as_user):
    api = as_user(w.registrar)
    response = api.client.post(
        "/api/cases", "{not json", content_type="application/json", headers=api.headers
    )
    assert (response.status_code, response.json()) == (400, {"detail": "请求体不是有效的 JSON"})


# --- workflow actions ------------------------------------------------------------------------


def test_full_path_through_every_office_action(w, as_user):
    reg, head, sec, hand = (as_user(u) for u in (w.registrar, w.head, w.secrecy, w.handler1))
    c = new_case(w)

    def ok(api: ApiClient, action: str, **body) -> dict:
        response = api.act(c.pk, action, **body)
        assert response.status_code == 200, (action, response.content)
        return response.json()

    d = ok(reg, "assign", unit_id=w.u1.pk, working_days=5, day="2025-06-10")
    assert d["status"] == "processing" and d["assignments"][0]["due_on"] == "2025-06-17"
    d = ok(
        hand,
        "answer_assignment",
        assignment_id=d["assignments"][0]["id"],
        opinion="经检索，可以公开",
        day="2025-06-12",
    )
    assert d["assignments"][0]["answered_by"] == str(w.handler1)
    d = ok(reg, "consult", kind="third_party", party="某建设公司", day="2025-06-12")
    d = ok(
        reg,
        "answer_consultation",
        consultation_id=d["consultations"][0]["id"],
        answer="consent",
        note="同意",
    )
    assert d["consultations"][0]["answer_label"] == "同意公开"
    d = ok(head, "extend", working_days=10, reason="涉及多个年度档案")
    assert d["due_on"] == "2025-07-23"
    d = ok(
        hand,
        "draft_reply",
        summary="部分公开",
        items=[
            {"description": "批复文件", "outcome": "disclosed"},
            {"description": "附件图纸", "outcome": "third_party_rights", "explanation": "商业秘密"},
        ],
    )
    assert (d["status"], d["outcome"], d["outcome_label"]) == ("drafted", "partial", "部分公开")
    assert [i["outcome"] for i in d["reply_items"]] == ["disclosed", "third_party_rights"]
    d = ok(head, "return_draft", note="补充说明理由")
    assert d["status"] == "processing"
    ok(reg, "draft_reply", items=[{"description": "批复文件", "outcome": "disclosed"}])
    d = ok(sec, "secrecy_review", passed=True, note="不涉密")
    assert d["secrecy_reviews"][0]["reviewer"] == str(w.secrecy)
    assert ok(head, "approve", note="同意")["status"] == "approved"
    d = ok(reg, "mark_replied")
    assert (d["status"], d["card"], d["replied_on"]) == ("replied", "done", "2025-06-16")
    assert ok(reg, "archive")["status"] == "archived"
    d = ok(head, "reopen", decision="测复决字〔2025〕3号", due="2025-07-01")
    assert (d["status"], d["due_on"], d["outcome"]) == ("processing", "2025-07-01", "")
    assert ok(reg, "withdraw", note="申请人书面撤回")["status"] == "closed"
    kinds = steps_only([e["kind"] for e in d["timeline"]])
    assert kinds[-3:] == ["replied", "archived", "reopened"]


def test_correction_actions(w, as_user):
    reg = as_user(w.registrar)
    first, second = new_case(w, received_on=date(2025, 5, 6)), new_case(w)
    d = reg.act(
        first.pk,
        "request_correction",
        what="请补充身份证明",
        reply_by="2025-05-20",
        day="2025-05-07",
    ).json()
    assert (d["status"], d["card"], d["card_label"]) == (
        "awaiting_correction",
        "paused",
        "暂停计时",
    )
    d = reg.act(first.pk, "lapse_correction", note="未补正").json()
    assert (d["status"], d["outcome"]) == ("closed", "no_correction")
    reg.act(
        second.pk,
        "request_correction",
        what="请写明文件名称",
        reply_by="2025-06-30",
        day="2025-06-10",
    )
    d = reg.act(second.pk, "receive_correction", day="2025-06-13").json()
    # The clock restarts on Friday 13 June: 20 working days → Friday 11 July.
    assert (d["status"], d["due_on"]) == ("processing", "2025-07-11")
    assert steps_only([e["kind"] for e in d["timeline"]])[-2:] == [
        "correction_requested",
        "correction_received",
    ]


def test_refused_transitions_answer_400_with_the_reason(w, as_user):
    c = new_case(w)
    before = AuditEntry.objects.count()
    cases = [
        (as_user(w.head), "approve", {}, "案件当前为“已登记”，不能执行“审签”"),
        (
            as_user(w.registrar),
            "extend",
            {"working_days": 5, "reason": "档案多"},
            "“延期答复”须由公开工作机构负责人办理",
        ),
        (as_user(w.head), "extend", {"working_days": 21, "reason": "档案多"}, "1 至 20"),
        (as_user(w.registrar), "archive", {}, "不能执行“归档”"),
        (as_user(w.supervisor), "withdraw", {}, "须由登记员"),
        (as_user(w.registrar), "assign", {"unit_id": w.u3.pk}, "不是测试市教育局的内设机构"),
        (as_user(w.registrar), "assign", {"unit_id": 999999}, "找不到 id 为 999999 的承办单位"),
        (
            as_user(w.registrar),
            "answer_assignment",
            {"assignment_id": 5, "opinion": "x"},
            "该申请下没有 id 为 5 的转办事项",
        ),
        (
            as_user(w.registrar),
            "answer_consultation",
            {"consultation_id": 5, "answer": "consent"},
            "没有 id 为 5 的征求意见",
        ),
        (as_user(w.registrar), "draft_reply", {"items": []}, "至少要有一个申请事项"),
        (as_user(w.head), "reopen", {"decision": "复决字1号"}, "不能执行"),
        (
            as_user(w.registrar),
            "request_correction",
            {"what": "x", "reply_by": "2025-06-16"},
            "应晚于告知日期",
        ),
    ]
    for api, action, body, message in cases:
        response = api.act(c.pk, action, **body)
        assert response.status_code == 400, (action, response.content)
        assert message in response.json()["detail"], (action, response.json())
    assert AuditEntry.objects.count() == before


def test_actions_on_a_case_out_of_scope_are_404(w, as_user):
    c = new_case(w)
    for user, action, body in [
        (w.registrar2, "withdraw", {}),
        (w.head2, "approve", {}),
        (w.handler1, "draft_reply", {"items": [{"description": "x", "outcome": "disclosed"}]}),
        (w.outsider, "archive", {}),
    ]:
        response = as_user(user).act(c.pk, action, **body)
        assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND})
    assert as_user(w.registrar).act(c.pk + 99, "withdraw").status_code == 404


def test_handler_answers_only_assignments_of_their_unit(w, as_user):
    c = new_case(w)
    a2 = case_assign(actor=w.registrar, case=c, unit=w.u2)
    case_assign(actor=w.registrar, case=c, unit=w.u1)
    response = as_user(w.handler1).act(
        c.pk, "answer_assignment", assignment_id=a2.pk, opinion="代答"
    )
    assert response.status_code == 400
    assert "您不是该单位的承办人" in response.json()["detail"]


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("assign", {"unit_id": "基础教育处"}),
        ("assign", {"unit_id": 1, "kind": "forward"}),
        ("consult", {"kind": "third_party"}),
        ("secrecy_review", {"passed": "maybe"}),
        ("draft_reply", {"items": [{"description": "x", "outcome": "granted"}]}),
        ("extend", {"working_days": 5, "reason": "x", "day": "昨天"}),
        ("withdraw", {"reason": "typo for note"}),
    ],
)
def test_malformed_action_bodies_are_422(w, as_user, action, body):
    c = new_case(w)
    response = as_user(w.head).act(c.pk, action, **body)
    assert response.status_code == 422


@pytest.mark.parametrize("day", ["2025-06-17", "2999-01-01", "2025-06-08"])
def test_step_dates_outside_the_case_are_400(w, as_user, day):
    c = new_case(w)
    response = as_user(w.registrar).act(c.pk, "withdraw", day=day)
    assert response.status_code == 400
    assert "日期" in response.json()["detail"]


# --- agencies --------------------------------------------------------------------------------


def test_agencies_lists_memberships_with_their_units(w, as_user):
    d = as_user(w.registrar).get("/agencies").json()
    assert [a["code"] for a in d] == ["CSJY"]
    assert d[0]["roles"] == ["registrar"] and d[0]["handles_applications"] is True
    assert d[0]["kind"] == "department" and d[0]["parent_id"] == w.gov.pk
    assert [(u["code"], u["kind"], u["parent_id"]) for u in d[0]["units"]] == [
        ("CSJYJC", "unit", w.d1.pk),
        ("CSJYFG", "unit", w.d1.pk),
    ]
    sup = as_user(w.supervisor).get("/agencies").json()
    assert [a["code"] for a in sup] == ["CSGOV"]
    assert len(sup[0]["units"]) == 5
    assert as_user(w.outsider).get("/agencies").json() == []
    assert [a["code"] for a in as_user(w.handler1).get("/agencies").json()] == ["CSJYJC"]
