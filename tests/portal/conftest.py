"""Fixtures of the portal tests: the agency world, with the clock pinned like the case tests."""

from datetime import date

import pytest
import time_machine

from tests.factories import World, world

# A Monday (the same day the case tests use).
TODAY = date(2025, 6, 16)


@pytest.fixture
def pinned():
    """Pin the clock to TODAY at 10:00 in Shanghai (deadlines and throttle windows use it)."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False) as t:
        yield t


@pytest.fixture
def w(db, pinned) -> World:
    return world()
