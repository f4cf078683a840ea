"""The system checks about the calendar: a calendar that ends is a warning, never an error —
receiving applications must not stop (《政府信息公开条例》第三十三条)."""

from __future__ import annotations

import pytest
import time_machine

from gongkai.project.checks import calendar_coverage

pytestmark = pytest.mark.django_db


def test_a_calendar_ending_soon_warns_w001():
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        found = calendar_coverage()
    assert [m.id for m in found] == ["gongkai.W001"]
    assert "暂定" in found[0].msg


def test_a_calendar_that_ended_is_a_warning_not_an_error():
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False):
        found = calendar_coverage()
    assert [m.id for m in found] == ["gongkai.W002"]
    assert not found[0].is_serious()  # below ERROR: blocks neither `check` nor `serve`
    assert "暂定" in found[0].msg and "2027 年起" in found[0].hint


def test_the_2027_notice_silences_it():
    from gongkai.rules.models import HolidayNotice

    HolidayNotice.objects.create(year=2027, title="2027年（测试）", holidays="2027-01-01")
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False):
        assert calendar_coverage() == []
