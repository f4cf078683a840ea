"""The agency tree: governments, their departments, and the departments' internal units.

Every administrative agency with a disclosure office (``handles_applications``) receives
applications and publishes its own annual report (《政府信息公开条例》第四条、第五十条).
Internal units (科室、处室) and other departments receive cases routed to them (转办/协查).
The tree is stored with a materialised path so "this agency and everything below it" is a
single indexed prefix query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    UNIT = "unit", "内设机构"


class Agency(models.Model):
    """One node of the tree; ``path`` is the chain of ids from the root, e.g. ``000001.000004.``."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    code = models.CharField(
        "编号代码",
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,11}$", "代码须为 2–12 位大写字母或数字")],
        help_text="用于案件编号，如 QDJY（2–12 位大写字母或数字）",
    )
    kind = models.CharField("类型", max_length=12, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    handles_applications = models.BooleanField(
        "受理依申请公开", default=True, help_text="设有政府信息公开工作机构，受理申请"
    )
    office_name = models.CharField("公开工作机构", max_length=100, blank=True)
    reconsideration_body = models.CharField(
        "行政复议机关",
        max_length=100,
        blank=True,
        help_text="答复中告知的复议机关，通常为同级人民政府",
    )
    court = models.CharField("管辖法院", max_length=100, blank=True)
    reconsideration_days = models.PositiveSmallIntegerField(
        "申请复议期限（日）", default=60, help_text="法定为60日，法律规定更长的从其规定"
    )
    litigation_months = models.PositiveSmallIntegerField(
        "提起诉讼期限（月）", default=6, help_text="法定为6个月"
    )
    letter_prefix = models.CharField(
        "发文字号机关代字",
        max_length=20,
        blank=True,
        help_text="文书编号的代字，如“示教信公”，编为“示教信公〔2026〕12号”；留空则用简称",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            old = self.path
            if old and self.parent_id and self.parent.path.startswith(old):
                raise ValueError("上级机关不能是本机关或其下级机关")
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs.pop("force_insert", None)
            prefix = self.parent.path if self.parent_id else ""
            self.path = f"{prefix}{self.pk:06d}."
            super().save(*args, **kwargs)
            if old and old != self.path:  # moved: rewrite the subtree's paths
                Agency.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old) + 1))
                )

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    def subtree(self) -> models.QuerySet[Agency]:
        """This agency and every agency below it."""
        return Agency.subtrees([self.path])

    def contains(self, other: Agency) -> bool:
        """Whether ``other`` is this agency or below it."""
        return other.path.startswith(self.path)

    def tree(self) -> models.QuerySet[Agency]:
        """Every agency of this one's tree: the subtree of its top agency (the government
        the platform serves, for a department or a unit)."""
        top = self.path.split(".", 1)[0] + "."
        return Agency.subtrees([top])

    @staticmethod
    def subtrees(paths: Iterable[str]) -> models.QuerySet[Agency]:
        """The agencies at or below any of the tree ``paths`` (none for no path)."""
        q = models.Q(pk__in=[])
        for path in paths:
            q |= models.Q(path__startswith=path)
        return Agency.objects.filter(q)

    def ancestors(self) -> list[Agency]:
        ids = [int(p) for p in self.path.split(".") if p][:-1]
        by_id = Agency.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]
