"""Forms of the staff pages. Forms validate input and carry every user-facing error; the
services' :class:`CaseError` becomes a form error in :func:`run_service`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.outcomes import Outcome
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Status

from . import selectors
from .models import (
    ApplicantKind,
    AssignmentKind,
    AttachmentKind,
    Card,
    ConsultationAnswer,
    ConsultationKind,
    DeliveryWanted,
    IdType,
    InfoForm,
)
from .services import Applicant, CaseError, ItemInput

DATE = forms.DateInput(attrs={"type": "date"})


class Form(forms.Form):
    """Labels without a trailing colon: screen readers and tests find them by their text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _choices(enum: Any, blank: str = "全部") -> list[tuple[str, str]]:
    return [("", blank), *[(e.value, e.label) for e in enum]]


class FilterForm(Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=selectors.SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": "申请内容或编号"}),
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("open", "未办结"), *[(s.value, s.label) for s in Status]],
    )
    card = forms.ChoiceField(label="时限牌", required=False, choices=_choices(Card))
    unit = forms.ModelChoiceField(label="承办单位", required=False, queryset=Agency.objects.none())
    channel = forms.ChoiceField(label="申请方式", required=False, choices=_choices(Channel))
    applicant_kind = forms.ChoiceField(
        label="申请人类型", required=False, choices=_choices(ApplicantKind)
    )
    received_from = forms.DateField(label="收到日期自", required=False, widget=DATE)
    received_to = forms.DateField(label="至", required=False, widget=DATE)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        try:
            selectors.search_terms(q)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return q


class RegisterForm(Form):
    agency = forms.ModelChoiceField(label="受理机关", queryset=Agency.objects.none())
    channel = forms.ChoiceField(label="申请方式", choices=[(c.value, c.label) for c in Channel])
    received_on = forms.DateField(
        label="收到申请日期",
        widget=DATE,
        help_text="当面提交：提交之日；邮寄需签收：签收之日；平常信函：确认之日；网上：双方确认之日",
    )
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label="申请人姓名/名称", max_length=100)
    contact_person = forms.CharField(
        label="联系人（法人或其他组织）", required=False, max_length=50
    )
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通信地址", required=False, max_length=200)
    postcode = forms.RegexField(
        label="邮政编码",
        required=False,
        regex=r"^\d{6}$",
        error_messages={"invalid": "邮政编码应为 6 位数字"},
    )
    request_text = forms.CharField(
        label="所需政府信息的名称、文号或便于查询的其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    form_wanted = forms.ChoiceField(label="获取信息的载体形式", choices=InfoForm.choices)
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DeliveryWanted.choices)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
            if agencies.count() == 1:
                self.fields["agency"].initial = agencies.first().pk
        self.fields["received_on"].initial = timezone.localdate()

    def applicant(self) -> Applicant:
        return applicant_from(self.cleaned_data)


def applicant_from(d: dict[str, Any]) -> Applicant:
    """The applicant of a cleaned registration or online application form."""
    return Applicant(
        kind=d["applicant_kind"],
        name=d["applicant_name"],
        id_type=d["id_type"],
        id_number=d["id_number"],
        contact_person=d["contact_person"],
        phone=d["phone"],
        email=d["email"],
        address=d["address"],
        postcode=d["postcode"],
    )


# --- workflow actions ------------------------------------------------------------------------


class DayForm(Form):
    day = forms.DateField(label="日期", required=False, widget=DATE, help_text="不填为今天")


