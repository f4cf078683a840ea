"""Key safety: no new key over existing data, an index key apart from the field keys, key
rotation that keeps every digest, and identity data in letters stored encrypted."""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
from datetime import date
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import Client

from gongkai import cli_keys
from gongkai.audit.models import AuditEntry
from gongkai.cases import services as cs
from gongkai.cases.models import Case
from gongkai.letters import services as ls
from gongkai.letters.models import Delivery, Letter
from gongkai.portal import throttle
from gongkai.portal.models import Hit, OnlineApplication
from gongkai.project import keyrotation
from gongkai.security import crypto, keychecks
from tests.factories import person, register
from tests.portal.test_portal import lookup, submit_direct

pytestmark = pytest.mark.django_db

NAME = "张三明"


def old_digest(field_key: str, value: str) -> str:
    """How digests were made before the index key: HMAC with the first field key's bytes."""
    norm = "".join(value.split()).upper()
    key = base64.urlsafe_b64decode(field_key.encode("ascii"))
    return hmac.new(key, norm.encode("utf-8"), hashlib.sha256).hexdigest()


def raw_values() -> list[str]:
    """Every stored encrypted value, as stored."""
    found = []
    with connection.cursor() as cur:
        for model, field in keychecks.encrypted_columns():
            table, col = model._meta.db_table, field.column
            cur.execute(f"SELECT {col} FROM {table}")  # noqa: S608 - names from the models
            found += [v for (v,) in cur.fetchall() if v]
    return found


def readable_with(key: str) -> bool:
    f = Fernet(key.encode("ascii"))
    try:
        for v in raw_values():
            f.decrypt(v.encode("ascii"))
    except InvalidToken:
        return False
    return True


def load_everything() -> None:
    """Read every encrypted field through the models (what the pages do)."""
    for model, field in keychecks.encrypted_columns():
        for obj in model.objects.all():
            getattr(obj, field.attname)


def some_cases(w, n: int = 3) -> list[Case]:
    return [register(w.registrar, w.d1, text=f"文件{i}", applicant=person(1)) for i in range(n)]


# --- no new key over existing data ------------------------------------------------------------


def test_fresh_installation_makes_both_keys_owner_only_and_apart(data_dir):
    token = crypto.encrypt("张三")
    digest = crypto.blind_index("x")
    field_key = (data_dir / "field_key").read_text().split()
    index_key = (data_dir / "index_key").read_text().split()
    assert len(field_key) == len(index_key) == 1 and field_key != index_key
    assert Fernet(field_key[0].encode()).decrypt(token.encode()) == "张三".encode()
    assert digest == crypto.blind_index_with(base64.urlsafe_b64decode(index_key[0]), "x")
    assert (data_dir / "field_key").stat().st_mode & 0o777 == 0o600
    assert (data_dir / "index_key").stat().st_mode & 0o777 == 0o600
    assert data_dir.stat().st_mode & 0o777 == 0o700
    assert keychecks.verify_field_keys() == []


def test_lost_key_file_with_encrypted_data_refuses_and_makes_no_new_key(w, data_dir):
    case = register(w.registrar, w.d1)
    (data_dir / "field_key").unlink()
    crypto.reset_keys()
    problems = keychecks.verify_field_keys()
    assert len(problems) == 1 and "没有找到字段密钥" in problems[0]
    assert "不会生成新密钥" in problems[0]
    assert not (data_dir / "field_key").exists()
    with pytest.raises(crypto.FieldKeyError, match="没有找到字段密钥"):
        crypto.encrypt("李四")
    with pytest.raises(crypto.FieldKeyError):
        Case.objects.get(pk=case.pk)
    with pytest.raises(SystemCheckError, match=r"gongkai\.E004"):
        call_command("check")
    assert not (data_dir / "field_key").exists()


def test_empty_key_file_is_refused_too(w, data_dir):
    register(w.registrar, w.d1)
    (data_dir / "field_key").write_text("\n")
    crypto.reset_keys()
    assert "是空的" in keychecks.verify_field_keys()[0]


def test_a_key_that_does_not_fit_the_data_is_reported(w, env_keys):
    register(w.registrar, w.d1)
    env_keys(Fernet.generate_key().decode())
    problems = keychecks.verify_field_keys()
    assert len(problems) == 1 and "不能解密已存储的身份信息" in problems[0]
    assert "申请“证件号码”" in problems[0]


def test_a_wrong_index_key_is_reported(w, data_dir, settings):
    register(w.registrar, w.d1)
    settings.GONGKAI_INDEX_KEY = crypto.new_index_key()
    crypto.reset_keys()
    problems = keychecks.verify_field_keys()
    assert len(problems) == 1 and "查询索引密钥" in problems[0]


