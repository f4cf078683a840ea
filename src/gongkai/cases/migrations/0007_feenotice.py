"""Fee notices move from the letters app to cases (a fee notice is a step of the case; the
letter it is sent as stays in letters). The table keeps its rows: the model is taken over in
the migration state, then its table renamed to the cases app's name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_covering_indexes"),
        ("letters", "0002_encrypt_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FeeNotice",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("method", models.CharField(choices=[("per_request", "按件计收"), ("per_page", "按量计收")], max_length=12, verbose_name="收费方式")),
                        ("quantity", models.PositiveIntegerField(verbose_name="本月第几件/页数")),
                        ("lines", models.JSONField(default=list, verbose_name="计算明细")),
                        ("explanation", models.TextField(verbose_name="计算说明")),
                        ("total_yuan", models.PositiveIntegerField(verbose_name="应缴金额（元）")),
                        ("issued_on", models.DateField(verbose_name="通知日期")),
                        ("received_on", models.DateField(blank=True, null=True, verbose_name="申请人收到日期")),
                        ("paid_on", models.DateField(blank=True, null=True, verbose_name="缴费日期")),
                        ("paid_yuan", models.PositiveIntegerField(blank=True, null=True, verbose_name="实缴金额（元）")),
                        ("receipt_number", models.CharField(blank=True, max_length=60, verbose_name="票据号码")),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="fee_notices", to="cases.case")),
                        ("letter", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="fee_notice", to="letters.letter")),
                    ],
                    options={
                        "verbose_name": "收费通知",
                        "verbose_name_plural": "收费通知",
                        "ordering": ["issued_on", "id"],
                        "db_table": "letters_feenotice",
                        "indexes": [models.Index(fields=["paid_on"], name="letters_fee_paid_on_96167f_idx")],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="feenotice", table=None),
        migrations.RenameIndex(
            model_name="feenotice",
            new_name="cases_feeno_paid_on_a7f1fa_idx",
            old_name="letters_fee_paid_on_96167f_idx",
        ),
    ]
