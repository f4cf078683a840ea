"""Key rotation and the applicant search: after ``gongkai rotate-keys`` staff still find a
case by the applicant's exact name or telephone number, and the rotation's pass over the
cases corrects search digests that do not fit their row."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from gongkai.audit.models import AuditEntry
from gongkai.cases import personal
from gongkai.cases.models import Case
from gongkai.cases.selectors import CaseFilter
from gongkai.project import keyrotation
from gongkai.security import crypto
from tests.factories import person, register

pytestmark = pytest.mark.django_db

NAME, PHONE = "孙明", "13912345678"


def found(user, q: str) -> list[str]:
    return sorted(c.number for c in personal.case_search(actor=user, f=CaseFilter(q=q)))


def digests() -> dict[int, tuple[str, str]]:
    return {
        pk: (n, p) for pk, n, p in Case.objects.values_list("pk", "name_digest", "phone_digest")
    }


def cases(w) -> list[Case]:
    return [
        register(w.registrar, w.d1, text="学区划分", applicant=person(1, name=NAME, phone=PHONE)),
        register(w.registrar, w.d1, text="招生计划", applicant=person(2, name="孙 明")),
        register(w.registrar, w.d1, text="其他", applicant=person(3, name="李四", phone="0532-8")),
    ]


def test_rotation_with_keys_from_the_environment_keeps_the_search(w, env_keys):
    sun, sun2, _ = cases(w)
    before = digests()
    old = crypto.field_keys()[0]
    new = Fernet.generate_key().decode()
    env_keys(new, old)
    result = keyrotation.rotate()
    env_keys(new)  # the old key removed
    assert result.done and result.rows_changed > 0
    assert result.search_digests_changed == 0  # same index key, same names: nothing to correct
    assert digests() == before
    assert found(w.registrar, "孙明") == sorted([sun.number, sun2.number])
    assert found(w.registrar, "+86 139 1234 5678") == [sun.number]


def test_rotation_with_a_new_key_in_the_data_directory_keeps_the_search(w, data_dir):
    sun, sun2, _ = cases(w)
    result = keyrotation.rotate(new_key=True)
    assert result.done and result.dropped_keys == 1
    assert found(w.registrar, "孙 明") == sorted([sun.number, sun2.number])
    assert found(w.registrar, PHONE) == [sun.number]


def test_rotation_corrects_digests_that_do_not_fit_their_row(w, env_keys):
    sun, sun2, li = cases(w)
    before = digests()
    # A row restored from an old backup, another written outside the platform.
    Case.objects.filter(pk=sun.pk).update(name_digest="", phone_digest="")
    Case.objects.filter(pk=li.pk).update(name_digest="0" * 64)
    assert found(w.registrar, PHONE) == [] and found(w.registrar, "孙明") == [sun2.number]

    result = keyrotation.rotate()
    assert result.search_digests_changed == 2
    assert digests() == before
    assert found(w.registrar, PHONE) == [sun.number]
    assert found(w.registrar, "李四") == [li.number]
    entry = AuditEntry.objects.get(action="keys.rotated")
    assert entry.data["search_digests_changed"] == 2
    assert "更正 2 件申请的申请人查找摘要" in entry.message


def test_an_interrupted_rotation_leaves_the_search_digests_for_the_rerun(w, env_keys):
    sun, _, _ = cases(w)
    Case.objects.filter(pk=sun.pk).update(phone_digest="")
    env_keys(Fernet.generate_key().decode(), crypto.field_keys()[0])
    first = keyrotation.rotate(batch_size=1, max_batches=1)
    assert not first.complete and first.search_digests_changed == 0
    again = keyrotation.rotate()
    assert again.done and again.search_digests_changed == 1
    assert found(w.registrar, PHONE) == [sun.number]


def test_a_dry_run_changes_no_digest(w, env_keys):
    sun, _, _ = cases(w)
    Case.objects.filter(pk=sun.pk).update(phone_digest="")
    keyrotation.rotate(dry_run=True)
    assert Case.objects.get(pk=sun.pk).phone_digest == ""
