"""The registry of workflow actions: every action has one entry, from which the staff page's
form and the API's route are generated; the generated forms are what the case page shows and
post what the services take."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from django.urls import reverse
from lxml import html

from gongkai.cases.actions import ACTIONS
from gongkai.cases.actions.forms import action_form, action_form_class
from gongkai.cases.actions.inputs import DraftReplyIn, ReplyItemIn
from gongkai.cases.services import case_assign, case_consult
from gongkai.core.workflow import TRANSITIONS, Action
from tests.factories import register

pytestmark = pytest.mark.django_db

#: The services whose change can touch a published year take its amendment reason.
AMENDABLE = {
    Action.LAPSE_CORRECTION,
    Action.MARK_REPLIED,
    Action.LAPSE_FEE,
    Action.WITHDRAW,
    Action.REOPEN,
}


@pytest.fixture
def case(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    case_assign(actor=w.registrar, case=c, unit=w.u1)
    case_consult(actor=w.registrar, case=c, kind="third_party", party="某建设公司")
    return c


def test_the_web_and_the_api_offer_the_same_actions(client):
    assert list(ACTIONS) == list(Action) == list(TRANSITIONS)
    doc = client.get("/api/openapi.json").json()
    routes = {
        path.rsplit("/", 1)[1]: item["post"]
        for path, item in doc["paths"].items()
        if path.startswith("/api/cases/{case_id}/actions/")
    }
    assert set(routes) == {a.value for a in Action}
    for action, entry in ACTIONS.items():
        form = action_form_class(action)()
        assert form.prefix == action.value
        assert reverse("cases:act", args=[1, action.value]).endswith(f"/{action.value}/")
        route = routes[action.value]
        assert (route["operationId"], route["summary"], route["description"]) == (
            action.value,
            entry.summary,
            entry.help,
        )
        assert entry.summary.startswith(TRANSITIONS[action].label)
        if entry.schema is None:
            assert "requestBody" not in route and form.fields == {}
            continue
        body = route["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{entry.schema.__name__}"}
        assert entry.schema.__name__ in doc["components"]["schemas"]


def test_component_names_stay():
    names = {e.action: e.schema.__name__ for e in ACTIONS.values() if e.schema}
    assert names[Action.ASSIGN] == "AssignIn"
    assert names[Action.RECEIVE_CORRECTION] == "DayNoteIn"
    assert names[Action.MARK_REPLIED] == "ReplyDeliveryIn"
    assert names[Action.FEE_NOTICE] == "FeeNoticeIn"
    assert names[Action.DRAFT_REPLY] == "DraftReplyIn"


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_input_fits_the_service(action):
    """A service called with the input's fields takes each of them; the amendment reason is
    in the input exactly when the service takes it."""
    entry = ACTIONS[action]
    fields = set(entry.schema.model_fields) if entry.schema else set()
    assert ("amend_reason" in fields) == (action in AMENDABLE)
    service = getattr(entry.run, "__wrapped__", None)
    if service is not None:  # the others go through their own adapter
        parameters = inspect.signature(service).parameters
        assert fields <= set(parameters)
        assert ("amend_reason" in parameters) == (action in AMENDABLE)


def _page_fields(page: str, action: Action) -> list[tuple[str, str]]:
    """(posted name, label) of each field of the action's form on the case page."""
    tree = html.fromstring(page)
    form = tree.xpath(f'//details[@id="action-{action.value}"]//form')[0]
    fields = []
    for label in form.xpath(".//label[@for]"):
        control = form.xpath(f'.//*[@id="{label.get("for")}"]')[0]
        fields.append((control.get("name"), label.text_content().strip()))
    return fields


