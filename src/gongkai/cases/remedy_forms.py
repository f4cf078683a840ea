"""Forms of the reconsideration/litigation panel on the case page (《政府信息公开条例》
第五十一条); every error message is Chinese and names the field."""

from __future__ import annotations

from django import forms

from .forms import DATE
from .models import RemedyKind, RemedyResult


class RemedyForm(forms.Form):
    """A reconsideration or lawsuit filed against the reply."""

    kind = forms.ChoiceField(label="类型", choices=RemedyKind.choices)
    after_reconsideration = forms.BooleanField(label="经复议后起诉", required=False)
    filed_on = forms.DateField(label="申请复议/起诉日期", widget=DATE)
    body = forms.CharField(label="复议机关/受理法院", max_length=100)
    reference = forms.CharField(label="案号", max_length=60, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    """How a reconsideration or lawsuit ended (or that it is still pending)."""

    result = forms.ChoiceField(label="结果", choices=RemedyResult.choices)
    decided_on = forms.DateField(label="审结日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=500)
