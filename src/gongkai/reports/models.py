"""Annual reports (政府信息公开工作年度报告, 《政府信息公开条例》第五十条), built from the
platform's data or imported as published.

An :class:`AnnualReport` is one agency's report for one year in the report engine's schema
(``gongkai.annual-report/1``): tables 三 and 四 computed from the cases, table 二 entered or
imported by the office, the six narrative parts. Its figures are rows of
:class:`ReportCell`, one per cell of the three statutory tables, so that one figure can be
queried across thousands of reports in SQL; the rest of the document (narrative, facts,
findings) is :attr:`AnnualReport.document`. A report read from a published file keeps that
file's text and hash as a :class:`SourceDocument`.

A report of an agency of the platform's tree moves through the review workflow of
:class:`ReportStatus` (第四十九条、第五十条: departments publish by 31 January, governments by
31 March). A published report is frozen: its figures are never recomputed, and a later change
to that year's cases is refused or recorded as an :class:`Amendment` the office acknowledges.
The head of the office may withdraw a published report with a stated reason (a
:class:`ReportWithdrawal`, which keeps the version withdrawn); it is then editable again, its
year no longer locked, and it is submitted and published anew.
A report of an agency outside the tree (``agency`` empty, ``agency_name`` as printed) is
imported for analysis only: no workflow, no roll-up, no review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.report.schema import CellState

from . import cells as figures


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
    WITHDRAWN = "withdrawn", "已撤回发布"


class SourceDocument(models.Model):
    """A published report file as it was imported: what it was, what it said, where it came
    from. Kept so that a figure can always be traced to the text it was read from (and the
    file read again by a better reader); the same file imported twice is one record."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    #: The text the reader worked on: the file decoded, a web page or PDF as text.
    text = models.TextField("原文文本", blank=True)
    #: Where it came from: the address it was published at, or a description.
    origin = models.CharField("来源（网址或说明）", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告原文"
        verbose_name_plural = "年度报告原文"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.sha256[:12]}）"


