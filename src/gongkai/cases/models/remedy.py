"""Reconsiderations and lawsuits about a case (行政复议、行政诉讼).

《政府信息公开条例》第五十一条: an applicant who considers a reply unlawful may apply for
administrative reconsideration or bring an administrative lawsuit. A :class:`Remedy` records
one of them against the case, and its result once it ends. The annual report's table 四
(《条例》第五十条; 国办公开办函〔2021〕30号) is counted from these rows by
:mod:`gongkai.reports.compute`; this module knows nothing of reports.

The table was created by the reports app (``reports_remedy``) and moved here with its rows
(migration ``cases.0007_remedy``).
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
