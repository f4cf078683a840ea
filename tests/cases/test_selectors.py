"""Scoping: who sees which case, as a matrix of every person in the world × every case.

The expected sets are written out by hand from the rules in gongkai.accounts.scope; any
difference is a leak (seen but should not be) or a loss (should be seen but is not).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.accounts.scope import viewer_for
from gongkai.cases.models import Card
from gongkai.cases.selectors import (
    CaseFilter,
    case_detail,
    case_list,
    dashboard_board,
    handler_inbox,
)
from gongkai.cases.services import case_assign
from tests.factories import AgencyFactory, member, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(w):
    from gongkai.core.workflow import Role

    w.gov_clerk = member(w.gov, Role.REGISTRAR, username="govreg")
    w.d1_supervisor = member(w.d1, Role.SUPERVISOR, username="d1sup")
    c1 = register(w.registrar, w.d1, text="教育一")
    c2 = register(w.registrar, w.d1, text="教育二")
    c3 = register(w.registrar2, w.d2, text="自然资源一")
    c4 = register(w.gov_clerk, w.gov, text="市政府一")
    case_assign(actor=w.registrar, case=c1, unit=w.u1)
    case_assign(actor=w.registrar2, case=c3, unit=w.u3)
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4}


EXPECTED = {
    "registrar": {"c1", "c2"},
    "head": {"c1", "c2"},
    "secrecy": {"c1", "c2"},
    "handler1": {"c1"},
    "handler3": {"c3"},
    "supervisor": {"c1", "c2", "c3", "c4"},
    "d1_supervisor": {"c1", "c2"},
    "admin": set(),
    "registrar2": {"c3"},
    "head2": {"c3"},
    "gov_clerk": {"c4"},
    "outsider": set(),
}


def test_scoping_matrix_has_no_leaks(w, cases):
    by_pk = {c.pk: name for name, c in cases.items()}
    leaks = []
    for person, expected in EXPECTED.items():
        viewer = viewer_for(getattr(w, person))
        seen = {by_pk[c.pk] for c in case_list(viewer)}
        detail = {name for name, c in cases.items() if case_detail(viewer, c.pk) is not None}
        if seen != expected or detail != expected:
            leaks.append((person, sorted(seen), sorted(detail), sorted(expected)))
    assert leaks == []


def test_platform_superuser_sees_everything(w, cases):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True)
    assert {c.pk for c in case_list(viewer_for(root))} == {c.pk for c in cases.values()}


def test_moving_an_agency_moves_its_cases_out_of_a_supervisors_view(w, cases):
    other = AgencyFactory(name="另一市人民政府", code="OTHERGOV")
    w.d2.parent = other
    w.d2.save()
    w.u3.refresh_from_db()
    assert w.u3.path.startswith(other.path)
    seen = {c.pk for c in case_list(viewer_for(w.supervisor))}
    assert cases["c3"].pk not in seen and cases["c1"].pk in seen


def test_filters_and_search(w, cases):
    v = viewer_for(w.registrar)
    assert [c.number for c in case_list(v, CaseFilter(q="教育二"))] == [cases["c2"].number]
    assert [c.pk for c in case_list(v, CaseFilter(unit=w.u1.pk))] == [cases["c1"].pk]
    assert list(case_list(v, CaseFilter(status="replied"))) == []
    assert len(case_list(v, CaseFilter(status="open"))) == 2
    assert len(case_list(v, CaseFilter(card=Card.GREEN))) == 2
    assert len(case_list(v, CaseFilter(received_from=date(2025, 6, 17)))) == 0


def test_cards_follow_the_due_date(w):
    old = register(w.registrar, w.d1, received_on=date(2025, 5, 6))  # due 2025-06-04: red
    soon = register(w.registrar, w.d1, received_on=date(2025, 5, 23))  # due 06-23: 5 left
    new = register(w.registrar, w.d1)
    v = viewer_for(w.registrar)
    assert [c.pk for c in case_list(v, CaseFilter(card="red"))] == [old.pk]
    assert [c.pk for c in case_list(v, CaseFilter(card="yellow"))] == [soon.pk]
    assert [c.pk for c in case_list(v, CaseFilter(card="green"))] == [new.pk]
    board = dashboard_board(v)
    assert (board.red, board.yellow, board.green, board.open) == (1, 1, 1, 3)


def test_list_query_count_does_not_grow(w, steady_calendar):
    v = viewer_for(w.registrar)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(case_list(v))
            for c in rows:
                _ = (c.agency.name, c.applicant_name_masked, c.due_on)
        return len(ctx.captured_queries)

    register(w.registrar, w.d1)
    few = count()
    for _ in range(15):
        register(w.registrar, w.d1)
    assert count() == few


def test_handler_inbox_lists_only_their_units(w, cases):
    assert [a.case_id for a in handler_inbox(viewer_for(w.handler1))] == [cases["c1"].pk]
    assert list(handler_inbox(viewer_for(w.registrar))) == []
