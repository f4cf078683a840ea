"""Annual reports built from the platform's data, and the records table 四 counts.

An :class:`AnnualReport` holds one agency's report for one year as a document in the report
engine's schema (``gongkai.annual-report/1``): tables 三 and 四 computed from the cases,
table 二 entered or imported by the office, the six narrative parts. It moves through the
review workflow of :class:`ReportStatus` (《政府信息公开条例》第四十九条、第五十条: departments
publish by 31 January, governments by 31 March). A published report is frozen: its document
is never recomputed, and a later change to that year's cases is refused or recorded as an
:class:`Amendment` the office acknowledges.

A :class:`Remedy` is a reconsideration or lawsuit about a case (table 四).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class RemedyResult(models.TextChoices):
    """The result columns of table 四."""

    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class Remedy(models.Model):
    """A reconsideration (行政复议) or lawsuit (行政诉讼) against the reply in a case.

    Table 四 of year Y counts the remedies filed in Y; one decided after 31 December of Y
    counts as 尚未审结 in that year's report.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name="申请", on_delete=models.PROTECT, related_name="remedies"
    )
    kind = models.CharField("类型", max_length=16, choices=RemedyKind.choices)
    after_reconsideration = models.BooleanField(
        "复议后起诉", default=False, help_text="行政诉讼：申请人经行政复议后提起诉讼"
    )
    filed_on = models.DateField("申请复议/起诉日期")
    body = models.CharField("复议机关/受理法院", max_length=100)
    reference = models.CharField("案号", max_length=60, blank=True)
    result = models.CharField(
        "结果", max_length=12, choices=RemedyResult.choices, default=RemedyResult.PENDING
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "复议诉讼"
        verbose_name_plural = "复议诉讼"
        ordering = ["filed_on", "id"]
        indexes = [models.Index(fields=["filed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.filed_on}）"

    @property
    def group(self) -> str:
        """The group of table 四 this remedy counts in."""
        if self.kind == RemedyKind.RECONSIDERATION:
            return "reconsideration"
        return (
            "litigation_after_reconsideration"
            if self.after_reconsideration
            else ("litigation_direct")
        )


class ReportScope(models.TextChoices):
    AGENCY = "agency", "本机关"
    AREA = "area", "本地区汇总"


class ReportSource(models.TextChoices):
    COMPUTED = "computed", "平台生成"
    IMPORTED = "imported", "导入已发布报告"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "已退回修改"
    ACCEPTED = "accepted", "审核通过"
    PUBLISHED = "published", "已发布"


class AnnualReport(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    scope = models.CharField(
        "范围", max_length=8, choices=ReportScope.choices, default=ReportScope.AGENCY
    )
    source = models.CharField("来源", max_length=10, choices=ReportSource.choices)
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    #: The report in the engine's JSON schema (cells, narrative, findings).
    document = models.JSONField("报告内容", default=dict)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("提示", default=0)
    source_name = models.CharField("导入文件", max_length=200, blank=True)
    comment = models.TextField("审核意见", blank=True)
    computed_at = models.DateTimeField("统计时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    accepted_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "scope"], name="annual_report_unique")
        ]

    def __str__(self) -> str:
        suffix = "（本地区汇总）" if self.scope == ReportScope.AREA else ""
        return f"{self.agency}{self.year}年政府信息公开工作年度报告{suffix}"

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportStep(models.Model):
    """One step of a report's review, shown to the office and the supervising office."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=40)
    status = models.CharField("之后状态", max_length=10, choices=ReportStatus.choices)
    comment = models.TextField("意见", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action}"


class Amendment(models.Model):
    """A change to a case of a year whose report is published, made with a stated reason.
    The published report keeps its figures; the office acknowledges the change."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="report_amendments"
    )
    year = models.PositiveSmallIntegerField("年度")
    case = models.ForeignKey(
        "cases.Case", verbose_name="申请", on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField("更正内容", max_length=200)
    reason = models.TextField("更正理由")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "年报更正记录"
        verbose_name_plural = "年报更正记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年：{self.what}"
