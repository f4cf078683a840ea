"""Letters' addressees, texts and values, and deliveries' signers, stored encrypted.

The columns become encrypted text; the rows already stored are encrypted in place with the
current field key (values already encrypted are left alone, so a rerun changes nothing).
Reversing decrypts them again.
"""

from django.db import migrations

import gongkai.security.crypto

COLUMNS = (("Letter", ("recipient", "body", "data")), ("Delivery", ("signed_by",)))
BATCH = 500


def _convert(apps, schema_editor, forward: bool) -> None:
    connection = schema_editor.connection
    q = connection.ops.quote_name
    for model_name, fields in COLUMNS:
        model = apps.get_model("letters", model_name)
        table, pk = model._meta.db_table, model._meta.pk.column
        cols = [model._meta.get_field(f).column for f in fields]
        select = f"SELECT {q(pk)}, {', '.join(q(c) for c in cols)} FROM {q(table)}"
        last = None
        while True:  # in primary-key batches: letter bodies are large, never all in memory
            with connection.cursor() as cur:
                if last is None:
                    cur.execute(f"{select} ORDER BY {q(pk)} LIMIT {BATCH}")
                else:
                    cur.execute(
                        f"{select} WHERE {q(pk)} > %s ORDER BY {q(pk)} LIMIT {BATCH}", [last]
                    )
                rows = cur.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                for row_pk, *values in rows:
                    new = _converted(cols, values, forward)
                    if new:
                        sets = ", ".join(f"{q(c)} = %s" for c in new)
                        cur.execute(
                            f"UPDATE {q(table)} SET {sets} WHERE {q(pk)} = %s",
                            [*new.values(), row_pk],
                        )


def _converted(cols, values, forward: bool) -> dict:
    """The columns of one row that change (encrypted going forward, decrypted back)."""
    import json

    from gongkai.security import crypto

    new = {}
    for col, value in zip(cols, values, strict=True):
        if value is None or value == "":
            continue
        if not isinstance(value, str):  # a JSON value some drivers decode
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        encrypted = crypto.looks_encrypted(value)
        if forward and not encrypted:
            new[col] = crypto.encrypt(value)
        elif not forward and encrypted:
            new[col] = crypto.decrypt(value)
    return new


def encrypt_rows(apps, schema_editor) -> None:
    _convert(apps, schema_editor, forward=True)


def decrypt_rows(apps, schema_editor) -> None:
    _convert(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="signed_by",
            field=gongkai.security.crypto.EncryptedTextField(blank=True, verbose_name="签收人"),
        ),
        migrations.AlterField(
            model_name="letter",
            name="body",
            field=gongkai.security.crypto.EncryptedTextField(verbose_name="正文"),
        ),
        migrations.AlterField(
            model_name="letter",
            name="data",
            field=gongkai.security.crypto.EncryptedJSONField(default=dict, verbose_name="取值"),
        ),
        migrations.AlterField(
            model_name="letter",
            name="recipient",
            field=gongkai.security.crypto.EncryptedTextField(verbose_name="主送"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