class NoteDayForm(DayForm):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(DayForm):
    what = forms.CharField(
        label="需要补正的事项（一次性告知）", widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_by = forms.DateField(label="补正期限", widget=DATE)


class AssignForm(DayForm):
    unit = forms.ModelChoiceField(label="承办单位", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="方式", choices=AssignmentKind.choices)
    working_days = forms.IntegerField(
        label="办理时限（工作日）", min_value=1, max_value=20, initial=5
    )
    instructions = forms.CharField(
        label="办理要求", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerAssignmentForm(DayForm):
    assignment = forms.ChoiceField(label="转办事项")
    opinion = forms.CharField(label="办理意见", widget=forms.Textarea(attrs={"rows": 3}))


class ConsultForm(DayForm):
    kind = forms.ChoiceField(label="征求对象", choices=ConsultationKind.choices)
    party = forms.CharField(label="第三方或机关名称", max_length=100)


class AnswerConsultationForm(DayForm):
    consultation = forms.ChoiceField(label="征求意见事项")
    answer = forms.ChoiceField(label="意见", choices=ConsultationAnswer.choices)
    note = forms.CharField(
        label="意见内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(DayForm):
    working_days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=20, initial=20)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class SecrecyForm(DayForm):
    passed = forms.TypedChoiceField(
        label="审查结论", choices=[("1", "通过"), ("0", "不通过")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(
        label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


OUTCOME_CHOICES = [
    (o.value, f"{o.label}（{o.basis}）")
    for o in Outcome
    if o not in (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID)
]


class DraftReplyForm(Form):
    """Up to five items; empty rows are ignored."""

    summary = forms.CharField(
        label="答复要点", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, 6):
            self.fields[f"item{n}"] = forms.CharField(
                label=f"事项{n}", required=n == 1, max_length=300
            )
            self.fields[f"outcome{n}"] = forms.ChoiceField(
                label=f"事项{n}处理结果", required=n == 1, choices=[("", "—"), *OUTCOME_CHOICES]
            )
            self.fields[f"explanation{n}"] = forms.CharField(
                label=f"事项{n}说明", required=False, max_length=1000
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, 6):
            if data.get(f"item{n}") and not data.get(f"outcome{n}"):
                self.add_error(f"outcome{n}", "请选择处理结果")
        return data

    def items(self) -> list[ItemInput]:
        d = self.cleaned_data
        return [
            ItemInput(d[f"item{n}"], d[f"outcome{n}"], d.get(f"explanation{n}", ""))
            for n in range(1, 6)
            if d.get(f"item{n}")
        ]


class NoteForm(Form):
    note = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}))


class OptionalNoteForm(Form):
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(DayForm):
    decision = forms.CharField(
        label="复议决定书/判决书文号及要求", widget=forms.Textarea(attrs={"rows": 2})
    )
    due = forms.DateField(label="重新答复期限（决定书规定的）", required=False, widget=DATE)


class EmptyForm(Form):
    pass


DELIVERY_CHOICES = [
    ("in_person", "直接送达（当面领取）"),
    ("post", "邮寄送达"),
    ("email", "电子邮件送达"),
    ("portal", "网上平台送达"),
]


class ReplyDeliveryForm(NoteDayForm):
    method = forms.ChoiceField(
        label="送达方式",
        required=False,
        choices=[("", "按申请人要求的获取方式"), *DELIVERY_CHOICES],
    )
    tracking_number = forms.CharField(
        label="邮件单号", required=False, max_length=40, help_text="邮寄送达必填"
    )


class FeeNoticeForm(DayForm):
    method = forms.ChoiceField(
        label="收费方式",
        choices=[("per_request", "按件计收（按本月第几件自动计算）"), ("per_page", "按量计收")],
    )
    pages = forms.IntegerField(label="页数（按量计收）", required=False, min_value=0)
    payment_instructions = forms.CharField(
        label="缴费方式",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="缴费途径、账户或地点",
    )
    delivery = forms.ChoiceField(label="通知送达方式", choices=DELIVERY_CHOICES)
    tracking_number = forms.CharField(label="邮件单号", required=False, max_length=40)


class FeePaidForm(DayForm):
    amount_yuan = forms.IntegerField(label="实缴金额（元）", min_value=0)
    receipt_number = forms.CharField(label="票据号码", max_length=60)


class AttachmentForm(Form):
    kind = forms.ChoiceField(label="材料类型", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件", help_text="PDF、JPG、PNG、DOCX、OFD")


def run_service(form: forms.Form, call: Callable[[], Any]) -> Any:
    """Call a service; a :class:`CaseError` becomes a non-field error of ``form``."""
    try:
        return call()
    except CaseError as exc:
        form.add_error(None, str(exc))
        return None
