"""The registry's settings per agency in the admin (文件库设置): the administrative level that
decides whether it may make 规章, its 统一社会信用代码, the 索引号 format and its own published
contacts (never reported by the personal-information scan)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from gongkai.audit.admin import AuditedAdminMixin
from gongkai.core.validity import AgencyLevel

from .models import RegistrySettings
from .services.base import DocumentError
from .services.registry import index_format_of


class RegistrySettingsForm(forms.ModelForm):
    level = forms.ChoiceField(
        label="行政层级",
        required=False,
        choices=[("", "（未填写）"), *((lv.value, lv.label) for lv in AgencyLevel)],
        help_text="决定可否制定规章：只有国务院部门和省级、设区的市级人民政府可以"
        "（《中华人民共和国立法法》第九十一条、第九十三条）",
    )

    class Meta:
        model = RegistrySettings
        fields = ("agency", "level", "credit_code", "index_format", "allowed_contacts")
        help_texts = {  # noqa: RUF012 - Django's Meta option
            "index_format": ("可用 {信用代码}、{年度}、{序号}，如 {信用代码}/{年度}-{序号:05d}"),
            "allowed_contacts": (
                "每行一项：本机关公开的电话、电子邮箱或地址；个人信息扫描不把它们当作个人信息"
            ),
        }

    def clean_index_format(self) -> str:
        value = self.cleaned_data["index_format"].strip()
        try:
            index_format_of(RegistrySettings(index_format=value))
        except DocumentError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


@admin.register(RegistrySettings)
class RegistrySettingsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = RegistrySettingsForm
    list_display = ("agency", "level_label", "credit_code", "index_format")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    search_fields = ("agency__name", "agency__code")

    @admin.display(description="行政层级")
    def level_label(self, obj: RegistrySettings) -> str:
        try:
            return AgencyLevel(obj.level).label
        except ValueError:
            return "（未填写）"

    def audit_agency(self, obj: Any) -> Any:
        return obj.agency
