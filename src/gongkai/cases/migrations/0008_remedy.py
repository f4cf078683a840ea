"""Remedies (行政复议、行政诉讼 about a case) move from the reports app to cases: a remedy is a
record of the case; the annual report only counts them. The table keeps its rows: the model
is taken over in the migration state, then its table and index renamed to the cases app's
names, and its content type (hence its permissions) handed over."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model="remedy").exists():
        types.filter(app_label=old, model="remedy").update(app_label=new)


def content_type_to_cases(apps, schema_editor):
    _move_content_type(apps, schema_editor, "reports", "cases")


def content_type_to_reports(apps, schema_editor):
    _move_content_type(apps, schema_editor, "cases", "reports")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_feenotice"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Remedy",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("reconsideration", "行政复议"), ("litigation", "行政诉讼")], max_length=16, verbose_name="类型")),
                        ("after_reconsideration", models.BooleanField(default=False, help_text="行政诉讼：申请人经行政复议后提起诉讼", verbose_name="复议后起诉")),
                        ("filed_on", models.DateField(verbose_name="申请复议/起诉日期")),
                        ("body", models.CharField(max_length=100, verbose_name="复议机关/受理法院")),
                        ("reference", models.CharField(blank=True, max_length=60, verbose_name="案号")),
                        ("result", models.CharField(choices=[("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")], default="pending", max_length=12, verbose_name="结果")),
                        ("decided_on", models.DateField(blank=True, null=True, verbose_name="审结日期")),
                        ("note", models.TextField(blank=True, verbose_name="说明")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="remedies", to="cases.case", verbose_name="申请")),
                        ("recorded_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "复议诉讼",
                        "verbose_name_plural": "复议诉讼",
                        "ordering": ["filed_on", "id"],
                        "db_table": "reports_remedy",
                        "indexes": [models.Index(fields=["filed_on"], name="reports_rem_filed_o_7c8b2e_idx")],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="remedy", table=None),
        migrations.RenameIndex(
            model_name="remedy",
            new_name="cases_remed_filed_o_cc983d_idx",
            old_name="reports_rem_filed_o_7c8b2e_idx",
        ),
        migrations.RunPython(content_type_to_cases, content_type_to_reports),
    ]
