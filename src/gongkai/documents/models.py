"""The government document registry (政府文件库), 解读, 一策一码 and the 主动公开事项目录.

A :class:`Policy` is one policy across its revisions: it holds the stable short code and URL
(一策一码, ``/p/<code>``), the kind and the issuing agency. Each :class:`Document` is one
*text* of it (a 版本): its own 标题, 索引号, 发文字号 and dates; a revision (修订) is a new text
whose ``revises`` names the earlier one, which becomes 已修订. The rules of validity, kinds,
the publication clock and table 二 are :mod:`gongkai.core.validity`; these models store what
those rules are given and what they decided.

Publication follows 先审查后公开 (《中华人民共和国政府信息公开条例》第十七条: 审查机制): a text is
drafted, passes 保密审查 (《中华人民共和国保守国家秘密法》), a personal-information scan
(第十五条: 个人隐私不予公开) and the head's sign-off, then is published; each step is a
:class:`ReviewStep`. Information is published within 20 working days of being formed or
changed (第二十六条).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core.validity import DocKind, Validity

KIND_CHOICES = [(k.value, k.label) for k in DocKind]
VALIDITY_CHOICES = [(v.value, v.label) for v in Validity]


class Disclosure(models.TextChoices):
    """公开属性 (条例第十九条、第二十七条、第十四—十六条)."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class ReviewState(models.TextChoices):
    """Where a text stands in 先审查后公开."""

    DRAFT = "draft", "草稿"
    SECRECY = "secrecy", "待保密审查"
    SCAN = "scan", "个人信息核查"  # the scan found blocking hits: basis or correction needed
    SIGN_OFF = "sign_off", "待签发"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    TAKEN_DOWN = "taken_down", "已撤下"