def test_malformed_index_key_is_refused(data_dir, settings):
    settings.GONGKAI_INDEX_KEY = "short"
    crypto.reset_keys()
    with pytest.raises(crypto.FieldKeyError, match="GONGKAI_INDEX_KEY"):
        crypto.blind_index("x")


# --- the index key of an existing installation ------------------------------------------------


def _as_before_the_split(case: Case, data_dir) -> str:
    """Make ``case`` look like a row of an installation from before the index key: digests
    made with the first field key, no index_key file."""
    field_key = crypto.field_keys()[0]
    Case.objects.filter(pk=case.pk).update(id_digest=old_digest(field_key, case.id_number))
    (data_dir / "index_key").unlink()
    crypto.reset_keys()
    return field_key


def test_existing_installation_keeps_its_digests(w, data_dir):
    case = register(w.registrar, w.d1)
    field_key = _as_before_the_split(case, data_dir)
    assert crypto.blind_index(case.id_number) == old_digest(field_key, case.id_number)
    assert (data_dir / "index_key").read_text().split() == [field_key]
    assert keychecks.verify_field_keys() == []


def test_existing_digests_no_key_reproduces_are_not_guessed(w, data_dir):
    case = register(w.registrar, w.d1)
    other = Fernet.generate_key().decode()
    Case.objects.filter(pk=case.pk).update(id_digest=old_digest(other, case.id_number))
    (data_dir / "index_key").unlink()
    crypto.reset_keys()
    with pytest.raises(crypto.FieldKeyError, match="index_key"):
        crypto.blind_index("x")
    assert not (data_dir / "index_key").exists()


# --- rotation ---------------------------------------------------------------------------------


def test_rotation_keeps_codes_digests_fee_count_and_throttle(w, env_keys):
    old = crypto.field_keys()[0]
    app, code = submit_direct(w.d1, seq=1)
    cases = some_cases(w)
    last = cases[-1]
    digests = {c.pk: c.id_digest for c in Case.objects.all()}
    nth = cs.nth_request_this_month(last)
    throttle_key = throttle._key(throttle.SUBMIT_PER_ID, app.id_digest)
    hits = Hit.objects.filter(key=throttle_key).count()
    assert nth == 3 and hits == 1

    new = Fernet.generate_key().decode()
    env_keys(new, old)
    result = keyrotation.rotate()
    assert result.done and result.rows_changed > 0
    env_keys(new)  # the old key removed
    assert readable_with(new) and not readable_with(old)
    load_everything()
    assert keychecks.verify_field_keys() == []

    for c in Case.objects.all():
        assert crypto.blind_index(c.id_number) == c.id_digest == digests[c.pk]
    assert cs.nth_request_this_month(Case.objects.get(pk=last.pk)) == nth
    assert throttle._key(throttle.SUBMIT_PER_ID, app.id_digest) == throttle_key
    assert Hit.objects.filter(key=throttle_key).count() == hits
    r = lookup(Client(), app.number, code)
    assert r.status_code == 302 and r["Location"] == f"/portal/status/{app.number}/"
    assert OnlineApplication.objects.get(pk=app.pk).applicant_name == NAME
    entry = AuditEntry.objects.get(action="keys.rotated")
    assert entry.actor is None and entry.target_id == crypto.key_fingerprint(new)
    assert entry.data["rows_changed"] == result.rows_changed


def test_interrupted_rotation_is_finished_by_a_rerun(w, env_keys):
    old = crypto.field_keys()[0]
    some_cases(w, 4)
    before = raw_values()
    new = Fernet.generate_key().decode()
    env_keys(new, old)

    dry = keyrotation.rotate(dry_run=True)
    assert dry.rows_changed > 0 and raw_values() == before
    assert not AuditEntry.objects.filter(action="keys.rotated").exists()

    first = keyrotation.rotate(batch_size=2, max_batches=1)  # stopped after one batch
    assert not first.complete and 0 < first.rows_changed <= 2
    assert not readable_with(new)
    load_everything()  # half-rotated data still reads with both keys

    again = keyrotation.rotate(batch_size=2)
    assert again.done and again.rows_changed == dry.rows_changed - first.rows_changed
    assert readable_with(new)
    assert keyrotation.rotate().rows_changed == 0  # nothing left: a rerun changes nothing


