"""Forms of the catalogue, 解读 and chain pages; every error message is Chinese and names the
field. What the services refuse (:class:`~gongkai.documents.services.base.DocumentError`)
is added to the form by :func:`refuse`, so a page shows every error the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from gongkai.agencies.models import Agency

from .forms import Form
from .models import (
    CatalogueItem,
    ChainStep,
    ChainStepKind,
    Document,
    Interpretation,
    InterpretationKind,
    Policy,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def refuse(form: forms.Form, message: str, field: str | None = None) -> None:
    """Add a service's refusal to ``form`` (on ``field``, or the whole form)."""
    form.add_error(field, message)


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class CatalogueImportForm(Form):
    """Upload a catalogue spreadsheet: a new draft version of the agency's catalogue."""

    agency = AgencyChoice(
        label="机关",
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "请选择您可以导入目录的机关"},
    )
    file = forms.FileField(
        label="目录表格（.xlsx）",
        help_text="表头写明序号、一级事项、二级事项、公开内容（要素）、公开依据、公开主体、"
        "公开时限、公开方式、公开渠道、公开层级、责任单位等列；合并的一级事项单元格按各行填写处理",
        error_messages={"required": "请选择要导入的目录表格", "empty": "上传的表格是空文件"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=200,
        help_text="如：根据2025年政务公开工作要点更新",
        error_messages={"max_length": "说明不能超过200字"},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class PolicyChoice(forms.ModelChoiceField):
    """A policy named by its latest text (``latest_title``, see ``with_titles``)."""

    def label_from_instance(self, obj: Policy) -> str:
        title = getattr(obj, "latest_title", None)
        return f"《{title}》（政策码 {obj.code}）" if title else f"政策码 {obj.code}"


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: CatalogueItem) -> str:
        return f"{obj.position}. {obj}"


class CatalogueMapForm(Form):
    """Map a policy to an item of its agency's catalogue in force (no item: clear it).
    Posted by the item page, the catalogue page and the document page."""

    policy_id = PolicyChoice(
        label="政策",
        queryset=Policy.objects.none(),
        empty_label="（请选择政策）",
        error_messages={
            "required": "请选择要对应的政策",
            "invalid_choice": "找不到该政策，或您无权修改它",
        },
    )
    item_id = ItemChoice(
        label="目录事项",
        queryset=CatalogueItem.objects.none(),
        required=False,
        empty_label="（不对应目录事项）",
        error_messages={"invalid_choice": "找不到该目录事项，或您无权使用它"},
    )

    def __init__(
        self,
        *args: Any,
        policies: QuerySet[Policy],
        items: QuerySet[CatalogueItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_id"].queryset = policies
        self.fields["item_id"].queryset = items


class DocumentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.name} {obj.index_no}"


class InterpretationForm(Form):
    """A 解读: its agency, form, title, content or link, date, and the texts it explains."""

    agency = AgencyChoice(
        label="解读机关",
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "请选择您可以编写解读的机关"},
    )
    kind = forms.ChoiceField(
        label="解读形式",
        choices=InterpretationKind.choices,
        error_messages={"required": "请选择解读形式", "invalid_choice": "所选的解读形式无效"},
    )
    title = forms.CharField(
        label="标题",
        max_length=300,
        error_messages={"required": "请填写解读标题", "max_length": "解读标题不能超过300字"},
    )
    body = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    url = forms.CharField(
        label="链接",
        required=False,
        max_length=200,
        help_text="图解、音频、视频或发布会的网址；与内容至少填写一项",
        error_messages={"max_length": "链接不能超过200个字符"},
    )
    published_on = forms.DateField(
        label="发布日期",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "发布日期应为“年-月-日”格式的日期"},
    )
    documents = DocumentChoices(
        label="解读的文件",
        queryset=Document.objects.none(),
        help_text="勾选本解读所解读的文件；只能关联本机关的文件"
        "（三同步：文件与解读同步起草、同步审签、同步发布）",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请选择解读的文件（至少一件）",
            "invalid_choice": "找不到所选的文件，或您无权关联它",
            "invalid_pk_value": "所选的文件无效",
        },
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        documents: QuerySet[Document],
        interpretation: Interpretation | None = None,
        **kwargs: Any,
    ) -> None:
        if interpretation is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "agency": interpretation.agency_id,
                "kind": interpretation.kind,
                "title": interpretation.title,
                "body": interpretation.body,
                "url": interpretation.url,
                "published_on": interpretation.published_on,
                "documents": [d.pk for d in interpretation.documents.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["documents"].queryset = documents
        if interpretation is not None:
            # A 解读 stays with the agency that wrote it.
            self.fields["agency"].disabled = True


class ChainStepForm(Form):
    """A step of a policy's 一码通 chain (``step_id`` set: edit that step)."""

    step_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="环节",
        choices=ChainStepKind.choices,
        error_messages={"required": "请选择环节", "invalid_choice": "所选的环节无效"},
    )
    title = forms.CharField(
        label="标题",
        max_length=300,
        error_messages={"required": "请填写环节标题", "max_length": "环节标题不能超过300字"},
    )
    body = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    url = forms.CharField(
        label="链接",
        required=False,
        max_length=200,
        help_text="该环节在政府网站等处的网址（没有可不填）",
        error_messages={"max_length": "链接不能超过200个字符"},
    )
    day = forms.DateField(
        label="日期",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "日期应为“年-月-日”格式的日期"},
    )

    def __init__(self, *args: Any, step: ChainStep | None = None, **kwargs: Any) -> None:
        if step is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "step_id": step.pk,
                "kind": step.kind,
                "title": step.title,
                "body": step.body,
                "url": step.url,
                "day": step.day,
            }
        super().__init__(*args, **kwargs)
