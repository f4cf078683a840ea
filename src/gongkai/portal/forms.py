"""Forms of the public portal (labels on every field, errors in plain Chinese)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html

from gongkai.cases.forms import Form as BaseForm
from gongkai.cases.forms import RegisterForm, applicant_from
from gongkai.cases.models import ApplicantKind, IdType
from gongkai.cases.services import Applicant
from gongkai.core import identity

from . import captcha, throttle
from .models import OnlineApplication
from .proofs import KeptProof
from .services import NO_PROOF, PASSWORD_MIN, Request


class CaptchaInput(forms.TextInput):
    """The answer box, followed by the signed token of its question (see :class:`CaptchaMixin`).
    Always empty: every showing of the form asks a new question."""

    token = ""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        box = super().render(name, None, attrs, renderer)
        return box + format_html(
            '<input type="hidden" name="{}" value="{}">', name + TOKEN_SUFFIX, self.token
        )


TOKEN_SUFFIX = "_token"  # noqa: S105 - a field name
TOKEN_SALT = "gongkai.portal.captcha"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 3600  # seconds a question may stay open
CAPTCHA_LABEL = "验证问题"
WRONG_ANSWER = "验证问题回答不正确，已换一个新问题，请重新计算后填写"
HONEYPOT = "提交未通过校验，请刷新页面后重试"


def _answer_digest(nonce: str, answer: int) -> str:
    return salted_hmac(TOKEN_SALT, f"{nonce}:{answer}").hexdigest()


class CaptchaMixin(forms.Form):
    """The sum question of :mod:`.captcha`, without a session: the page carries a signed,
    timed token with a keyed hash of the answer (never the answer), and a token is accepted
    once (:func:`.throttle.use_once`). So showing a form to an anonymous visitor creates no
    session; one is made only when a form is sent and accepted.

    Every showing of the form, the first and each one after an error, asks a new question
    (:meth:`set_question`); the answer box is never filled in again."""

    captcha = forms.CharField(
        label=CAPTCHA_LABEL,
        max_length=4,
        widget=CaptchaInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请回答验证问题（填写阿拉伯数字）"},
    )
    # A field people never see (hidden by CSS and from screen readers); robots fill it in.
    website = forms.CharField(label="请勿填写此项", required=False)

    def set_question(self) -> str:
        """Ask a new question on this form; returns its text."""
        question, answer = captcha.new_question()
        nonce = secrets.token_urlsafe(16)
        token = signing.dumps(
            {"n": nonce, "h": _answer_digest(nonce, answer)},
            salt=TOKEN_SALT,
            compress=False,
        )
        label = f"{CAPTCHA_LABEL}：{question}"
        self.fields["captcha"].label = label
        # A checked form already made its bound fields, with the label they had then.
        self["captcha"].label = label
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
            answer = int(str(self.data.get("captcha", "")).strip())
        except ValueError:
            return False
        return constant_time_compare(digest, _answer_digest(nonce, answer))

    def human(self) -> bool:
        """The honeypot left empty (robots fill every field) and the question answered
        right; otherwise the form gets an error saying which. Call after :meth:`is_valid`,
        whatever it found: the question is checked (and used up) on every sending."""
        if str(self.data.get("website", "")).strip():
            self.add_error(None, HONEYPOT)
            return False
        if not self.captcha_passed():
            if "captcha" not in self.errors:
                self.add_error("captcha", WRONG_ANSWER)
            return False
        return True


#: How the error summary names fields whose label is long or changes.
SHORT_LABELS = {"captcha": CAPTCHA_LABEL, "consent": "确认声明", "proof": "身份证明"}


def error_summary(form: forms.Form) -> list[dict[str, str]]:
    """Every error of ``form``, in the order of the page, each with the field it belongs to
    (its label, and the id to jump to); errors of the whole form first."""
    rows = [{"id": "", "label": "", "message": str(e)} for e in form.non_field_errors()]
    for bound in form:
        if bound.errors:
            label = SHORT_LABELS.get(bound.name) or str(bound.field.label)
            rows.append(
                {"id": bound.id_for_label, "label": label, "message": "；".join(bound.errors)}
            )
    return rows


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


REQUIRED = "请填写此项"
CHOOSE = "请选择此项"
CONSENT = "请阅读并勾选确认声明"


class ApplyForm(BaseForm, CaptchaMixin):
    """The online application (《中华人民共和国政府信息公开条例》第二十九条).

    ``kept``: an identity proof already received from this applicant (:mod:`.proofs`); the
    file field is then optional, a new file replacing it. Identity numbers, the mobile
    number and the contact details are checked here field by field (the rules of
    :func:`gongkai.cases.services.register.check_applicant`, which the service applies
    again), so each problem is shown at the field it is about."""

    def __init__(self, *args: Any, kept: KeptProof | None = None, **kwargs: Any) -> None:
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
            error_messages={"required": NO_PROOF, "empty": "所选文件是空文件"},
        )
        self.fields["consent"] = forms.BooleanField(
            label="我确认以上信息真实，并同意受理机关为办理本申请使用这些信息",
            error_messages={"required": CONSENT},
        )
        for name, f in self.fields.items():
            if name not in ("proof", "consent", "captcha"):
                f.error_messages["required"] = (
                    CHOOSE if isinstance(f, forms.ChoiceField) else REQUIRED
                )
        order = [*_OWN[:3], "id_type", "id_number", "phone", "email", "address", "postcode"]
        order += ["request_text", "purpose", "form_wanted", "delivery_wanted", "proof"]
        order += ["consent", "captcha", "website"]
        self.order_fields(order)
        self.kept: KeptProof | None = None
        self.keep(kept)

    def keep(self, kept: KeptProof | None) -> None:
        """Use ``kept`` as the identity proof unless a new file is chosen (None: a file has
        to be chosen)."""
        self.kept = kept
        self.fields["proof"].required = kept is None

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        kind, id_type, number = d.get("applicant_kind"), d.get("id_type"), d.get("id_number")
        if kind and id_type:
            natural = kind == ApplicantKind.NATURAL_PERSON
            if natural and id_type == IdType.CREDIT_CODE:
                self.add_error("id_type", "自然人申请人应填写身份证件，不是统一社会信用代码")
            elif not natural and id_type == IdType.RESIDENT_ID:
                self.add_error(
                    "id_type", "法人或其他组织申请人应填写统一社会信用代码或其他登记证件"
                )
            elif number:
                try:
                    if id_type == IdType.RESIDENT_ID:
                        identity.check_resident_id(number, today=timezone.localdate())
                    elif id_type == IdType.CREDIT_CODE:
                        identity.check_credit_code(number)
                except identity.IdentityError as exc:
                    self.add_error("id_number", str(exc))
        phone = (d.get("phone") or "").strip()
        if len(phone) == 11 and phone.startswith("1"):
            try:
                identity.check_mobile(phone)
            except identity.IdentityError as exc:
                self.add_error("phone", str(exc))
        contact = phone or d.get("email") or (d.get("address") or "").strip()
        if not contact and not {"phone", "email", "address"} & set(self.errors):
            self.add_error("phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）")
        return d

    def applicant(self) -> Applicant:
        return applicant_from(self.cleaned_data)

    def request(self) -> Request:
        d = self.cleaned_data
        return Request(d["request_text"], d["form_wanted"], d["delivery_wanted"], d["purpose"])


def draft_initial(app: OnlineApplication) -> dict[str, Any]:
    """The form's values of an application waiting for confirmation (“返回修改”)."""
    values = {name: getattr(app, name) for name in _OWN}
    return {**values, "purpose": app.purpose, "consent": True}


