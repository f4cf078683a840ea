"""Deadline reminders already sent (one row per item, recipient and day).

The daily ``remind`` command (:mod:`gongkai.cases.reminders`) claims a row before it sends
anything; the unique constraint makes a second or concurrent run on the same day skip what
is already claimed. The constraint uses ``ref`` ("" for the case's own reply deadline, the
assignment's or consultation's reference otherwise) rather than the nullable ``assignment``
column, because NULLs never collide in a unique constraint on SQLite or PostgreSQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReminderKind(models.TextChoices):
    CASE = "case", "答复期限"
    ASSIGNMENT = "assignment", "转办/协查回复期限"
    CONSULTATION = "consultation", "征求意见回复期限"
    CORRECTION = "correction", "补正期限"


class ReminderLevel(models.TextChoices):
    YELLOW = "yellow", "临近期限"
    RED = "red", "已超期"


class Reminder(models.Model):
    """``recipient`` was reminded on ``day`` of one deadline of ``case``."""

    kind = models.CharField("提醒事项", max_length=16, choices=ReminderKind.choices)
    level = models.CharField("级别", max_length=8, choices=ReminderLevel.choices)
    case = models.ForeignKey(
        "cases.Case", verbose_name="申请", on_delete=models.CASCADE, related_name="reminders"
    )
    assignment = models.ForeignKey(
        "cases.Assignment",
        verbose_name="转办",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    ref = models.CharField("事项编号", max_length=20, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提醒对象",
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField("提醒日期")
    due_on = models.DateField("期限", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case", "ref", "recipient", "day", "level"],
                name="reminder_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}（{self.get_level_display()}）"