def test_the_case_page_shows_the_generated_forms(client, w, case):
    client.force_login(w.registrar)
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    shown = [a for a in Action if f'id="action-{a.value}"' in page]
    assert Action.ASSIGN in shown and Action.DRAFT_REPLY in shown and Action.WITHDRAW in shown
    for action in shown:
        form = action_form(action, case)
        expected = [(f"{action.value}-{name}", f.label) for name, f in form.fields.items()]
        assert _page_fields(page, action) == expected, action
    assert _page_fields(page, Action.ASSIGN) == [
        ("assign-day", "日期"),
        ("assign-unit", "承办单位"),
        ("assign-kind", "方式"),
        ("assign-working_days", "办理时限（工作日）"),
        ("assign-instructions", "办理要求"),
    ]
    assert _page_fields(page, Action.WITHDRAW) == [
        ("withdraw-day", "日期"),
        ("withdraw-note", "说明"),
    ]
    draft = _page_fields(page, Action.DRAFT_REPLY)
    assert draft[:4] == [
        ("draft_reply-summary", "答复要点"),
        ("draft_reply-item1", "事项1"),
        ("draft_reply-outcome1", "事项1处理结果"),
        ("draft_reply-explanation1", "事项1说明"),
    ]
    assert len(draft) == 1 + 5 * 3 and draft[-1] == ("draft_reply-explanation5", "事项5说明")
    tree = html.fromstring(page)
    assert tree.xpath('//*[@name="assign-working_days"]/@value') == ["5"]
    assert tree.xpath('//*[@name="assign-working_days"]/@max') == ["20"]
    assert tree.xpath('//*[@id="id_assign-day_helptext"]')[0].text_content() == "不填为今天"
    units = tree.xpath('//select[@name="assign-unit"]/option/text()')
    assert "基础教育处" in units and "测试市教育局" not in units
    assignments = tree.xpath('//select[@name="answer_assignment-assignment"]/option/text()')
    assert len(assignments) == 1 and assignments[0].startswith("转办至基础教育处")


def test_a_posted_form_becomes_the_action_input(w, case):
    posted = {
        "draft_reply-summary": "部分公开",
        "draft_reply-item1": "批复文件",
        "draft_reply-outcome1": "disclosed",
        "draft_reply-outcome2": "disclosed",  # a row without its item is ignored
        "draft_reply-item3": "附件图纸",
        "draft_reply-outcome3": "third_party_rights",
        "draft_reply-explanation3": "商业秘密",
    }
    form = action_form(Action.DRAFT_REPLY, case, posted)
    assert form.is_valid(), form.errors
    assert form.action_input({}) == DraftReplyIn(
        summary="部分公开",
        items=[
            ReplyItemIn(description="批复文件", outcome="disclosed"),
            ReplyItemIn(
                description="附件图纸", outcome="third_party_rights", explanation="商业秘密"
            ),
        ],
    )
    missing = action_form(
        Action.DRAFT_REPLY, case, {"draft_reply-item1": "批复", "draft_reply-item2": "图纸"}
    )
    assert not missing.is_valid()
    assert missing.errors["outcome2"] == ["请选择处理结果"]
    assert "请选择处理结果" in missing.errors["outcome1"]

    reply = action_form(Action.MARK_REPLIED, case, {"mark_replied-method": ""})
    assert reply.is_valid()
    data = reply.action_input({"amend_reason": "漏记的答复"})
    assert (data.method, data.day, data.amend_reason) == (None, None, "漏记的答复")
    assert reply.action_input({"amend_reason": "长" * 201}) is None
    assert reply.non_field_errors() == ["年报更正理由：最多 200 个字符"]


def test_page_only_bounds_leave_the_api_to_the_service(w, case):
    """1–20 working days is checked by the page's form; the API answers with the service."""
    form = action_form(Action.ASSIGN, case, {"assign-unit": w.u2.pk, "assign-working_days": 21})
    assert not form.is_valid()
    assert form.errors["working_days"] == ["确保该值小于或等于20。"]
    schema = ACTIONS[Action.ASSIGN].schema
    assert schema(unit_id=w.u2.pk, working_days=21).working_days == 21


def test_free_text_of_the_draft_reply_is_a_box_of_a_few_lines(client, w, case):
    """Each item's 事项 and 说明 are written out (what is withheld and why, 第三十七条), so they
    are text boxes, not one-line inputs; the whole panel's width is the side column's."""
    client.force_login(w.registrar)
    tree = html.fromstring(client.get(reverse("cases:case", args=[case.pk])).content.decode())
    for n in range(1, 6):
        item = tree.xpath(f'//*[@name="draft_reply-item{n}"]')[0]
        explanation = tree.xpath(f'//*[@name="draft_reply-explanation{n}"]')[0]
        assert (item.tag, item.get("rows"), item.get("maxlength")) == ("textarea", "2", "300")
        assert (explanation.tag, explanation.get("rows")) == ("textarea", "3")
        outcome = tree.xpath(f'//select[@name="draft_reply-outcome{n}"]')[0]
        assert outcome.xpath("./option[1]/text()") == ["—"]
