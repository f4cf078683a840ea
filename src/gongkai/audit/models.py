"""The append-only audit trail: who changed what, when, from where.

Every service that changes data writes one entry in the same transaction as the change, so
the trail and the data cannot disagree. Entries are never updated or deleted; viewing an
applicant's full identity data is recorded here too. Messages never contain unmasked
identity data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .labels import action_label, target_label


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=50, db_index=True)
    target_type = models.CharField("对象类型", max_length=30)
    target_id = models.CharField("对象", max_length=40, db_index=True)
    message = models.TextField("说明")
    data = models.JSONField("数据", default=dict, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        when = f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} " if self.at else ""
        return f"{when}{action_label(self.action)} {target_label(self.target_type, self.target_id)}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能删除")
