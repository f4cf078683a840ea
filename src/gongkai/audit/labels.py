"""The Chinese names of what the audit trail records: actions, objects and data items.

Entries keep the codes (``letter.delivered``): they are stable, searchable and what the
services write. People read the names: the admin's list, filters and entry page show them
through :func:`action_label`, :func:`target_label` and :func:`data_rows`.

:data:`ACTIONS` is the one table of action codes. A code written by a service must have a
row here (``tests/web/test_admin.py`` collects every ``action="…"`` in the source and every
case event). Two families are named by rule instead of row by row:

- ``admin.<model>.<verb>``: a change made in the admin (:class:`~.admin.AuditedAdminMixin`),
  named from the verb and the model's own Chinese name, e.g. “管理后台新增机关”;
- ``report.<step>``: a step on an annual report, whose step the reports services already
  write in Chinese (``report.生成草稿``), e.g. “年度报告：生成草稿”.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

#: Every action code a service writes, and its name.
ACTIONS: dict[str, str] = {
    # Logins (gongkai.accounts.login_throttle)
    "auth.login_failed": "登录失败",
    "auth.locked": "暂停登录",
    # The working calendar (gongkai.cases.services.calendar)
    "calendar.recomputed": "按新工作日历重算期限",
    # Applications: registration and reads of personal data (gongkai.cases)
    "case.registered": "登记申请",
    "case.attached": "上传材料",
    "case.identity_viewed": "查看申请人身份信息",
    "case.file_downloaded": "下载申请材料",
    "case.applicant_searched": "按申请人查找申请",
    "case.applicant_notified": "通知申请人",
    "case.remedy": "记录行政复议、行政诉讼",
    # Applications: each step of the timeline, ``case.<event kind>`` (gongkai.cases.services)
    "case.received": "收到申请",
    "case.correction_requested": "发出补正告知",
    "case.correction_received": "收到补正后的申请",
    "case.correction_lapsed": "逾期未补正",
    "case.routed": "转办/协查",
    "case.department_answered": "承办部门回复意见",
    "case.consultation_sent": "发出征求意见函",
    "case.consultation_answered": "收到征求意见回复",
    "case.extended": "延期答复",
    "case.secrecy_reviewed": "保密审查",
    "case.drafted": "拟定答复",
    "case.draft_returned": "退回修改答复",
    "case.approved": "审签",
    "case.replied": "答复送达",
    "case.withdrawn": "申请人撤回",
    "case.reopened": "重新办理",
    "case.archived": "归档",
    "case.fee_notice_sent": "发出收费通知",
    "case.fee_notice_received": "申请人收到收费通知",
    "case.fee_paid": "申请人缴费",
    "case.fee_lapsed": "逾期未缴费",
    "case.letter_issued": "制作文书",
    "case.delivered": "送达",
    "case.delivery_returned": "送达退回",
    # Letters (gongkai.letters)
    "letter.issued": "制作文书",
    "letter.opened": "查看文书",
    "letter.previewed": "预览文书草稿",
    "letter.delivered": "文书送达",
    "letter.delivery_returned": "文书送达退回",
    "letter_template.saved": "修改文书模板",
    # The public portal (gongkai.portal)
    "portal.submitted": "提交网上申请",
    "portal.registered": "网上申请登记为申请",
    "portal.rejected": "网上申请未予登记",
    "portal.viewed": "查看网上申请",
    "portal.proof_downloaded": "下载网上申请身份证明",
    # Annual reports (gongkai.reports)
    "report.amendment": "更正已发布年度的数据",
    "report.amendment_acknowledged": "确认年报更正",
    # The document registry (gongkai.documents)
    "document.created": "新建政府文件",
    "document.updated": "修改政府文件",
    "document.attached": "上传文件附件",
    "document.attachment_removed": "删除文件附件",
    "document.submitted": "提交发布前审查",
    "document.secrecy_reviewed": "文件保密审查",
    "document.scanned": "个人信息扫描",
    "document.basis_recorded": "记录个人信息公开依据",
    "document.signed_off": "签发文件",
    "document.published": "发布文件",
    "document.returned": "退回文件",
    "document.taken_down": "撤下已发布文件",
    "document.validity_changed": "变更文件效力",
    "document.validity_refreshed": "文件效力按日期变更",
    "document.cleanup": "文件清理",
    "document.cleanup_published": "公布文件清理结果",
    "document.imported": "导入政府文件",
    "document.interpretation_saved": "保存政策解读",
    "document.chain_step_saved": "保存政策环节",
    "document.catalogue_imported": "导入主动公开事项目录",
    "document.catalogue_published": "发布主动公开事项目录",
    "document.catalogue_mapped": "文件对应目录事项",
    "document.patrol": "已公开信息安全巡查",
    "document.patrol_decided": "巡查整改处理",
    "document.settings_saved": "保存文件库设置",
    "letter.attachment_scanned": "答复附件个人信息扫描",
    # Scheduled and maintenance runs
    "reminders.sent": "发送期限提醒",
    "keys.rotated": "轮换身份信息加密密钥",
}

#: Verbs of the admin family ``admin.<model>.<verb>``.
ADMIN_VERBS: dict[str, str] = {"add": "新增", "change": "修改", "delete": "删除", "revoke": "吊销"}

#: Objects with no model of their own (the search and the key are recorded by name).
TARGETS: dict[str, str] = {"applicant_search": "申请人查找", "field_key": "字段密钥"}

#: The items of an entry's data, by key.
DATA_ITEMS: dict[str, str] = {
    "amount_yuan": "金额（元）",
    "answer": "意见",
    "approved_by": "批准人",
    "attachment": "材料编号",
    "by_model": "各类数据行数",
    "case": "申请编号",
    "cases": "涉及申请",
    "changed": "有变化的件数",
    "channel": "收到渠道",
    "channels": "通知方式",
    "checked": "检查件数",
    "complete": "已全部完成",
    "count": "件数",
    "day": "日期",
    "deferred": "留待定时任务的件数",
    "delivery": "送达记录编号",
    "doc_type": "文书种类",
    "dropped_keys": "删除的旧密钥数",
    "due": "期限",
    "emails": "邮件数",
    "errors": "错误数",
    "failed": "失败",
    "fields": "修改的项目",
    "items": "提醒事项数",
    "kind": "类别",
    "known_user": "用户名存在",
    "letter": "文书",
    "matched_by": "查找依据",
    "method": "方式",
    "new_key": "新密钥指纹",
    "no_email": "无邮箱人数",
    "outcome": "答复结果",
    "party": "被征求意见方",
    "passed": "审查通过",
    "receipt_number": "收据号",
    "received_on": "收到日期",
    "reply_by": "补正期限",
    "result": "结果",
    "rows_changed": "重新加密行数",
    "rows_seen": "检查行数",
    "scope": "暂停范围",
    "search_digests_changed": "更正查找摘要的件数",
    "sha256": "SHA-256 摘要",
    "since": "自该日起",
    "size": "大小（字节）",
    "sms": "短信数",
    "status": "之后状态",
    "template_version": "模板版本",
    "unit": "承办单位",
    "unit_id": "承办单位编号",
    "until": "暂停至",
    "username": "用户名",
    "values_changed": "重新加密的值",
    "version": "版本",
    "warnings": "提示数",
    "working_days": "工作日数",
}

#: Data values that are codes of no model field, by item: how a notice went out, what a
#: search matched, which login limit was reached (gongkai.accounts.login_throttle).
DATA_VALUES: dict[str, dict[str, str]] = {
    "channels": {"email": "电子邮件", "sms": "短信"},
    "matched_by": {"name": "姓名", "phone": "电话"},
    "scope": {"account+address": "该账户在该地址", "account": "该账户", "address": "该地址"},
}


def action_label(code: str) -> str:
    """The name of an action code; an unknown code is shown as it is."""
    if code in ACTIONS:
        return ACTIONS[code]
    family, _, rest = code.partition(".")
    if family == "report" and rest:
        return f"年度报告：{rest}"
    if family == "admin":
        model_name, _, verb = rest.rpartition(".")
        model = _model(model_name)
        if model is not None and verb in ADMIN_VERBS:
            return f"管理后台{ADMIN_VERBS[verb]}{model._meta.verbose_name}"
    return code


def action_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) for a filter, by name; codes sharing a name are listed once each."""
    return sorted(((c, action_label(c)) for c in set(codes)), key=lambda cn: (cn[1], cn[0]))


