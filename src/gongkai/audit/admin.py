"""The audit trail in the admin: read only; and the mixin other admins use to write to it.

Entries are append-only (:class:`~gongkai.audit.models.AuditEntry`): nobody may add, change
or delete one here, not even a superuser. Admins that change data of consequence (the agency
tree, roles, API tokens, the working-day calendar) inherit :class:`AuditedAdminMixin`, so
every save and delete made in the admin leaves an entry like the services' own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from . import labels
from .models import AuditEntry
from .net import client_ip
from .services import audit_record

_VERBS = {"add": "新增", "change": "修改", "delete": "删除"}


class AuditedAdminMixin:
    """Write an audit entry for every add, change and delete made through this admin."""

    def audit_agency(self, obj: models.Model) -> Any:
        """The agency the entry is filed under (none by default)."""
        return None

    def audit(
        self,
        request: HttpRequest,
        obj: models.Model,
        verb: str,
        *,
        message: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        """Append one entry ``admin.<model>.<verb>`` for ``obj``."""
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.{verb}",
            target=obj,
            agency=self.audit_agency(obj),
            message=message or f"管理后台{_VERBS.get(verb, verb)}{obj._meta.verbose_name}“{obj}”",
            data=data,
            ip=client_ip(request),
        )

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        fields = sorted(getattr(form, "changed_data", []))
        self.audit(request, obj, "change" if change else "add", data={"fields": fields})

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self.audit(request, obj, "delete")
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.audit(request, obj, "delete")
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, listed by name (the codes stay in the entries)."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.values_list("action", flat=True).distinct()
        return labels.action_choices(codes)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(action=self.value()) if self.value() else queryset


class TargetTypeFilter(admin.SimpleListFilter):
    """Filter by the kind of object, listed by its Chinese name."""

    title = "对象类型"
    parameter_name = "target_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = AuditEntry.objects.values_list("target_type", flat=True).distinct()
        return sorted(((k, labels.target_type_label(k)) for k in set(kinds)), key=lambda x: x[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(target_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail, to read and search; never to edit. Actions, objects and data are shown by
    their Chinese names (:mod:`.labels`)."""

    list_display = ("at", "actor", "agency", "action_name", "target", "message")
    list_filter = (ActionFilter, TargetTypeFilter, ("at", admin.DateFieldListFilter), "agency")
    search_fields = ("message", "target_id")
    date_hierarchy = "at"
    list_select_related = ("actor", "agency")
    list_per_page = 50
    fields = ("at", "actor", "agency", "action_name", "target", "message", "data_table", "ip")
    readonly_fields = fields

    @admin.display(description="操作", ordering="action")
    def action_name(self, obj: AuditEntry) -> str:
        return labels.action_label(obj.action)

    @admin.display(description="对象", ordering="target_id")
    def target(self, obj: AuditEntry) -> str:
        return labels.target_label(obj.target_type, obj.target_id)

    @admin.display(description="数据")
    def data_table(self, obj: AuditEntry) -> str:
        rows = labels.data_rows(obj.target_type, obj.data or {})
        if not rows:
            return "—"
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
