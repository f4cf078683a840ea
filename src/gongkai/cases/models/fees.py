"""Fee notices (收费通知) and their payment, a step of a case.

《政府信息公开信息处理费管理办法》: an agency may charge an information processing fee when an
applicant asks for a volume of information beyond a reasonable limit; the notice is a letter
(made by the letters app) and the applicant pays within 20 working days of receiving it, or
the application is no longer processed (annual report row ``other_2``). Table 六 of the annual
report counts the fees actually paid.
"""

from __future__ import annotations

from django.db import models

from gongkai.core.fees import Method


class FeeNotice(models.Model):
    """A fee notice (《政府信息公开信息处理费管理办法》) and its payment."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="fee_notices")
    method = models.CharField(
        "收费方式", max_length=12, choices=[(m.value, m.label) for m in Method]
    )
    quantity = models.PositiveIntegerField("本月第几件/页数")
    lines = models.JSONField("计算明细", default=list)
    explanation = models.TextField("计算说明")
    total_yuan = models.PositiveIntegerField("应缴金额（元）")
    letter = models.OneToOneField(
        "letters.Letter", on_delete=models.PROTECT, related_name="fee_notice"
    )
    issued_on = models.DateField("通知日期")
    received_on = models.DateField("申请人收到日期", null=True, blank=True)
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    paid_yuan = models.PositiveIntegerField("实缴金额（元）", null=True, blank=True)
    receipt_number = models.CharField("票据号码", max_length=60, blank=True)

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"
        ordering = ["issued_on", "id"]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"{self.case} 信息处理费 {self.total_yuan} 元"
