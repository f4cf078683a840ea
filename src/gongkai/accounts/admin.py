"""Staff accounts, their roles in agencies, and API tokens in the admin.

Roles decide what a person may see (:mod:`gongkai.accounts.scope`), so every role granted or
withdrawn here is audited, whether on the role list or inline on the person. An API token is
issued by :meth:`ApiToken.issue`: the raw value is shown once, in a message, and only its
digest is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Field, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from gongkai.audit.admin import AuditedAdminMixin
from gongkai.core.workflow import Role

from .forms import StaffChangeForm, StaffCreationForm, StaffPasswordChangeForm
from .models import ApiToken, Membership, User

#: The user foreign keys of roles and tokens have no Chinese name of their own.
STAFF = "工作人员"
#: Permissions by their Django codename prefix.
PERMISSION_VERBS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def yes_no(value: bool) -> str:
    """A yes/no column as words (the admin's icons are labelled in English)."""
    return "是" if value else "否"


def when(value: datetime | None) -> str:
    """A time as the office reads it (local time, to the minute)."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def staff_label(field_name: str, db_field: Field, kwargs: dict[str, Any]) -> None:
    """Name the ``user`` field of a form “工作人员”."""
    if db_field.name == field_name:
        kwargs["label"] = STAFF


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """A permission named in Chinese: “用户与角色 | 角色 | 新增” (Django stores the names in
    English, “Can add membership”, when it creates them)."""

    def label_from_instance(self, obj: Permission) -> str:
        model = obj.content_type.model_class()
        verb = PERMISSION_VERBS.get(obj.codename.split("_", 1)[0], obj.name)
        if model is None:
            return f"{obj.content_type.app_label} | {obj.name}"
        app = model._meta.app_config.verbose_name
        return f"{app} | {model._meta.verbose_name} | {verb}"


def role_message(verb: str, obj: Membership) -> str:
    """The audit message of a role granted, changed or withdrawn."""
    verbs = {"add": "授予", "change": "修改", "delete": "撤销"}
    return f"管理后台{verbs[verb]}角色：{obj}"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ("agency", "role")
    autocomplete_fields = ("agency",)
    verbose_name = "角色"
    verbose_name_plural = "所在机关与角色"


@admin.register(User)
class StaffAdmin(AuditedAdminMixin, UserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    change_password_form = StaffPasswordChangeForm
    add_form_template = "admin/accounts/user/add_form.html"
    inlines = (MembershipInline,)
    list_display = ("username", "full_name", "email", "phone", "roles", "active", "staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "email", "phone")}),
        ("管理后台权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "phone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ("groups",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("memberships__agency")

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            # Django appends a hint about the Control and Command keys; the two-list widget
            # moves groups with its arrows.
            field.help_text = "该工作人员所属的组；组的管理后台权限都授予该工作人员。"
        return field

    @admin.display(description="有效", ordering="is_active")
    def active(self, obj: User) -> str:
        return yes_no(obj.is_active)

    @admin.display(description="可登录管理后台", ordering="is_staff")
    def staff(self, obj: User) -> str:
        return yes_no(obj.is_staff)

    def audit_agency(self, obj: Any) -> Any:
        return getattr(obj, "agency", None)  # a role is filed under its agency

    def get_inlines(self, request: HttpRequest, obj: User | None) -> tuple:
        return self.inlines if obj is not None else ()  # roles after the account exists

    @admin.display(description="角色")
    def roles(self, obj: User) -> str:
        return "；".join(
            f"{m.agency.short_name or m.agency.name}·{Role(m.role).label}"
            for m in obj.memberships.all()
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Save the inline roles, auditing each one granted, changed or withdrawn."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.audit(request, obj, "delete", message=role_message("delete", obj))
            obj.delete()
        changed = {o.pk for o, _ in formset.changed_objects}
        for obj in saved:
            verb = "change" if obj.pk in changed else "add"
            obj.save()
            self.audit(request, obj, verb, message=role_message(verb, obj))
        formset.save_m2m()


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("staff", "agency", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__name", "agency__code")
    list_select_related = ("user", "agency")
    autocomplete_fields = ("user", "agency")
    ordering = ("agency__path", "user__username", "role")

    def audit_agency(self, obj: Any) -> Any:
        return obj.agency

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        staff_label("user", db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=STAFF, ordering="user__username")
    def staff(self, obj: Membership) -> str:
        return str(obj.user)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "staff", "prefix_shown", "created", "last_used", "revoked_shown")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        if obj is None:
            return ("user", "name")
        return ("staff", "name", "prefix_shown", "digest_shown", "created", "last_used", "revoked")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        if obj is None:
            return ()
        return ("staff", "prefix_shown", "digest_shown", "created", "last_used")

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        staff_label("user", db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=STAFF, ordering="user__username")
    def staff(self, obj: ApiToken) -> str:
        return str(obj.user)

    @admin.display(description="令牌前缀", ordering="prefix")
    def prefix_shown(self, obj: ApiToken) -> str:
        return obj.prefix

    @admin.display(description="摘要（SHA-256）")
    def digest_shown(self, obj: ApiToken) -> str:
        return obj.digest

    @admin.display(description="签发时间", ordering="created_at")
    def created(self, obj: ApiToken) -> str:
        return when(obj.created_at)

    @admin.display(description="最近使用", ordering="last_used_at")
    def last_used(self, obj: ApiToken) -> str:
        return when(obj.last_used_at)

    @admin.display(description="已吊销", ordering="revoked")
    def revoked_shown(self, obj: ApiToken) -> str:
        return yes_no(obj.revoked)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        """On add, issue the token and show its raw value once; never store it."""
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = ApiToken.issue(obj.user, obj.name)
        obj.__dict__.update({k: v for k, v in token.__dict__.items() if k != "_state"})
        obj._state.adding, obj._state.db = False, token._state.db
        self.audit(request, obj, "add", message=f"管理后台为{obj.user}签发接口令牌“{obj}”")
        self.message_user(
            request,
            f"接口令牌已签发：{raw}　请立即复制保存，此值不会再次显示。",
            messages.WARNING,
        )

    @admin.action(description="吊销所选令牌")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked=False))
        for token in tokens:
            token.revoked = True
            token.save(update_fields=["revoked"])
            self.audit(request, token, "revoke", message=f"管理后台吊销接口令牌“{token}”")
        self.message_user(request, f"已吊销 {len(tokens)} 个接口令牌", messages.SUCCESS)


admin.site.unregister(Group)


@admin.register(Group)
class StaffGroupAdmin(AuditedAdminMixin, GroupAdmin):
    """Groups of admin permissions, each named in Chinese and limited to what the admin
    manages (the other models' permissions grant nothing anyone can use)."""

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name != "permissions":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        managed = [m for m in apps.get_models() if admin.site.is_registered(m)]
        shown = Q(pk__in=[])
        for model in managed:
            shown |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            )
        return PermissionChoiceField(
            queryset=Permission.objects.filter(shown)
            .select_related("content_type")
            .order_by("content_type__app_label", "content_type__model", "codename"),
            required=False,
            label="权限",
            help_text="组内的工作人员在管理后台可做的操作。",
            widget=FilteredSelectMultiple("权限", is_stacked=False),
        )
