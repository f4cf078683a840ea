"""Every test that uses the database is also marked ``db``, so CI can run exactly those on
PostgreSQL (``pytest -m db`` with ``DATABASE_URL`` set)."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("django_db") is not None:
            item.add_marker(pytest.mark.db)
