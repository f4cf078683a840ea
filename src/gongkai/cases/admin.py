"""A read-only registry of cases for platform superusers.

Cases change only through the staff pages and their services (:mod:`gongkai.cases.services`),
which check roles and the workflow and write the timeline and the audit trail; so nothing can
be added, changed or deleted here. The applicants' identity data is never loaded or shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Case, Reminder
from .selectors import IDENTITY_COLUMNS


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Visible to platform superusers only, and only to read."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseRegistryAdmin(SuperuserReadOnlyAdmin):
    list_display = ("number", "agency", "status", "received_on", "due_on", "card")
    list_filter = ("status", "card", "channel", "applicant_kind")
    search_fields = ("number",)
    date_hierarchy = "received_on"
    list_select_related = ("agency",)
    ordering = ("-received_on", "-id")
    fields = (
        "number",
        "agency",
        "status",
        "channel",
        "received_on",
        "applicant_kind",
        "due_on",
        "card",
        "clock_note",
        "clock_as_of",
        "outcome",
        "replied_on",
        "closed_on",
        "registered_by",
        "created_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return super().get_queryset(request).defer(*IDENTITY_COLUMNS)


@admin.register(Reminder)
class ReminderAdmin(SuperuserReadOnlyAdmin):
    """The deadline reminders sent by the daily run (``gongkai remind``)."""

    list_display = ("day", "kind", "level", "case", "ref", "recipient", "due_on", "sent_at")
    list_filter = ("kind", "level", "day")
    search_fields = ("case__number", "recipient__username", "recipient__full_name")
    date_hierarchy = "day"
    list_select_related = ("case", "recipient")
    fields = ("day", "kind", "level", "case", "ref", "assignment", "recipient", "due_on", "sent_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reminder]:
        qs = super().get_queryset(request).select_related("case", "recipient")
        return qs.defer(*(f"case__{c}" for c in IDENTITY_COLUMNS))
