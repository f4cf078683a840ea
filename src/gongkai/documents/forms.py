"""Forms of the registry's staff pages. Forms validate input and carry every user-facing
error; a service's :class:`~.services.base.DocumentError` (or a refusal of the core rules)
becomes a form error in :func:`run_service`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet

from gongkai.core.validity import DocKind, Validity, ValidityError
from gongkai.security.uploads import UploadRejected, check_upload

from .models import KIND_CHOICES, Disclosure, Document, LegalBasis, PatrolItem, ReviewState
from .services.base import DocumentError

#: A date box: ``<input type=date>`` sends ISO dates whatever the language; the value is
#: written so too (the zh-hans default, 2025/06/16, would leave the box empty).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: The files a text may carry: PDF, Word (DOCX) and OFD (the national layout format,
#: GB/T 33190).
ATTACHMENT_TYPES = (".pdf", ".docx", ".ofd")
PUBLISH_CONFIRMATION = (
    "我已核对本文件的正文、附件、保密审查与个人信息核查结果，签发并向社会公开发布"
)


def _is_default(field: forms.Field, key: str) -> bool:
    """Whether ``field``'s ``key`` message is Django's own (not one written for the field)."""
    message = field.error_messages.get(key)
    return any(
        message is getattr(cls, "default_error_messages", {}).get(key)
        for cls in type(field).__mro__
    )


def name_the_fields(form: forms.Form) -> None:
    """Replace Django's generic “required” and “invalid choice” messages (“这个字段是必填项。”,
    “选择一个有效的选项。 xyz 不在可用的选项中。”, which name neither the field nor the
    value in Chinese) with messages naming the field; messages written for a field stay."""
    for field in form.fields.values():
        label = field.label or "该项"
        choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
        if _is_default(field, "required"):
            field.error_messages["required"] = f"请{'选择' if choosing else '填写'}{label}"
        if "invalid_choice" in field.error_messages and _is_default(field, "invalid_choice"):
            field.error_messages["invalid_choice"] = f"所选的{label}不在可选范围内，请重新选择"


class Form(forms.Form):
    """Labels without a trailing colon: screen readers and tests find them by their text;
    every “required” and “invalid choice” message names its field (:func:`name_the_fields`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        name_the_fields(self)


def _choices(pairs: Any, blank: str = "全部") -> list[tuple[str, str]]:
    return [("", blank), *pairs]


def run_service(form: forms.Form, call: Callable[[], Any]) -> Any:
    """Call a service; a refusal (DocumentError, or the core's ValidityError) becomes a
    non-field error of ``form`` and the result is None."""
    try:
        return call()
    except (DocumentError, ValidityError) as exc:
        form.add_error(None, str(exc))
        return None


# --- the list ---------------------------------------------------------------------------------


class FilterForm(Form):
    """The filters of 文件库; every field may stay blank."""

    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "标题、发文字号或索引号"}),
    )
    kind = forms.ChoiceField(label="类别", required=False, choices=_choices(KIND_CHOICES))
    validity = forms.ChoiceField(
        label="效力状态", required=False, choices=_choices([(v.value, v.label) for v in Validity])
    )
    review_state = forms.ChoiceField(
        label="审查状态", required=False, choices=_choices(ReviewState.choices)
    )
    agency = forms.TypedChoiceField(label="机关", required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=1949,
        max_value=2100,
        help_text="成文日期所在年度",
        error_messages={
            "invalid": "年度应为四位数字的年份，如 2025",
            "min_value": "年度不能早于 1949 年",
            "max_value": "年度不能晚于 2100 年",
        },
    )
    topic = forms.ChoiceField(label="主题", required=False)
    card = forms.ChoiceField(
        label="公开时限",
        required=False,
        choices=_choices(
            [("red", "红牌（逾期未公开）"), ("yellow", "黄牌（即将到期）"), ("green", "绿牌")]
        ),
    )

    def __init__(
        self, *args: Any, agencies: Any = (), topics: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _choices([(a.pk, a.name) for a in agencies])
        self.fields["topic"].choices = _choices([(t, t) for t in topics or []])

    def filters(self) -> dict[str, Any]:
        """The valid filters as :func:`..selectors.documents_for` takes them (none when the
        form is invalid: the page then shows the errors and lists nothing filtered wrongly)."""
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d["q"].strip(),
            "kind": d["kind"],
            "validity": d["validity"],
            "review_state": d["review_state"],
            "agency": d["agency"] or "",
            "year": "" if d["year"] is None else d["year"],
            "topic": d["topic"],
            "card": d["card"],
        }


# --- a text -----------------------------------------------------------------------------------


