"""100 registrations at once on PostgreSQL: 100 distinct case numbers, none lost."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from gongkai.cases.models import Case
from tests.factories import person, register, world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="并发登记测试需要 PostgreSQL（DATABASE_URL）"
    ),
]


def test_parallel_registrations_get_distinct_numbers(pinned):
    w = world()

    def one(n: int) -> str:
        try:
            return register(w.registrar, w.d1, applicant=person(n), text=f"并发申请{n}").number
        finally:
            connections.close_all()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(one, range(100)))
    assert len(set(numbers)) == 100
    assert Case.objects.count() == 100
    assert sorted(Case.objects.values_list("seq", flat=True)) == list(range(1, 101))
