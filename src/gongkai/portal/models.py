"""Applications submitted on the public portal, optional applicant accounts, and the
counters that throttle abuse.

An online application is not yet a case: the office confirms it and registers it, and the
day both sides confirm is the day it is received (《政府信息公开条例》第三十一条第三项). The
applicant gets a submission number and a private query code at once; identity data is
encrypted like a case's.
"""

from __future__ import annotations

from django.db import models

from gongkai.cases.models import ApplicantKind, DeliveryWanted, IdType, InfoForm
from gongkai.security.crypto import EncryptedTextField


class PortalAccount(models.Model):
    """An applicant's optional account: sees all their applications in one place."""

    email = models.EmailField("电子邮箱", unique=True)
    password = models.CharField(max_length=128)
    display_name = models.CharField("称呼", max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login = models.DateTimeField(null=True, blank=True)
    claimed_cases = models.ManyToManyField("cases.Case", blank=True, related_name="+")

    class Meta:
        verbose_name = "申请人账户"
        verbose_name_plural = "申请人账户"

    def __str__(self) -> str:
        return self.display_name or self.email


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "待确认"
    SUBMITTED = "submitted", "已提交，待受理机关确认"
    REGISTERED = "registered", "已登记"
    REJECTED = "rejected", "未予登记"


class OnlineApplication(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="受理机关", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("提交编号", max_length=20, unique=True, null=True, blank=True)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    status = models.CharField(
        "状态", max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    account = models.ForeignKey(
        PortalAccount,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    applicant_name = EncryptedTextField("申请人姓名/名称")
    contact_person = EncryptedTextField("联系人", blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = EncryptedTextField("证件号码")
    id_digest = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    email = EncryptedTextField("电子邮箱", blank=True)
    address = EncryptedTextField("通信地址", blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    request_text = models.TextField("所需政府信息的名称、文号或特征性描述")
    purpose = models.TextField("用途说明（选填）", blank=True)
    form_wanted = models.CharField("载体形式", max_length=12, choices=InfoForm.choices)
    delivery_wanted = models.CharField("获取方式", max_length=12, choices=DeliveryWanted.choices)
    proof = models.FileField("身份证明", upload_to="portal/%Y/%m/")
    proof_name = models.CharField(max_length=200)
    proof_type = models.CharField(max_length=100)
    proof_size = models.PositiveIntegerField()
    proof_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_application",
    )
    rejected_reason = models.TextField("未予登记的理由", blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.number or f"草稿 {self.pk}"


class SubmissionCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Hit(models.Model):
    """One counted attempt under a throttle key (a hash: no IP or ID number is stored)."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.at}"