class DocumentForm(Form):
    """A text as a person fills it in: new, revision (``revises``) or edit (``document``).

    The agency is chosen only for a new text (a revision keeps its policy's agency, an
    edited text its own); the kind is fixed for a revision and for a text of a policy with
    several texts (a revision is of the same kind, :func:`gongkai.core.validity.check_registry`).
    """

    agency = forms.ModelChoiceField(
        label="发布机构",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "请选择发布机构",
            "invalid_choice": "所选的发布机构不在您可以登记文件的机关中",
        },
    )
    kind = forms.ChoiceField(
        label="文件类别",
        choices=KIND_CHOICES,
        initial=DocKind.NORMATIVE.value,
        error_messages={"required": "请选择文件类别", "invalid_choice": "所选的文件类别无效"},
    )
    title = forms.CharField(
        label="标题",
        max_length=300,
        error_messages={
            "required": "请填写文件标题",
            "max_length": "标题不能超过 %(limit_value)d 个字（现为 %(show_value)d 个字）",
        },
    )
    doc_number = forms.CharField(
        label="发文字号",
        max_length=80,
        required=False,
        help_text="如“×教发〔2025〕3号”（机关代字、年份、序号）；没有发文字号的留空",
    )
    index_no = forms.CharField(
        label="索引号",
        max_length=80,
        required=False,
        help_text="留空则按本机关的索引号格式自动编号",
    )
    topic = forms.CharField(label="主题分类", max_length=50, required=False)
    written_on = forms.DateField(
        label="成文日期",
        widget=DATE,
        error_messages={
            "required": "请填写成文日期",
            "invalid": "成文日期应为日期，如 2025-06-16",
        },
    )
    effective_on = forms.DateField(
        label="施行日期",
        widget=DATE,
        error_messages={
            "required": "请填写施行日期",
            "invalid": "施行日期应为日期，如 2025-06-16",
        },
    )
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=DATE,
        help_text="没有有效期的留空；有效期届满的次日起文件失效",
        error_messages={"invalid": "有效期至应为日期，如 2030-06-15"},
    )
    formed_on = forms.DateField(
        label="形成或变更日期",
        required=False,
        widget=DATE,
        help_text="公开时限（20个工作日）自此起算（《中华人民共和国政府信息公开条例》第二十六条）；"
        "留空则为成文日期",
        error_messages={"invalid": "形成或变更日期应为日期，如 2025-06-16"},
    )
    disclosure = forms.ChoiceField(
        label="公开属性",
        choices=Disclosure.choices,
        initial=Disclosure.PROACTIVE,
        help_text="只有“主动公开”的文件经审查后在门户网站发布（条例第十九条）",
        error_messages={"required": "请选择公开属性", "invalid_choice": "所选的公开属性无效"},
    )
    not_public_reason = forms.CharField(
        label="不公开理由",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="公开属性为“不予公开”时必填，写明依据（条例第十四条至第十六条）",
    )
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 16}))

    #: The fields a person changes on an edited text (``document_update``'s ``changes``).
    EDITABLE = (
        "kind",
        "title",
        "doc_number",
        "index_no",
        "topic",
        "written_on",
        "effective_on",
        "expires_on",
        "formed_on",
        "disclosure",
        "not_public_reason",
        "text",
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Any] | None = None,
        document: Document | None = None,
        revises: Document | None = None,
        **kwargs: Any,
    ) -> None:
        self.document, self.revises = document, revises
        if document is not None:
            kwargs.setdefault("initial", {f: getattr(document, f) for f in self.EDITABLE})
        elif revises is not None:
            kwargs.setdefault("initial", _revision_initial(revises))
        super().__init__(*args, **kwargs)
        if document is not None:  # a blank 索引号 keeps the one it has (document_update)
            self.fields["index_no"].help_text = "留空则保留原索引号"
        if document is not None or revises is not None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
        fixed = revises is not None or (
            document is not None
            and (
                document.revises_id is not None
                or Document.objects.filter(policy_id=document.policy_id)
                .exclude(pk=document.pk)
                .exists()
            )
        )
        if fixed:
            del self.fields["kind"]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("标题不能为空")
        return title

    def clean_index_no(self) -> str:
        index_no = self.cleaned_data["index_no"].strip()
        if not index_no:
            return ""
        other = Document.objects.filter(index_no=index_no)
        if self.document is not None:
            other = other.exclude(pk=self.document.pk)
        taken = other.first()
        if taken is not None:
            raise forms.ValidationError(f"索引号“{index_no}”已被{taken.name}使用")
        return index_no

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        for name in ("doc_number", "topic", "not_public_reason"):
            if isinstance(d.get(name), str):
                d[name] = d[name].strip()
        written, effective = d.get("written_on"), d.get("effective_on")
        expires, formed = d.get("expires_on"), d.get("formed_on")
        if written and effective and effective < written:
            self.add_error("effective_on", f"施行日期（{effective}）不能早于成文日期（{written}）")
        if effective and expires and expires < effective:
            self.add_error("expires_on", f"有效期至（{expires}）不能早于施行日期（{effective}）")
        if written and formed and formed < written:
            self.add_error("formed_on", f"形成或变更日期（{formed}）不能早于成文日期（{written}）")
        if written and "formed_on" in d and formed is None:
            d["formed_on"] = written
        if d.get("disclosure") == Disclosure.NOT_PUBLIC and not d.get("not_public_reason"):
            self.add_error(
                "not_public_reason",
                "公开属性为“不予公开”的，须填写不公开理由"
                "（《中华人民共和国政府信息公开条例》第十四条至第十六条）",
            )
        if d.get("disclosure") != Disclosure.NOT_PUBLIC and "not_public_reason" in d:
            d["not_public_reason"] = ""
        return d

    def create_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``document_create`` (without actor and ip)."""
        d = self.cleaned_data
        source = self.revises
        args = {
            "agency": source.agency if source is not None else d["agency"],
            "kind": DocKind(source.kind if source is not None else d["kind"]),
            "revises": source,
        }
        return args | {f: d[f] for f in self.EDITABLE if f != "kind"}

    def changes(self) -> dict[str, Any]:
        """The changed fields of an edited text (``document_update``'s ``changes``)."""
        d = self.cleaned_data
        out = {}
        for f in self.EDITABLE:
            if f in d and d[f] != getattr(self.document, f):
                out[f] = DocKind(d[f]) if f == "kind" else d[f]
        return out


def _revision_initial(old: Document) -> dict[str, Any]:
    """A revision starts from the text it revises: same title, topic, disclosure and text;
    the dates, the 发文字号 and the 索引号 are the new text's own."""
    return {
        "title": old.title,
        "topic": old.topic,
        "disclosure": old.disclosure,
        "not_public_reason": old.not_public_reason,
        "text": old.text,
    }


class AttachmentForm(Form):
    """One file of a text: PDF, DOCX or OFD, checked like every upload (the content must
    match the extension)."""

    file = forms.FileField(
        label="上传附件",
        help_text="PDF、DOCX 或 OFD 文件",
        error_messages={"required": "请选择文件"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(ATTACHMENT_TYPES):
            raise forms.ValidationError(
                f"文件“{name}”的类型不支持；文件附件只能是 PDF、DOCX 或 OFD"
            )
        try:
            check_upload(upload)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


# --- review actions ---------------------------------------------------------------------------


class SubmitForm(Form):
    """提交审查: nothing to fill in."""


class SecrecyForm(Form):
    """保密审查 (《中华人民共和国保守国家秘密法》; 条例第十七条)."""

    passed = forms.ChoiceField(
        label="审查结论",
        choices=[("yes", "通过"), ("no", "不通过")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择保密审查结论：通过或不通过"},
    )
    note = forms.CharField(
        label="审查意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        d["note"] = (d.get("note") or "").strip()
        if d.get("passed") == "no" and not d["note"]:
            self.add_error("note", "保密审查不通过的，请在审查意见中写明原因")
        return d


class BasisForm(Form):
    """Why personal information found by the scan may stay (条例第十五条 但书)."""

    basis = forms.ChoiceField(
        label="公开依据",
        choices=_choices(LegalBasis.choices, blank="请选择"),
        error_messages={"required": "请选择公开依据"},
    )
    note = forms.CharField(
        label="说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明依据的法律法规条款、权利人同意的材料等",
        error_messages={"required": "请写明公开依据的说明"},
    )


class ReturnForm(Form):
    note = forms.CharField(
        label="退回意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明退回意见"},
    )


class PublishForm(Form):
    confirm = forms.BooleanField(
        label=PUBLISH_CONFIRMATION,
        error_messages={"required": "请勾选确认后再签发并发布"},
    )


class TakeDownForm(Form):
    reason = forms.CharField(
        label="撤下理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明撤下理由"},
    )


class _Decision(Form):
    """The deciding document (决定文件) of a change of validity, and its date."""

    day = forms.DateField(
        label="生效日期",
        widget=DATE,
        error_messages={
            "required": "请填写效力变更的生效日期",
            "invalid": "生效日期应为日期，如 2025-06-16",
        },
    )
    decision_title = forms.CharField(
        label="决定文件标题",
        max_length=300,
        error_messages={"required": "请填写决定文件的标题"},
    )
    decision_number = forms.CharField(
        label="决定文件文号", max_length=80, required=False, help_text="没有文号的留空"
    )

    def clean_decision_title(self) -> str:
        title = self.cleaned_data["decision_title"].strip()
        if not title:
            raise forms.ValidationError("请填写决定文件的标题")
        return title

    def clean_decision_number(self) -> str:
        return self.cleaned_data["decision_number"].strip()


class ValidityForm(_Decision):
    """废止 or 宣布失效 of one published text."""

    target = forms.ChoiceField(
        label="变更为",
        error_messages={
            "required": "请选择变更为哪种效力状态",
            "invalid_choice": "这里只能废止文件或宣布文件失效；修订请登记修订后的文本，"
            "其发布后原文件自动标记为“已修订”",
        },
    )
    field_order = ("target", "day", "decision_title", "decision_number")

    def __init__(self, *args: Any, targets: list[Validity] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(t.value, t.label) for t in targets or []]
        self.fields["target"].choices = _choices(choices, "请选择")


# --- 清理 ---------------------------------------------------------------------------------------


CLEANUP_TARGETS = [(Validity.REPEALED.value, "已废止"), (Validity.EXPIRED.value, "失效")]


class CleanupFilterForm(Form):
    """Which agency's texts the 清理 page lists, narrowed like the registry."""

    agency = forms.TypedChoiceField(label="机关", coerce=int, required=False, empty_value=None)
    q = forms.CharField(label="关键词", max_length=100, required=False)
    kind = forms.ChoiceField(label="类别", required=False, choices=_choices(KIND_CHOICES))
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=1949,
        max_value=2100,
        error_messages={"invalid": "年度应为四位数字的年份，如 2025"},
    )

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class CleanupForm(_Decision):
    """One 清理 decision over the ticked texts of one agency."""

    title = forms.CharField(
        label="清理名称",
        max_length=200,
        help_text="如“2025年度行政规范性文件清理”",
        error_messages={"required": "请填写清理名称"},
    )
    target = forms.ChoiceField(
        label="清理结果",
        choices=_choices(CLEANUP_TARGETS, "请选择"),
        error_messages={"required": "请选择清理结果：已废止或失效"},
    )
    documents = forms.ModelMultipleChoiceField(
        label="清理的文件",
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少勾选一件要清理的文件",
            "invalid_choice": "勾选的文件不在本机关可清理的文件中，请刷新页面后重新勾选",
        },
    )
    field_order = ("title", "target", "day", "decision_title", "decision_number", "documents")

    def __init__(self, *args: Any, candidates: QuerySet[Document] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["documents"].queryset = candidates


# --- 安全巡查 -----------------------------------------------------------------------------------


class PatrolRunForm(Form):
    """立即巡查: re-scan the published texts of one of the viewer's agencies."""

    agency = forms.TypedChoiceField(
        label="巡查机关",
        coerce=int,
        error_messages={
            "required": "请选择巡查机关",
            "invalid_choice": "所选的机关不在您可以巡查的机关中",
        },
    )

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class PatrolDecideForm(Form):
    """One item of a patrol: take the text down, or keep it on a legal basis (条例第十五条)."""

    outcome = forms.ChoiceField(
        label="处理",
        choices=[
            (PatrolItem.Outcome.TAKEN_DOWN.value, "撤下整改"),
            (PatrolItem.Outcome.KEPT.value, "有依据保留"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理方式：撤下整改或有依据保留"},
    )
    basis = forms.ChoiceField(
        label="公开依据",
        required=False,
        choices=_choices(LegalBasis.choices, blank="（撤下时不填）"),
    )
    note = forms.CharField(
        label="处理说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="撤下的理由，或保留所依据的条款、权利人同意的材料",
        error_messages={"required": "请写明处理说明：撤下的理由或保留的依据内容"},
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        if d.get("outcome") == PatrolItem.Outcome.KEPT and not d.get("basis"):
            self.add_error("basis", "有依据保留的，请选择公开依据（条例第十五条）")
        if d.get("outcome") == PatrolItem.Outcome.TAKEN_DOWN:
            d["basis"] = ""
        return d


# --- the actions of a text's page -------------------------------------------------------------

#: The actions a text's page offers as forms, in the order of 先审查后公开, with their labels.
ACTION_LABELS: dict[str, str] = {
    "submit": "提交审查",
    "secrecy": "保密审查",
    "basis": "记录公开依据",
    "return": "退回",
    "publish": "签发并发布",
    "take_down": "撤下",
    "validity": "废止 / 宣布失效",
}
ACTION_FORMS: dict[str, type[Form]] = {
    "submit": SubmitForm,
    "secrecy": SecrecyForm,
    "basis": BasisForm,
    "return": ReturnForm,
    "publish": PublishForm,
    "take_down": TakeDownForm,
    "validity": ValidityForm,
}


def action_form(action: str, *, targets: list[Validity] | None = None, data: Any = None) -> Form:
    """The form of ``action`` (its fields prefixed with the action's code, as several sit on
    one page); ``targets``: the validity changes offered (:func:`..selectors.validity_targets`)."""
    cls = ACTION_FORMS[action]
    if cls is ValidityForm:
        return ValidityForm(data, prefix=action, targets=targets)
    return cls(data, prefix=action)
