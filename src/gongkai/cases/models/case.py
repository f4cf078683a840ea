"""Disclosure applications (依申请公开) and what happens to them.

A :class:`Case` holds the application as 《政府信息公开条例》第二十九条 requires it (who applies,
how to reach them, what is asked, in which form and how to deliver it) and its receipt
(第三十一条). Its history is a list of dated :class:`CaseEvent` rows, the input of the
statutory reply clock (:func:`gongkai.core.deadlines.reply_clock`); routing, consultation,
secrecy review and reply items have rows of their own. The due date and card are stored
(refreshed on every change and daily) so lists can filter and sort on them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from gongkai.core.outcomes import Outcome
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Status
from gongkai.security.crypto import EncryptedTextField

from .applicant_index import DIGEST_OF, digest_for


class ApplicantKind(models.TextChoices):
    """The applicant columns of annual-report table 三."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICES = "legal_services", "法律服务机构"
    OTHER_ORG = "other_org", "其他组织"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"


class InfoForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子文档"
    OTHER = "other", "其他"


class DeliveryWanted(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    IN_PERSON = "in_person", "当面领取"
    ONLINE = "online", "网上获取"
    FAX = "fax", "传真"


class Card(models.TextChoices):
    GREEN = "green", "绿牌"
    YELLOW = "yellow", "黄牌"
    RED = "red", "红牌"
    PAUSED = "paused", "暂停计时"
    DONE = "done", "已办结"
    UNKNOWN = "unknown", "无法计算"


class Case(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="受理机关", on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField("编号", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    status = models.CharField(
        "状态",
        max_length=24,
        choices=[(s.value, s.label) for s in Status],
        default=Status.REGISTERED.value,
    )
    channel = models.CharField(
        "申请方式", max_length=20, choices=[(c.value, c.label) for c in Channel]
    )
    received_on = models.DateField("收到申请日期")
    # --- the applicant (第二十九条); identity data encrypted, masked copies for lists ---
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    applicant_name = EncryptedTextField("申请人姓名/名称")
    applicant_name_masked = models.CharField("申请人（脱敏）", max_length=100)
    contact_person = EncryptedTextField("联系人", blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = EncryptedTextField("证件号码")
    id_number_masked = models.CharField("证件号码（脱敏）", max_length=40)
    id_digest = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    phone_masked = models.CharField("联系电话（脱敏）", max_length=20, blank=True)
    # Keyed hashes of the name and the telephone number, for finding a case by its applicant
    # (exact values only; see .applicant_index). Kept in step by save().
    name_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = EncryptedTextField("电子邮箱", blank=True)
    address = EncryptedTextField("通信地址", blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    # --- what is asked ---
    request_text = models.TextField("所需政府信息的名称、文号或便于查询的其他特征性描述")
    form_wanted = models.CharField("获取信息的载体形式", max_length=12, choices=InfoForm.choices)
    delivery_wanted = models.CharField(
        "获取信息的方式", max_length=12, choices=DeliveryWanted.choices
    )
    # --- clock, stored for lists; the events are the truth ---
    # No index of its own: closed cases keep their due date, and an index on it alone
    # leads PostgreSQL to walk them all when sorting the open ones (see the indexes below).
    due_on = models.DateField("答复期限", null=True, blank=True)
    # The due date was counted over days the official calendar does not cover yet (no State
    # Council notice for that year): shown as 暂定, recomputed when the notice is entered.
    due_provisional = models.BooleanField("答复期限暂定", default=False)
    card = models.CharField("时限牌", max_length=8, choices=Card.choices, default=Card.GREEN)
    clock_note = models.CharField("计时说明", max_length=200, blank=True)
    clock_as_of = models.DateField("计时更新于", null=True, blank=True)
    # --- the end ---
    outcome = models.CharField(
        "办理结果", max_length=32, blank=True, choices=[(o.value, o.label) for o in Outcome]
    )
    reply_summary = models.TextField("答复要点", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    delivered_on = models.DateField("答复送达日期", null=True, blank=True)
    # The applicant's private query code for the public status page (salted hash only).
    query_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申请"
        verbose_name_plural = "申请"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="case_seq_unique"),
        ]
        indexes = [
            # The card and the status ride along, so that the dashboard's counts and the
            # card lists are answered from the index alone (no visit to the table's rows).
            models.Index(fields=["agency", "status", "due_on", "card"]),
            models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["card", "due_on"]),
            models.Index(fields=["agency", "closed_on", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; the search digests follow the name and the telephone number whenever those
        are saved (a save that leaves them out, or a row loaded without them, keeps both)."""
        update_fields = kwargs.get("update_fields")
        deferred = self.get_deferred_fields()
        added = []
        for source, digest in DIGEST_OF.items():
            if source in deferred or (update_fields is not None and source not in update_fields):
                continue
            setattr(self, digest, digest_for(source, getattr(self, source) or ""))
            added.append(digest)
        if update_fields is not None:
            kwargs["update_fields"] = [
                *update_fields,
                *(d for d in added if d not in update_fields),
            ]
        super().save(*args, **kwargs)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


class CaseCounter(models.Model):
    """The last sequence number used by an agency in a year (incremented atomically)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "发出补正告知"
    CORRECTION_RECEIVED = "correction_received", "收到补正后的申请"
    CORRECTION_LAPSED = "correction_lapsed", "逾期未补正"
    ROUTED = "routed", "转办/协查"
    DEPARTMENT_ANSWERED = "department_answered", "承办部门回复意见"
    CONSULTATION_SENT = "consultation_sent", "发出征求意见函"
    CONSULTATION_ANSWERED = "consultation_answered", "收到征求意见回复"
    EXTENDED = "extended", "延期答复"
    SECRECY_REVIEWED = "secrecy_reviewed", "保密审查"
    DRAFTED = "drafted", "拟定答复"
    DRAFT_RETURNED = "draft_returned", "退回修改"
    APPROVED = "approved", "审签"
    REPLIED = "replied", "答复送达"
    WITHDRAWN = "withdrawn", "申请人撤回"
    REOPENED = "reopened", "重新办理"
    ARCHIVED = "archived", "归档"
    ATTACHED = "attached", "上传材料"
    FEE_NOTICE_SENT = "fee_notice_sent", "发出收费通知"
    FEE_NOTICE_RECEIVED = "fee_notice_received", "申请人收到收费通知"
    FEE_PAID = "fee_paid", "申请人缴费"
    FEE_LAPSED = "fee_lapsed", "逾期未缴费"
    LETTER_ISSUED = "letter_issued", "制作文书"
    DELIVERED = "delivered", "送达"
    DELIVERY_RETURNED = "delivery_returned", "送达退回"


class CaseEvent(models.Model):
    """One dated step in a case's timeline. ``day`` is the legal date, ``at`` when recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    day = models.DateField("日期")
    ref = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"


class AssignmentKind(models.TextChoices):
    ROUTE = "route", "转办"
    ASSIST = "assist", "协查"


class Assignment(models.Model):
    """The office asked a unit or department to search for the information and give its opinion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "agencies.Agency",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    kind = models.CharField("方式", max_length=8, choices=AssignmentKind.choices)
    ref = models.CharField(max_length=20)
    sent_on = models.DateField("转办日期")
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    due_on = models.DateField("回复期限")
    instructions = models.TextField("办理要求", blank=True)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    opinion = models.TextField("办理意见", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "转办"
        verbose_name_plural = "转办"
        ordering = ["sent_on", "id"]
        indexes = [models.Index(fields=["unit", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}至{self.unit}"


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方（第三十二条）"
    AGENCY = "agency", "共同制作机关（第三十四条）"


class ConsultationAnswer(models.TextChoices):
    CONSENT = "consent", "同意公开"
    OBJECTION = "objection", "不同意公开"
    OTHER = "other", "其他意见"


class Consultation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField("对象", max_length=12, choices=ConsultationKind.choices)
    party = models.CharField("被征求意见方", max_length=100)
    ref = models.CharField(max_length=20)
    sent_on = models.DateField("发函日期")
    due_on = models.DateField("回复期限")
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answer = models.CharField("意见", max_length=12, choices=ConsultationAnswer.choices, blank=True)
    answer_note = models.TextField("意见内容", blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"征求{self.party}意见"


class SecrecyReview(models.Model):
    """保密审查: recorded before anything is released (《政府信息公开条例》第十七条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="secrecy_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("审查日期")
    passed = models.BooleanField("审查通过")
    note = models.TextField("审查意见", blank=True)

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day} 保密审查{'通过' if self.passed else '未通过'}"


class ReplyItem(models.Model):
    """One requested item and how it is answered (an application may ask several things)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reply_items")
    position = models.PositiveSmallIntegerField(default=1)
    description = models.CharField("申请事项", max_length=300)
    outcome = models.CharField(
        "处理结果", max_length=32, choices=[(o.value, o.label) for o in Outcome]
    )
    explanation = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "答复事项"
        verbose_name_plural = "答复事项"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.description}：{self.get_outcome_display()}"


class AttachmentKind(models.TextChoices):
    IDENTITY_PROOF = "identity_proof", "身份证明"
    APPLICATION = "application", "申请书"
    CORRECTION = "correction", "补正材料"
    OPINION = "opinion", "承办意见/征求意见回复"
    LETTER = "letter", "告知书/答复书"
    OTHER = "other", "其他"


class Attachment(models.Model):
    """A file kept with the case, outside the web root; served only after a permission check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "材料"
        verbose_name_plural = "材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
