"""Every test that uses the database is also marked ``db``, so CI can run exactly those on
PostgreSQL (``pytest -m db`` with ``DATABASE_URL`` set)."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("django_db") is not None:
            item.add_marker(pytest.mark.db)


@pytest.fixture(autouse=True)
def _fresh_calendar(request: pytest.FixtureRequest) -> None:
    """A test's rolled-back calendar entries must not linger in the process-wide cache."""
    if request.node.get_closest_marker("django_db") is not None:
        from gongkai.rules.selectors import forget_calendar

        forget_calendar()


@pytest.fixture
def steady_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    """Query-count tests: the working calendar is re-checked against the database every few
    seconds, which a slow machine crosses between two counts; keep that out of the count."""
    monkeypatch.setattr("gongkai.rules.selectors.RECHECK_SECONDS", 3600.0)
