"""Staff accounts, their roles in agencies, and API tokens in the admin.

Roles decide what a person may see (:mod:`gongkai.accounts.scope`), so every role granted or
withdrawn here is audited, whether on the role list or inline on the person. An API token is
issued by :meth:`ApiToken.issue`: the raw value is shown once, in a message, and only its
digest is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.audit.admin import AuditedAdminMixin
from gongkai.core.workflow import Role

from .models import ApiToken, Membership, User


class StaffCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email", "phone")


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


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
    inlines = (MembershipInline,)
    list_display = ("username", "full_name", "email", "phone", "roles", "is_active", "is_staff")
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
    list_display = ("user", "agency", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__name", "agency__code")
    list_select_related = ("user", "agency")
    autocomplete_fields = ("user", "agency")
    ordering = ("agency__path", "user__username", "role")

    def audit_agency(self, obj: Any) -> Any:
        return obj.agency


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix", "digest", "created_at", "last_used_at", "revoked")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        if obj is None:
            return ()
        return ("user", "prefix", "digest", "created_at", "last_used_at")

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