def test_new_key_in_the_data_directory(w, data_dir):
    app, code = submit_direct(w.d1, seq=1)
    case = register(w.registrar, w.d1)
    old = crypto.field_keys()
    digest = crypto.blind_index(case.id_number)
    assert keyrotation.rotate(new_key=True, dry_run=True).rows_changed > 0
    assert crypto.field_keys() == old  # a dry run makes no key

    result = keyrotation.rotate(new_key=True)
    assert result.done and result.dropped_keys == 1
    keys = (data_dir / "field_key").read_text().split()
    assert len(keys) == 1 and keys != old and crypto.field_keys() == keys
    assert (data_dir / "field_key").stat().st_mode & 0o777 == 0o600
    assert readable_with(keys[0])
    load_everything()
    assert crypto.blind_index(case.id_number) == digest
    assert lookup(Client(), app.number, code).status_code == 302


def test_new_key_is_refused_when_keys_come_from_the_environment(w, env_keys):
    register(w.registrar, w.d1)
    with pytest.raises(crypto.FieldKeyError, match="gongkai genkey"):
        keyrotation.rotate(new_key=True)


def test_rotate_keys_commands(w, env_keys, capsys):
    old = crypto.field_keys()[0]
    register(w.registrar, w.d1)
    new = Fernet.generate_key().decode()
    env_keys(new, old)
    call_command("rotate_keys", "--dry-run")
    out = capsys.readouterr().out
    assert "试运行" in out and "需重新加密" in out
    parser = argparse.ArgumentParser()
    cli_keys.add_commands(parser.add_subparsers())
    args = parser.parse_args(["rotate-keys", "--batch-size", "1"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "已检查" in out and "可以从 GONGKAI_FIELD_KEYS 中删除旧密钥" in out
    assert readable_with(new)


# --- letters ----------------------------------------------------------------------------------


def test_letter_names_are_not_stored_in_plain_text(w, client):
    case = register(w.registrar, w.d1, channel="signed_post")
    letter = case.letters.get(doc_type="receipt")
    d = ls.delivery_record(actor=w.registrar, letter=letter, method="post", tracking_number="EA1")
    ls.delivery_confirm(actor=w.registrar, delivery=d, day=date(2025, 6, 16), signed_by=NAME)
    with connection.cursor() as cur:
        cur.execute("SELECT recipient, body, data FROM letters_letter WHERE id = %s", [letter.pk])
        row = cur.fetchone()
        cur.execute("SELECT signed_by FROM letters_delivery WHERE id = %s", [d.pk])
        row += cur.fetchone()
    for value in row:
        assert crypto.looks_encrypted(value) and NAME not in value
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.recipient == NAME and letter.data["申请方式"]
    assert Delivery.objects.get(pk=d.pk).signed_by == NAME
    client.force_login(w.registrar)
    page = client.get(f"/cases/{case.pk}/letters/{letter.pk}/")
    assert page.status_code == 200 and f"{NAME}：" in page.content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_migration_encrypts_plain_letter_rows_once(w):
    from importlib import import_module

    migration = import_module("gongkai.letters.migrations.0002_encrypt_names")
    case = register(w.registrar, w.d1)
    letter = case.letters.get()
    text, values = letter.body, letter.data
    with connection.cursor() as cur:  # as the rows were before the migration
        cur.execute(
            "UPDATE letters_letter SET recipient = %s, body = %s, data = %s WHERE id = %s",
            [NAME, text, '{"申请方式": "当面提交"}', letter.pk],
        )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_rows(apps, editor)
    migration.encrypt_rows(apps, editor)  # a second run changes nothing
    letter = Letter.objects.get(pk=letter.pk)
    assert (letter.recipient, letter.body) == (NAME, text)
    assert letter.data == {"申请方式": "当面提交"} and values
    migration.decrypt_rows(apps, editor)
    with connection.cursor() as cur:
        cur.execute("SELECT recipient FROM letters_letter WHERE id = %s", [letter.pk])
        assert cur.fetchone()[0] == NAME


def test_a_key_file_rewritten_during_the_read_is_read_again(data_dir, monkeypatch):
    """A rotation that rewrites ``field_key`` while a process reads it must not leave the
    process on the old keys for good (it would encrypt with a key about to be dropped)."""
    old = Fernet.generate_key().decode("ascii")
    new = Fernet.generate_key().decode("ascii")
    path = crypto.field_key_path()
    crypto.write_key_file(path, [old])
    real_read = crypto.read_key_file

    def read_then_rotate(p):
        keys = real_read(p)
        monkeypatch.setattr(crypto, "read_key_file", real_read)
        crypto.write_key_file(path, [new, old])  # the rotation lands just after the read
        return keys

    monkeypatch.setattr(crypto, "read_key_file", read_then_rotate)
    assert crypto.field_keys() == [old]
    assert crypto.field_keys() == [new, old]
    token = Fernet(new.encode("ascii")).encrypt(b"x").decode("ascii")
    assert crypto.decrypt(token) == "x"