class AnnualReport(models.Model):
    #: The agency in the platform's tree; empty for a report of an agency outside it,
    #: imported for analysis.
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    #: The publishing agency's name: as printed for a report from outside the tree; the
    #: tree agency's name when the report was last saved otherwise.
    agency_name = models.CharField("机关名称", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    scope = models.CharField(
        "范围", max_length=8, choices=ReportScope.choices, default=ReportScope.AGENCY
    )
    source = models.CharField("来源", max_length=10, choices=ReportSource.choices)
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    #: The report in the engine's JSON schema *without its figures*: schema, format,
    #: agency, year, narrative, facts, layout, source, findings. The figures (``table2``,
    #: ``table3``, ``table4`` and the detail of ``cells``) are the :class:`ReportCell` rows,
    #: their only copy: SQL over thousands of reports and the JSON a report exports can then
    #: never disagree, whereas a full copy here would be a second truth that a partial
    #: write, a correction made in SQL or a later migration could leave stale.
    #: :func:`gongkai.reports.services.report_document` puts the two together again.
    document = models.JSONField("报告内容（不含表格数字）", default=dict)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("提示", default=0)
    source_name = models.CharField("导入文件", max_length=200, blank=True)
    source_document = models.ForeignKey(
        SourceDocument,
        verbose_name="原文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    comment = models.TextField("审核意见", blank=True)
    computed_at = models.DateTimeField("统计时间", null=True, blank=True)
    #: What the year's cases looked like when the tables were counted
    #: (:func:`gongkai.reports.compute.cases_fingerprint`): a draft whose cases changed since
    #: says so on its page.
    counted_fingerprint = models.CharField("统计时的案件数据标识", max_length=64, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    accepted_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency__path", "agency_name"]
        constraints = [
            # one report a year and scope for an agency of the tree …
            models.UniqueConstraint(
                fields=["agency", "year", "scope"],
                condition=Q(agency__isnull=False),
                name="annual_report_unique",
            ),
            # … and for an agency outside it, known by its name
            models.UniqueConstraint(
                fields=["agency_name", "year", "scope"],
                condition=Q(agency__isnull=True),
                name="annual_report_outside_unique",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(agency_name=""),
                name="annual_report_named",
            ),
        ]

    def __str__(self) -> str:
        suffix = "（本地区汇总）" if self.scope == ReportScope.AREA else ""
        return f"{self.issuer}{self.year}年政府信息公开工作年度报告{suffix}"

    @property
    def issuer(self) -> str:
        """The publishing agency's name."""
        if self.agency_name:
            return self.agency_name
        return self.agency.name if self.agency_id else ""

    @property
    def in_tree(self) -> bool:
        """Whether the report is of an agency of the platform's tree (not one imported from
        outside it for analysis)."""
        return self.agency_id is not None

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.WITHDRAWN)


class CellReading(models.TextChoices):
    """What the engine read in a cell (:class:`gongkai.core.report.CellState`)."""

    NUMBER = CellState.NUMBER.value, "数字"
    BLANK = CellState.BLANK.value, "空白"
    NOT_APPLICABLE = CellState.NOT_APPLICABLE.value, "不适用（/）"
    TEXT = CellState.TEXT.value, "文字"
    MISSING = CellState.MISSING.value, "未找到或未填报"
    RECOVERED = CellState.RECOVERED.value, "推算恢复"
    AMBIGUOUS = CellState.AMBIGUOUS.value, "多种读法"


class ReportCellState(models.TextChoices):
    """Where a cell's value comes from, for analytics (:data:`gongkai.reports.cells.STATE_OF`)."""

    PRINTED = figures.PRINTED, "按原文"
    BLANK = figures.BLANK, "未给出数字"
    RECOVERED = figures.RECOVERED, "推算恢复"
    UNKNOWN = figures.UNKNOWN, "无法确定"


def _state_matches_reading() -> Q:
    by_state: dict[str, list[str]] = {}
    for reading, state in figures.STATE_OF.items():
        by_state.setdefault(state, []).append(str(reading))
    out = Q()
    for state, readings in sorted(by_state.items()):
        out |= Q(state=state, reading__in=sorted(readings))
    return out


class ReportCell(models.Model):
    """One figure of one report: a cell of table 二, 三 or 四 (国办公开办函〔2021〕30号) by its
    schema id, e.g. ``table3.granted.natural_person`` or ``table2.fees_wan_yuan``.

    ``value`` is a decimal because one cell (the fee, in 万元) has decimals; every other is
    a whole count. It is set exactly when ``state`` is printed or recovered: a blank is never
    0. ``reading``, ``published``, ``recovered_by`` and ``candidates`` keep what the engine
    read, so the JSON contract comes back unchanged (:mod:`gongkai.reports.cells`).
    One figure across reports: ``ReportCell.objects.filter(cell="table3.new.total",
    report__year=2024).aggregate(Sum("value"))``.
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="cells")
    cell = models.CharField("栏目", max_length=64)
    value = models.DecimalField(
        "数值",
        max_digits=figures.MAX_DIGITS,
        decimal_places=figures.DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    state = models.CharField("数值来源", max_length=10, choices=ReportCellState.choices)
    reading = models.CharField("读取结果", max_length=16, choices=CellReading.choices)
    #: The text as published, where it is not simply the value. NULL (a printed number whose
    #: text is its value, or nothing found) differs from "" (a cell published empty).
    published = models.TextField("原文", null=True, blank=True)  # noqa: DJ001
    recovered_by = models.TextField("推算方法", blank=True)
    candidates = models.JSONField("可能的读法", default=list, blank=True)

    class Meta:
        verbose_name = "年度报告数字"
        verbose_name_plural = "年度报告数字"
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "cell"], name="report_cell_unique"),
            models.CheckConstraint(
                condition=_state_matches_reading(), name="report_cell_state_matches_reading"
            ),
            models.CheckConstraint(
                condition=Q(state__in=sorted(figures.VALUED), value__isnull=False)
                | (~Q(state__in=sorted(figures.VALUED)) & Q(value__isnull=True)),
                name="report_cell_value_iff_valued",
            ),
        ]
        indexes = [models.Index(fields=["cell"], name="report_cell_cell_idx")]

    def __str__(self) -> str:
        return f"{self.cell}={self.value}（{self.get_state_display()}）"


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


class ReportWithdrawal(models.Model):
    """A published report withdrawn by the head of the office, with the reason, and the
    version that was withdrawn (the JSON contract as it was published).

    《政府信息公开条例》 has no rule on withdrawing an annual report; but the report is a public
    document (第五十条), so a correction must stay traceable: the public list keeps showing
    that the report was withdrawn, when and why, and the office keeps what had been
    published."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="withdrawals", verbose_name="报告"
    )
    reason = models.TextField("撤回理由")
    published_at = models.DateTimeField("原发布时间", null=True, blank=True)
    document = models.JSONField("撤回时的报告内容", default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("撤回时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告撤回记录"
        verbose_name_plural = "年度报告撤回记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.report}：{self.at:%Y-%m-%d}撤回发布"


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
