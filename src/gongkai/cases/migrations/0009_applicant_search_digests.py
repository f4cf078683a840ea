"""Applicant search digests: a keyed hash of each case's applicant name and telephone number
(see ``gongkai.cases.models.applicant_index``), so staff can find an application by the
applicant's exact name or number although both are stored encrypted. Existing rows get their
digests here, decrypted with the configured field keys; rows no key decrypts are reported and
left without digests (``gongkai rotate-keys`` fills them once the right key is configured).
Migrating back drops the columns."""

import sys

from django.db import migrations, models

from gongkai.cases.models.applicant_index import fill_search_digests


def fill(apps, schema_editor):
    result = fill_search_digests(
        apps.get_model("cases", "Case"), using=schema_editor.connection.alias
    )
    if result.failed:
        sys.stderr.write(
            f"注意：{len(result.failed)} 件申请的身份信息无法用已配置的字段密钥解密，"
            "未能生成按申请人查找所用的摘要；配置正确的密钥后运行 gongkai rotate-keys 即可补上\n"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_remedy"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="name_digest",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="case",
            name="phone_digest",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