class LookupForm(BaseForm):
    number = forms.CharField(
        label="申请编号", max_length=30, help_text="网上提交编号（WS 开头）或登记编号"
    )
    code = forms.CharField(label="查询码", max_length=20, help_text="提交申请时取得的 8 位查询码")


class SignupForm(BaseForm, CaptchaMixin):
    """An applicant account (optional). Passwords are never sent back to the page: after an
    error they are typed again (the page says so)."""

    email = forms.EmailField(label="电子邮箱", error_messages={"required": REQUIRED})
    display_name = forms.CharField(label="称呼（选填）", required=False, max_length=50)
    password = forms.CharField(
        label="密码（至少 10 位）",
        widget=forms.PasswordInput,
        min_length=PASSWORD_MIN,
        error_messages={"required": REQUIRED, "min_length": f"密码至少 {PASSWORD_MIN} 位"},
    )
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput, error_messages={"required": REQUIRED}
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        if d.get("password") and d.get("password") != d.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return d


class LoginForm(BaseForm):
    email = forms.EmailField(label="电子邮箱")
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class OnlineRegisterForm(BaseForm):
    """Confirming receipt of an online application; the reason is asked only when today's
    year is locked (its annual report published, 《中华人民共和国政府信息公开条例》第五十条)."""

    amend_reason = forms.CharField(
        label="年报更正理由",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="登记将记入该年度的年报更正记录，由公开工作机构确认",
    )


class RejectForm(BaseForm):
    reason = forms.CharField(
        label="不予登记的理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
