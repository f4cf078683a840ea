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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail, to read and search; never to edit."""

    list_display = ("at", "actor", "agency", "action", "target", "message")
    list_filter = ("action", "target_type", ("at", admin.DateFieldListFilter), "agency")
    search_fields = ("message", "target_id")
    date_hierarchy = "at"
    list_select_related = ("actor", "agency")
    list_per_page = 50
    fields = (
        "at",
        "actor",
        "agency",
        "action",
        "target_type",
        "target_id",
        "message",
        "data",
        "ip",
    )
    readonly_fields = fields

    @admin.display(description="对象", ordering="target_id")
    def target(self, obj: AuditEntry) -> str:
        return f"{obj.target_type}#{obj.target_id}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
