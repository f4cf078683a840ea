"""Forms of the staff pages. Forms validate input and carry every user-facing error; the
services' :class:`CaseError` becomes a form error in :func:`run_service`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Status

from . import selectors
from .actions.inputs import DELIVERY_LABELS
from .models import (
    ApplicantKind,
    AttachmentKind,
    Card,
    DeliveryWanted,
    IdType,
    InfoForm,
)
from .services import Applicant, CaseError

#: A date box: ``<input type=date>`` takes and sends ISO dates (2025-06-16) whatever the
#: language, so the value is written so too (the zh-hans default, 2025/06/16, is rejected and
#: the box shows empty); the date fields accept it (it is among the zh-hans input formats).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        widget=forms.TextInput(attrs={"placeholder": "申请内容、编号、申请人姓名或电话"}),
        help_text="按申请人姓名或电话查找须输入完整姓名或号码",
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("open", "未办结"), *[(s.value, s.label) for s in Status]],
    )
    card = forms.ChoiceField(label="时限牌", required=False, choices=_choices(Card))
    unit = forms.ModelChoiceField(
        label="承办单位",
        required=False,
        queryset=Agency.objects.none(),
        empty_label="全部承办单位",
    )
    channel = forms.ChoiceField(label="申请方式", required=False, choices=_choices(Channel))
    applicant_kind = forms.ChoiceField(
        label="申请人类型", required=False, choices=_choices(ApplicantKind)
    )
    received_from = forms.DateField(label="收到日期自", required=False, widget=DATE)
    received_to = forms.DateField(label="至", required=False, widget=DATE)

    def __init__(
        self, *args: Any, units: Any = None, by_applicant: bool = True, **kwargs: Any
    ) -> None:
        """``by_applicant``: whether the viewer may find cases by the applicant (the office
        staff of an agency); the others are told the search box does not look there."""
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if not by_applicant:
            q = self.fields["q"]
            q.widget.attrs["placeholder"] = "申请内容或编号"
            q.help_text = "按申请人姓名或电话查找仅限受理机关的公开工作人员"

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        try:
            selectors.search_terms(q)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return q


class RegisterForm(Form):
    agency = forms.ModelChoiceField(
        label="受理机关", queryset=Agency.objects.none(), empty_label="请选择受理机关"
    )
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
    amend_reason = forms.CharField(
        label="年报更正理由",
        required=False,
        max_length=200,
        help_text="仅在收到日期属于年度报告已发布的年份时填写；登记将记入年报更正记录",
    )

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


# --- shared with the generated action forms (gongkai.cases.actions.forms) and letters ------


class DayForm(Form):
    """A date of the office's, today when left out (the letters' delivery forms)."""

    day = forms.DateField(label="日期", required=False, widget=DATE, help_text="不填为今天")


DELIVERY_CHOICES = list(DELIVERY_LABELS.items())
PASS_FAIL = [("1", "通过"), ("0", "不通过")]  # a yes/no field: a review's conclusion


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
