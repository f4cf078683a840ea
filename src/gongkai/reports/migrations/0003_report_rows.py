"""Reports as rows: each figure of a report a ReportCell row, the imported file a
SourceDocument, and reports of agencies outside the tree (agency empty, agency_name as
printed). The figures of existing reports are moved into the rows by 0004."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_agency_letter_prefix_agency_litigation_months_and_more'),
        ('reports', '0002_remedy_to_cases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cell', models.CharField(max_length=64, verbose_name='栏目')),
                ('value', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True, verbose_name='数值')),
                ('state', models.CharField(choices=[('printed', '按原文'), ('blank', '未给出数字'), ('recovered', '推算恢复'), ('unknown', '无法确定')], max_length=10, verbose_name='数值来源')),
                ('reading', models.CharField(choices=[('number', '数字'), ('blank', '空白'), ('not_applicable', '不适用（/）'), ('text', '文字'), ('missing', '未找到或未填报'), ('recovered', '推算恢复'), ('ambiguous', '多种读法')], max_length=16, verbose_name='读取结果')),
                ('published', models.TextField(blank=True, null=True, verbose_name='原文')),
                ('recovered_by', models.TextField(blank=True, verbose_name='推算方法')),
                ('candidates', models.JSONField(blank=True, default=list, verbose_name='可能的读法')),
            ],
            options={
                'verbose_name': '年度报告数字',
                'verbose_name_plural': '年度报告数字',
                'ordering': ['report', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SourceDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64, unique=True, verbose_name='SHA-256')),
                ('name', models.CharField(max_length=255, verbose_name='原文件名')),
                ('size', models.PositiveIntegerField(verbose_name='大小（字节）')),
                ('text', models.TextField(blank=True, verbose_name='原文文本')),
                ('origin', models.CharField(blank=True, max_length=500, verbose_name='来源（网址或说明）')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
            ],
            options={
                'verbose_name': '年度报告原文',
                'verbose_name_plural': '年度报告原文',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AlterModelOptions(
            name='annualreport',
            options={'ordering': ['-year', 'agency__path', 'agency_name'], 'verbose_name': '年度报告', 'verbose_name_plural': '年度报告'},
        ),
        migrations.RemoveConstraint(
            model_name='annualreport',
            name='annual_report_unique',
        ),
        migrations.AddField(
            model_name='annualreport',
            name='agency_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='机关名称'),
        ),
        migrations.AlterField(
            model_name='annualreport',
            name='agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='agencies.agency', verbose_name='机关'),
        ),
        migrations.AlterField(
            model_name='annualreport',
            name='document',
            field=models.JSONField(default=dict, verbose_name='报告内容（不含表格数字）'),
        ),
        migrations.AddField(
            model_name='reportcell',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cells', to='reports.annualreport'),
        ),
        migrations.AddField(
            model_name='sourcedocument',
            name='uploaded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人'),
        ),
        migrations.AddField(
            model_name='annualreport',
            name='source_document',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='reports.sourcedocument', verbose_name='原文'),
        ),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', False)), fields=('agency', 'year', 'scope'), name='annual_report_unique'),
        ),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', True)), fields=('agency_name', 'year', 'scope'), name='annual_report_outside_unique'),
        ),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.CheckConstraint(condition=models.Q(('agency__isnull', False), models.Q(('agency_name', ''), _negated=True), _connector='OR'), name='annual_report_named'),
        ),
        migrations.AddIndex(
            model_name='reportcell',
            index=models.Index(fields=['cell'], name='report_cell_cell_idx'),
        ),
        migrations.AddConstraint(
            model_name='reportcell',
            constraint=models.UniqueConstraint(fields=('report', 'cell'), name='report_cell_unique'),
        ),
        migrations.AddConstraint(
            model_name='reportcell',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reading__in', ['blank', 'not_applicable']), ('state', 'blank')), models.Q(('reading__in', ['number']), ('state', 'printed')), models.Q(('reading__in', ['recovered']), ('state', 'recovered')), models.Q(('reading__in', ['ambiguous', 'missing', 'text']), ('state', 'unknown')), _connector='OR'), name='report_cell_state_matches_reading'),
        ),
        migrations.AddConstraint(
            model_name='reportcell',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['printed', 'recovered']), ('value__isnull', False)), models.Q(models.Q(('state__in', ['printed', 'recovered']), _negated=True), ('value__isnull', True)), _connector='OR'), name='report_cell_value_iff_valued'),
        ),
    ]
