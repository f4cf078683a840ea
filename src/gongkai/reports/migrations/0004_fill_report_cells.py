"""The figures of every existing report move from its JSON document into ReportCell rows
(the mapping of gongkai.reports.cells), in batches; the document keeps the rest (narrative,
facts, findings). agency_name is filled with the tree agency's name. Reversible: going back
puts the figures into the documents again and drops the rows."""

from django.db import migrations

from gongkai.reports.cells import content_of, document_of, figures_from_rows, rows_from_document

BATCH = 200


def _batches(ids):
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def fill_rows(apps, schema_editor):
    db = schema_editor.connection.alias
    AnnualReport = apps.get_model("reports", "AnnualReport")
    ReportCell = apps.get_model("reports", "ReportCell")
    ids = list(AnnualReport.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        reports = list(AnnualReport.objects.using(db).filter(pk__in=batch).select_related("agency"))
        rows = []
        for report in reports:
            try:
                cells = rows_from_document(report.document or {})
            except ValueError as exc:
                raise ValueError(f"年度报告 #{report.pk}：{exc}") from exc
            rows += [ReportCell(report_id=report.pk, **_fields(c)) for c in cells]
            report.document = content_of(report.document or {})
            if not report.agency_name and report.agency_id is not None:
                report.agency_name = report.agency.name
        ReportCell.objects.using(db).filter(report_id__in=batch).delete()
        ReportCell.objects.using(db).bulk_create(rows, batch_size=1000)
        AnnualReport.objects.using(db).bulk_update(reports, ["document", "agency_name"])


def _fields(cell):
    return {
        "cell": cell.cell,
        "value": cell.value,
        "state": cell.state,
        "reading": str(cell.reading),
        "published": cell.published,
        "recovered_by": cell.recovered_by,
        "candidates": cell.candidates,
    }


def restore_documents(apps, schema_editor):
    db = schema_editor.connection.alias
    AnnualReport = apps.get_model("reports", "AnnualReport")
    ReportCell = apps.get_model("reports", "ReportCell")
    ids = list(AnnualReport.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        reports = list(AnnualReport.objects.using(db).filter(pk__in=batch))
        rows = {}
        for cell in ReportCell.objects.using(db).filter(report_id__in=batch):
            rows.setdefault(cell.report_id, []).append(cell)
        for report in reports:
            if report.document:
                report.document = document_of(
                    report.document, figures_from_rows(rows.get(report.pk, []))
                )
        AnnualReport.objects.using(db).bulk_update(reports, ["document"])
        ReportCell.objects.using(db).filter(report_id__in=batch).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_rows"),
    ]

    operations = [
        migrations.RunPython(fill_rows, restore_documents),
    ]
