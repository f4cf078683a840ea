"""A report may be withdrawn after publication (ReportWithdrawal, status 已撤回发布), and a
draft remembers what the year's cases looked like when it was counted (counted_fingerprint,
empty for reports counted before: they show no staleness notice until counted again)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_fill_report_cells'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='annualreport',
            name='counted_fingerprint',
            field=models.CharField(blank=True, max_length=64, verbose_name='统计时的案件数据标识'),
        ),
        migrations.AlterField(
            model_name='annualreport',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('submitted', '已报送待审核'), ('returned', '已退回修改'), ('accepted', '审核通过'), ('published', '已发布'), ('withdrawn', '已撤回发布')], default='draft', max_length=10, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='reportstep',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('submitted', '已报送待审核'), ('returned', '已退回修改'), ('accepted', '审核通过'), ('published', '已发布'), ('withdrawn', '已撤回发布')], max_length=10, verbose_name='之后状态'),
        ),
        migrations.CreateModel(
            name='ReportWithdrawal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='撤回理由')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='原发布时间')),
                ('document', models.JSONField(default=dict, verbose_name='撤回时的报告内容')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='撤回时间')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='撤回人')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='withdrawals', to='reports.annualreport', verbose_name='报告')),
            ],
            options={
                'verbose_name': '年度报告撤回记录',
                'verbose_name_plural': '年度报告撤回记录',
                'ordering': ['-at', '-id'],
            },
        ),
    ]
