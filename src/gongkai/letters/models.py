"""Letters, their templates and numbers; deliveries (送达).

A :class:`Letter` is made once and never changes: its text, the template version it came
from and the .docx are kept, and the file's SHA-256 is in the audit trail. Agencies edit
their templates by adding a :class:`LetterTemplate` version; letters already sent keep the
text they were sent with.

A letter's addressee, text and filled-in values, and a delivery's signer, are stored
encrypted (:mod:`gongkai.security.crypto`): they name applicants and third parties. None of
them is used to filter or search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core.doctypes import DocType
from gongkai.security.crypto import EncryptedJSONField, EncryptedTextField


class ImmutableError(RuntimeError):
    """Letters, template versions and payments are never edited or deleted."""


class _Immutable(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ImmutableError(f"{self._meta.verbose_name}一经生成不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{self._meta.verbose_name}不能删除")


DOC_TYPE_CHOICES = [(d.value, d.label) for d in DocType]


class LetterTemplate(_Immutable):
    """One version of an agency's wording for a document type (the newest is used)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField("文书类型", max_length=40, choices=DOC_TYPE_CHOICES)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["agency", "doc_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "version"], name="letter_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{DocType(self.doc_type).label} v{self.version}"


class LetterCounter(models.Model):
    """The last 文号 serial used by an agency in a year (incremented atomically)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class Letter(_Immutable):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="发文机关", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="申请", on_delete=models.PROTECT, related_name="letters"
    )
    doc_type = models.CharField("文书类型", max_length=40, choices=DOC_TYPE_CHOICES)
    number = models.CharField("文号", max_length=60)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    title = models.CharField("标题", max_length=100)
    # Who it is addressed to, its text and the values filled in name people (the applicant,
    # a third party): encrypted like the applicant's identity data.
    recipient = EncryptedTextField("主送")
    to_applicant = models.BooleanField("致申请人", default=True)
    body = EncryptedTextField("正文")
    template_version = models.PositiveIntegerField("模板版本", help_text="0 为系统默认模板")
    issued_on = models.DateField("成文日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(upload_to="letters/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    data = EncryptedJSONField("取值", default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="letter_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"

    @property
    def doc(self) -> DocType:
        return DocType(self.doc_type)

    @property
    def filename(self) -> str:
        return f"{self.number}{self.title}.docx"


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", "直接送达（当面领取）"
    POST = "post", "邮寄送达"
    EMAIL = "email", "电子邮件送达"
    PORTAL = "portal", "网上平台送达"
    SMS = "sms", "短信告知"


#: Methods by which a letter reaches the applicant the day it is sent.
SAME_DAY = frozenset({DeliveryMethod.IN_PERSON, DeliveryMethod.EMAIL, DeliveryMethod.PORTAL})


class Delivery(models.Model):
    """One sending of a letter; ``delivered_on`` once it reached the addressee (送达)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField("送达方式", max_length=12, choices=DeliveryMethod.choices)
    sent_on = models.DateField("发出日期")
    tracking_number = models.CharField("邮件单号", max_length=40, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    signed_by = EncryptedTextField("签收人", blank=True)
    proof = models.ForeignKey(
        "cases.Attachment",
        verbose_name="送达回证",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_on = models.DateField("退回日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = "送达"
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.sent_on}"

    @property
    def state(self) -> str:
        if self.returned_on:
            return "已退回"
        if self.delivered_on:
            return "已送达"
        return "在途"
