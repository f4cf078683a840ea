"""Forms of the public portal (labels on every field, errors in plain Chinese)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html

from gongkai.cases.forms import Form as BaseForm
from gongkai.cases.forms import RegisterForm, applicant_from
from gongkai.cases.models import ApplicantKind, IdType
from gongkai.cases.services import Applicant

from . import captcha, throttle
from .services import Request


class CaptchaInput(forms.TextInput):
    """The answer box, followed by the signed token of its question (see :class:`CaptchaMixin`)."""

    token = ""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        box = super().render(name, value, attrs, renderer)
        return box + format_html(
            '<input type="hidden" name="{}" value="{}">', name + TOKEN_SUFFIX, self.token
        )


TOKEN_SUFFIX = "_token"  # noqa: S105 - a field name
TOKEN_SALT = "gongkai.portal.captcha"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 3600  # seconds a question may stay open


def _answer_digest(nonce: str, answer: int) -> str:
    return salted_hmac(TOKEN_SALT, f"{nonce}:{answer}").hexdigest()


class CaptchaMixin(forms.Form):
    """The sum question of :mod:`.captcha`, without a session: the page carries a signed,
    timed token with a keyed hash of the answer (never the answer), and a token is accepted
    once (:func:`.throttle.use_once`). So showing a form to an anonymous visitor creates no
    session; one is made only when a form is sent and accepted."""

    captcha = forms.CharField(label="验证问题", max_length=4, widget=CaptchaInput)
    # A field people never see (hidden by CSS and from screen readers); robots fill it in.
    website = forms.CharField(label="请勿填写此项", required=False)

    def set_question(self) -> str:
        """Ask a new question on this form; returns its text."""
        box: dict[str, int] = {}
        question = captcha.new_question(box)
        nonce = secrets.token_urlsafe(16)
        token = signing.dumps(
            {"n": nonce, "h": _answer_digest(nonce, box[captcha.SESSION_KEY])},
            salt=TOKEN_SALT,
            compress=False,
        )
        self.fields["captcha"].label = f"验证问题：{question}"
        self.fields["captcha"].widget.token = token
        return question

    def captcha_passed(self) -> bool:
        """The answer is right for the question the form was sent with; the question is
        used up either way (a robot gets one try per question)."""
        raw = str(self.data.get("captcha" + TOKEN_SUFFIX, ""))
        try:
            token = signing.loads(raw, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            nonce, digest = str(token["n"]), str(token["h"])
        except (signing.BadSignature, KeyError, TypeError):
            return False
        if not throttle.use_once(f"captcha:{nonce}"):
            return False
        try:
            answer = int(str(self.cleaned_data.get("captcha", "")).strip())
        except ValueError:
            return False
        return constant_time_compare(digest, _answer_digest(nonce, answer))


_OWN = [
    "applicant_kind",
    "applicant_name",
    "contact_person",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "postcode",
    "request_text",
    "form_wanted",
    "delivery_wanted",
]


class ApplyForm(BaseForm, CaptchaMixin):
    """The online application (《政府信息公开条例》第二十九条)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = RegisterForm()
        for name in _OWN:
            self.fields[name] = staff.fields[name]
        self.fields["applicant_kind"].choices = ApplicantKind.choices
        self.fields["id_type"].choices = IdType.choices
        self.fields["applicant_name"].label = "申请人姓名或单位名称"
        self.fields[
            "id_number"
        ].help_text = "自然人填写身份证号码；法人或其他组织填写统一社会信用代码"
        self.fields["phone"].help_text = "手机号码，用于接收办理进度短信"
        self.fields["email"].help_text = "用于接收回执和答复文书"
        self.fields["purpose"] = forms.CharField(
            label="用途说明（选填）",
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["proof"] = forms.FileField(
            label="身份证明",
            help_text="身份证或营业执照等的照片、扫描件（PDF、JPG、PNG，不超过规定大小）",
        )
        self.fields["consent"] = forms.BooleanField(
            label="我确认以上信息真实，并同意受理机关为办理本申请使用这些信息"
        )
        order = [*_OWN[:3], "id_type", "id_number", "phone", "email", "address", "postcode"]
        order += ["request_text", "purpose", "form_wanted", "delivery_wanted", "proof"]
        order += ["consent", "captcha", "website"]
        self.order_fields(order)

    def applicant(self) -> Applicant:
        return applicant_from(self.cleaned_data)

    def request(self) -> Request:
        d = self.cleaned_data
        return Request(d["request_text"], d["form_wanted"], d["delivery_wanted"], d["purpose"])


class LookupForm(BaseForm):
    number = forms.CharField(
        label="申请编号", max_length=30, help_text="网上提交编号（WS 开头）或登记编号"
    )
    code = forms.CharField(label="查询码", max_length=20, help_text="提交申请时取得的 8 位查询码")


class SignupForm(BaseForm, CaptchaMixin):
    email = forms.EmailField(label="电子邮箱")
    display_name = forms.CharField(label="称呼（选填）", required=False, max_length=50)
    password = forms.CharField(label="密码（至少 10 位）", widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        if d.get("password") and d.get("password") != d.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return d


class LoginForm(BaseForm):
    email = forms.EmailField(label="电子邮箱")
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class RejectForm(BaseForm):
    reason = forms.CharField(
        label="不予登记的理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
