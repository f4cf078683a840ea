"""Forms of the annual-report pages; every error message is Chinese and names the field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from gongkai.core.report.schema import (
    PARTS,
    TABLE2_IDS,
    Cell,
    CellState,
    cell_label,
)

NOT_APPLICABLE = ("/", "／", "—", "-", "无")


def table2_cell(cid: str, text: str) -> Cell:
    """A typed-in table-二 figure: a number, “/” for not applicable, or blank for not yet
    entered (never 0). Raises ``forms.ValidationError`` naming the cell."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return Cell.missing()
    if text in NOT_APPLICABLE:
        return Cell(CellState.NOT_APPLICABLE, None, text)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise forms.ValidationError(f"{cell_label(cid)}应为数字，实为“{text}”") from exc
    if value < 0:
        raise forms.ValidationError(f"{cell_label(cid)}不能为负数")
    if cid != "table2.fees_wan_yuan":
        if value != value.to_integral_value():
            raise forms.ValidationError(f"{cell_label(cid)}应为整数件数，实为“{text}”")
        return Cell.number(int(value), text)
    return Cell.number(value, text)


class Table2Form(forms.Form):
    """The ten figures of table 二, entered by the office. ``sources`` names where a figure
    comes from (“来自政府文件库”, “手工填报”), shown with its label."""

    def __init__(
        self,
        *args,
        cells: dict[str, Cell] | None = None,
        sources: dict[str, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        for cid in TABLE2_IDS:
            cell = (cells or {}).get(cid)
            initial = "" if cell is None or cell.published is None else cell.published
            source = (sources or {}).get(cid)
            self.fields[cid] = forms.CharField(
                label=cell_label(cid).removeprefix("表二") + (f"（{source}）" if source else ""),
                required=False,
                initial=initial if cell and cell.state is not CellState.MISSING else "",
                max_length=20,
            )

    def cells(self) -> dict[str, Cell]:
        return self._cells

    def clean(self) -> dict:
        data = super().clean()
        self._cells: dict[str, Cell] = {}
        for cid in TABLE2_IDS:
            try:
                self._cells[cid] = table2_cell(cid, data.get(cid) or "")
            except forms.ValidationError as exc:
                self.add_error(cid, exc)
        return data


class NarrativeForm(forms.Form):
    def __init__(self, *args, narrative: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in PARTS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                initial=(narrative or {}).get(key, ""),
                widget=forms.Textarea(attrs={"rows": 8}),
            )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="文件")

    MAX = 20 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX:
            raise forms.ValidationError("文件超过 20 MB")
        if f.size == 0:
            raise forms.ValidationError("文件是空的")
        return f


ORIGIN_HELP = "发布该报告的网址，或文件的来历（如“某市政府门户网站下载”）"


class ImportForm(UploadForm):
    agency = forms.ModelChoiceField(label="机关", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)
    origin = forms.CharField(label="来源", max_length=500, required=False, help_text=ORIGIN_HELP)
    field_order = ("agency", "year", "file", "origin")

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["file"].label = "已发布的年度报告文件（网页、文本或 PDF）"


class OutsideImportForm(UploadForm):
    """The published report of an agency outside the platform's tree, for analysis: the
    agency and the year are read from the report unless given."""

    agency_name = forms.CharField(
        label="机关名称", max_length=200, required=False, help_text="不填则按报告标题识别"
    )
    year = forms.IntegerField(
        label="年度", min_value=2008, max_value=2100, required=False,
        help_text="不填则按报告标题识别",
    )  # fmt: skip
    origin = forms.CharField(label="来源", max_length=500, required=False, help_text=ORIGIN_HELP)
    field_order = ("agency_name", "year", "file", "origin")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "已发布的年度报告文件（网页、文本或 PDF）"


class PrepareForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