class RegistrySettings(models.Model):
    """An agency's registry settings: how its 索引号 are made and its published contacts.

    ``index_format`` is a Python format string over ``credit_code``, ``year`` and ``serial``
    (e.g. ``{信用代码}/{年度}-{序号:05d}``). ``allowed_contacts`` lists the agency's own
    published telephone numbers, e-mail addresses and addresses (one a line): the
    personal-information scan never reports them.
    """

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="registry_settings",
    )
    level = models.CharField(
        "行政层级",
        max_length=32,
        blank=True,
        help_text="决定可否制定规章（《中华人民共和国立法法》第九十一条、第九十三条）",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    index_format = models.CharField(
        "索引号格式", max_length=100, default="{信用代码}/{年度}-{序号:05d}"
    )
    allowed_contacts = models.TextField("本机关公开的联系方式", blank=True)

    class Meta:
        verbose_name = "文件库设置"
        verbose_name_plural = "文件库设置"

    def __str__(self) -> str:
        return f"{self.agency} 文件库设置"


class IndexCounter(models.Model):
    """The last 索引号 serial used by an agency in a year (locked row, never reused)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="index_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class Policy(models.Model):
    """One policy across its revisions: the stable code and URL of 一策一码."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="发布机构", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文件类别", max_length=24, choices=KIND_CHOICES)
    code = models.CharField("政策码", max_length=12, unique=True)
    topic = models.CharField("主题分类", max_length=50, blank=True)
    catalogue_item = models.ForeignKey(
        "documents.CatalogueItem",
        verbose_name="目录事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"

    def __str__(self) -> str:
        return self.code


class Document(models.Model):
    """One text (版本) of a policy: what the registry lists and the public reads.

    ``validity`` and ``validity_since`` cache the state :func:`gongkai.core.validity.validity_on`
    gives for today; the daily job refreshes them (automatic 施行 and 失效) and every decided
    change writes them in the same transaction as its :class:`ValidityChange`.
    """

    policy = models.ForeignKey(
        Policy, verbose_name="政策", on_delete=models.PROTECT, related_name="documents"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="发布机构", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文件类别", max_length=24, choices=KIND_CHOICES)
    revises = models.OneToOneField(
        "self",
        verbose_name="修订的文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revised_by",
    )
    title = models.CharField("标题", max_length=300)
    index_no = models.CharField("索引号", max_length=80, unique=True)
    doc_number = models.CharField("发文字号", max_length=80, blank=True)
    topic = models.CharField("主题分类", max_length=50, blank=True)
    written_on = models.DateField("成文日期")
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期")
    expires_on = models.DateField("有效期至", null=True, blank=True)
    disclosure = models.CharField(
        "公开属性", max_length=12, choices=Disclosure.choices, default=Disclosure.PROACTIVE
    )
    not_public_reason = models.CharField("不公开理由", max_length=300, blank=True)
    text = models.TextField("正文", blank=True)
    validity = models.CharField(
        "效力状态", max_length=20, choices=VALIDITY_CHOICES, default=Validity.NOT_YET_IN_FORCE
    )
    validity_since = models.DateField("状态起始日", null=True, blank=True)
    review_state = models.CharField(
        "审查状态", max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    formed_on = models.DateField("形成或变更日期", help_text="公开时限自此起算（条例第二十六条）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政府文件"
        verbose_name_plural = "政府文件"
        ordering = ["-published_on", "-written_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "review_state", "-published_on"]),
            models.Index(fields=["review_state", "kind", "validity", "-published_on"]),
            models.Index(fields=["review_state", "-published_on", "-id"]),
            models.Index(fields=["doc_number"]),
            # The staff list's order (texts in hand first, then newest publication).
            models.Index(
                fields=["-published_on", "-written_on", "-id"], name="documents_list_order"
            ),
            # The portal: public texts newest first, counted from the index alone.
            models.Index(
                fields=["review_state", "disclosure", "-published_on", "-written_on", "-id"],
                name="documents_public_order",
            ),
            # The 主题分类 a viewer's agencies use (the lists' filters), index only.
            models.Index(fields=["agency", "topic"], name="documents_agency_topic"),
            # The portal's filters: the agencies and topics of public texts.
            models.Index(
                fields=["review_state", "disclosure", "agency", "topic"],
                name="documents_public_topic",
            ),
            # The texts in hand by 形成日期 (publication cards, 条例第二十六条).
            models.Index(fields=["review_state", "formed_on"], name="documents_state_formed"),
            # The texts whose 有效期 ends soon (few have one at all).
            models.Index(
                fields=["expires_on"],
                condition=models.Q(expires_on__isnull=False),
                name="documents_expires",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        """《标题》（文号）, without empty brackets when there is no 文号."""
        return f"《{self.title}》（{self.doc_number}）" if self.doc_number else f"《{self.title}》"


class Attachment(models.Model):
    """A file of a text (PDF, DOCX, OFD), checked like every upload."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="documents/%Y/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Cleanup(models.Model):
    """A 清理 batch: one decision changing many texts' validity at once; its result list
    (清理结果) is published once ``published_on`` is set."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT)
    title = models.CharField("清理名称", max_length=200)
    target = models.CharField("清理结果", max_length=20, choices=VALIDITY_CHOICES)
    day = models.DateField("生效日期")
    decision_title = models.CharField("决定文件标题", max_length=300)
    decision_number = models.CharField("决定文件文号", max_length=80, blank=True)
    refused = models.JSONField("未能变更的文件", default=list, blank=True)
    published_on = models.DateField("清理结果公布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文件清理"
        verbose_name_plural = "文件清理"
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.title


class ValidityChange(models.Model):
    """A decided change of a text's validity (修订、废止、宣布失效), with its deciding document."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="validity_changes"
    )
    day = models.DateField("日期")
    target = models.CharField("变更为", max_length=20, choices=VALIDITY_CHOICES)
    decision_title = models.CharField("决定文件标题", max_length=300)
    decision_number = models.CharField("决定文件文号", max_length=80, blank=True)
    cleanup = models.ForeignKey(
        Cleanup, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "效力变更"
        verbose_name_plural = "效力变更"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.document} → {self.get_target_display()}"


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    AUDIO = "audio", "音频"
    VIDEO = "video", "视频"
    QA = "qa", "问答"
    BRIEFING = "briefing", "新闻发布会"
    OFFICIAL = "official", "负责人解读"


class Interpretation(models.Model):
    """A 解读 of one or more texts; linked both ways (三同步)."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT)
    kind = models.CharField("解读形式", max_length=12, choices=InterpretationKind.choices)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.URLField("链接", blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    documents = models.ManyToManyField(
        Document, verbose_name="解读的文件", related_name="interpretations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ChainStepKind(models.TextChoices):
    """The steps of 一码通 other than 发布 and 解读, which come from the texts themselves."""

    BASIS = "basis", "政策依据"
    CONSULTATION = "consultation", "意见征集"
    FEEDBACK = "feedback", "结果反馈"
    QA = "qa", "政策问答"
    FULFILMENT = "fulfilment", "政策兑现"


class ChainStep(models.Model):
    """One step of a policy's chain: 依据 → 意见征集 → 结果反馈 → 发布 → 解读 → 问答."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="chain_steps")
    kind = models.CharField("环节", max_length=12, choices=ChainStepKind.choices)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.URLField("链接", blank=True)
    day = models.DateField("日期", null=True, blank=True)

    class Meta:
        verbose_name = "政策环节"
        verbose_name_plural = "政策环节"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return self.title


class ReviewStepKind(models.TextChoices):
    SUBMIT = "submit", "提交审查"
    SECRECY = "secrecy", "保密审查"
    SCAN = "scan", "个人信息扫描"
    BASIS = "basis", "记录公开依据"
    SIGN_OFF = "sign_off", "签发"
    PUBLISH = "publish", "发布"
    RETURN = "return", "退回"
    TAKE_DOWN = "take_down", "撤下"


class LegalBasis(models.TextChoices):
    """Why personal information may stay in a published text (条例第十五条 但书)."""

    SANCTION = "sanction", "惩戒公示（法律法规规定公开的处罚、失信信息）"
    MANDATORY = "mandatory", "法定强制性披露"
    CONSENT = "consent", "权利人同意公开"
    PUBLIC_INTEREST = "public_interest", "不公开会对公共利益造成重大影响"


class ReviewStep(models.Model):
    """One audited step of 先审查后公开 on a text. ``hits`` keeps the scan's findings, masked
    (never the raw personal information)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="review_steps")
    kind = models.CharField("环节", max_length=12, choices=ReviewStepKind.choices)
    passed = models.BooleanField("通过", default=True)
    note = models.TextField("意见", blank=True)
    hits = models.JSONField("扫描结果", default=list, blank=True)
    basis = models.CharField("公开依据", max_length=20, choices=LegalBasis.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审查记录"
        verbose_name_plural = "审查记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_kind_display()}"


class PatrolRun(models.Model):
    """A 安全巡查: the re-scan of everything published, producing a rectification list."""

    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("巡查日期")
    scanned = models.PositiveIntegerField("扫描文件数", default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "安全巡查"
        verbose_name_plural = "安全巡查"
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"安全巡查 {self.day}"


class PatrolItem(models.Model):
    """One published text the patrol found with personal information: to rectify."""

    class Outcome(models.TextChoices):
        OPEN = "open", "待整改"
        TAKEN_DOWN = "taken_down", "已撤下"
        KEPT = "kept", "有依据保留"

    run = models.ForeignKey(PatrolRun, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    hits = models.JSONField("扫描结果", default=list)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    note = models.TextField("处理说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "巡查整改项"
        verbose_name_plural = "巡查整改项"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_outcome_display()}"


class Catalogue(models.Model):
    """An agency's 主动公开事项目录, versioned: a new version replaces the whole list."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT)
    version = models.PositiveIntegerField("版本")
    note = models.CharField("说明", max_length=200, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "主动公开事项目录"
        verbose_name_plural = "主动公开事项目录"
        ordering = ["agency", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="catalogue_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} 主动公开事项目录（第{self.version}版）"


class CatalogueItem(models.Model):
    """One row of a catalogue: 一级/二级事项 and its 要素
    (内容, 依据, 主体, 时限, 方式, 渠道, 层级, 责任)."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    level1 = models.CharField("一级事项", max_length=100)
    level2 = models.CharField("二级事项", max_length=200, blank=True)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据", blank=True)
    subject = models.CharField("公开主体", max_length=200, blank=True)
    time_limit = models.CharField("公开时限", max_length=200, blank=True)
    method = models.CharField("公开方式", max_length=100, blank=True)
    channel = models.CharField("公开渠道", max_length=300, blank=True)
    tier = models.CharField("公开层级", max_length=100, blank=True)
    responsible = models.CharField("责任单位", max_length=200, blank=True)

    class Meta:
        verbose_name = "目录事项"
        verbose_name_plural = "目录事项"
        ordering = ["catalogue", "position"]

    def __str__(self) -> str:
        return f"{self.level1} / {self.level2}" if self.level2 else self.level1