def target_type_label(target_type: str) -> str:
    """The Chinese name of a kind of object (a model's own name)."""
    if target_type in TARGETS:
        return TARGETS[target_type]
    model = _model(target_type)
    return str(model._meta.verbose_name) if model is not None else target_type


def target_label(target_type: str, target_id: str) -> str:
    """The object of an entry, e.g. “申请 #12”; a search names what it matched."""
    if target_type == "applicant_search":
        matched = "、".join(_value(None, "matched_by", k) for k in target_id.split("+"))
        return f"{TARGETS[target_type]}（{matched}）"
    return f"{target_type_label(target_type)} #{target_id}"


def data_rows(target_type: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The entry's data as (item, value) rows in Chinese; codes are shown by their names."""
    model = _model(target_type)
    return [(DATA_ITEMS.get(key, key), _value(model, key, value)) for key, value in data.items()]


def _value(model: type[models.Model] | None, key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(_value(model, key, v) for v in value) or "—"
    if isinstance(value, dict):  # rows by model, keyed "cases.Case"
        return "；".join(f"{_label_name(str(k))} {_value(None, '', v)}" for k, v in value.items())
    if key == "fields" and model is not None:
        return _field_name(model, str(value))
    text = str(value)
    if key == "failed":  # "cases.Case #12 姓名": a value no key decrypts
        label, _, rest = text.partition(" ")
        return f"{_label_name(label)} {rest}".strip()
    known = DATA_VALUES.get(key, {}).get(text)
    return known or _choices(model, key).get(text) or text


#: Admin form fields that are no model field.
FORM_FIELDS: dict[str, str] = {
    "password1": "密码",
    "password2": "确认密码",
    "usable_password": "密码登录",
}


def _field_name(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return FORM_FIELDS.get(name, name)


def _label_name(label: str) -> str:
    """The Chinese name of a model given as ``app_label.Model``; else the text as it is."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@cache
def _models() -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        found.setdefault(model._meta.model_name, model)
    return found


def _model(model_name: str) -> type[models.Model] | None:
    return _models().get(model_name)


def _choices(model: type[models.Model] | None, key: str) -> dict[str, str]:
    """The names of a field's codes: the object's own field first, else a field of that name
    on any model, when all of those agree on the name of a code."""
    if model is not None:
        own = _field_choices(model, key)
        if own:
            return own
    return _shared_choices(key)


def _field_choices(model: type[models.Model], key: str) -> dict[str, str]:
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return {}
    return {str(k): str(v) for k, v in (getattr(field, "flatchoices", None) or [])}


@cache
def _shared_choices(key: str) -> dict[str, str]:
    names: dict[str, set[str]] = {}
    for model in _models().values():
        for code, name in _field_choices(model, key).items():
            names.setdefault(code, set()).add(name)
    return {code: next(iter(n)) for code, n in names.items() if len(n) == 1}
