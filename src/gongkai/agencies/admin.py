"""The agency tree in the admin: listed in tree order, indented by depth."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from gongkai.audit.admin import AuditedAdminMixin

from .models import Agency

INDENT = "　"  # an ideographic space per level


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = (
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "handles_applications",
            "office_name",
            "reconsideration_body",
            "court",
            "address",
            "phone",
        )
        help_texts = {  # noqa: RUF012 - Django's Meta option
            "code": "用于申请编号的前缀，2–12 位大写字母或数字，一般取机关简称的汉语拼音首字母",
        }

    def clean_parent(self) -> Agency | None:
        """Refuse a parent that is the agency itself or one of its descendants."""
        parent = self.cleaned_data.get("parent")
        own = self.instance.path if self.instance.pk else ""
        if parent is not None and own and parent.path.startswith(own):
            raise forms.ValidationError("上级机关不能是本机关或其下级机关")
        return parent


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = AgencyForm
    list_display = ("indented_name", "code", "kind", "parent", "handles")
    list_filter = ("kind", "handles_applications")
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    list_per_page = 200
    fieldsets = (
        (None, {"fields": ("name", "short_name", "code", "kind", "parent")}),
        ("依申请公开", {"fields": ("handles_applications", "office_name")}),
        ("救济途径", {"fields": ("reconsideration_body", "court")}),
        ("联系方式", {"fields": ("address", "phone")}),
    )

    @admin.display(description="名称", ordering="path")
    def indented_name(self, obj: Agency) -> str:
        return INDENT * obj.depth + obj.name

    @admin.display(description="受理依申请公开", ordering="handles_applications")
    def handles(self, obj: Agency) -> str:
        """是/否 in words: the admin's yes/no icons are labelled in English."""
        return "是" if obj.handles_applications else "否"

    def audit_agency(self, obj: Any) -> Agency | None:
        """Filed under the parent: an entry pointing at the agency itself would keep it from
        ever being deleted (audit entries protect their agency)."""
        return obj.parent if obj.parent_id else None
