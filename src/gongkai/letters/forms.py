"""Forms of the letters, delivery and template pages."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.cases.forms import DATE, DELIVERY_CHOICES, DayForm, Form
from gongkai.core.doctypes import MANUAL, DocType

from .services.release import RELEASE_BASES


class DeliveryForm(DayForm):
    method = forms.ChoiceField(label="送达方式", choices=DELIVERY_CHOICES)
    tracking_number = forms.CharField(
        label="邮件单号", required=False, max_length=40, help_text="邮寄送达必填"
    )
    note = forms.CharField(label="备注", required=False, max_length=200)


class ConfirmForm(Form):
    day = forms.DateField(label="送达日期", widget=DATE)
    signed_by = forms.CharField(label="签收人", required=False, max_length=50)
    proof = forms.FileField(
        label="送达回证", required=False, help_text="回执、签收单的扫描件（PDF、JPG、PNG）"
    )


class ReturnForm(DayForm):
    reason = forms.CharField(label="退回原因", max_length=200)


class ManualLetterForm(DayForm):
    """The letters made by hand; the fields of every manual type, the service checks which
    ones the chosen type needs."""

    doc_type = forms.ChoiceField(label="文书", choices=[(d, DocType(d).label) for d in MANUAL])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in MANUAL:
            for name, help_text in DocType(d).spec.fields.items():
                self.fields[f"f_{name}"] = forms.CharField(
                    label=name,
                    required=False,
                    max_length=1000,
                    help_text=f"{DocType(d).label}：{help_text}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def values(self) -> dict[str, str]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("f_") and v}


class TemplateForm(Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(
        label="正文", widget=forms.Textarea(attrs={"rows": 16}), help_text="每行一段"
    )
    note = forms.CharField(label="修改说明", required=False, max_length=200)


class ReplyBasisForm(Form):
    """Why the personal information found in the reply attachments may go to the applicant
    (《中华人民共和国政府信息公开条例》第十五条); the service checks that the note is given
    when the basis needs one."""

    PREFIX = "reply_basis"

    basis = forms.ChoiceField(
        label="公开依据",
        choices=[("", "请选择"), *RELEASE_BASES.items()],
        error_messages={
            "required": "请选择公开依据",
            "invalid_choice": "公开依据“%(value)s”无效，请从列表中选择",
        },
    )
    note = forms.CharField(
        label="依据说明",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="除申请人本人的信息外必填：如第三方同意的书面材料、法律法规的条款",
        error_messages={
            "max_length": "依据说明不能超过%(limit_value)d个字（现为%(show_value)d个）"
        },
    )
