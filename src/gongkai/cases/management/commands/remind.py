"""``remind``: refresh the clocks of open cases and send the day's deadline reminders.

Run daily from cron (``gongkai remind`` / ``python -m django remind``). The deadlines are
those of 《政府信息公开条例》第三十三条; see :mod:`gongkai.cases.reminders`.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.cases.reminders import Message, RunResult, run_reminders


def parse_day(text: str) -> date:
    """``--today``: a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期“{text}”不是 YYYY-MM-DD 格式") from exc


class Command(BaseCommand):
    help = "期限提醒：刷新在办申请的计时，向相关工作人员发送临近期限和已超期提醒（每日运行）"
    # Runs even when a system check fails (e.g. a short calendar): the summary says so.
    requires_system_checks: list[str] = []  # noqa: RUF012

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不写入任何数据"
        )
        parser.add_argument(
            "--today",
            type=parse_day,
            metavar="YYYY-MM-DD",
            help="按该日期判断期限（用于测试或补发；计时刷新仍按当天）",
        )
        parser.add_argument("--quiet", action="store_true", help="不输出汇总，只在出错时输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = run_reminders(options["today"], dry_run=options["dry_run"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"] and not options["quiet"]:
            for m in result.messages:
                self._list(m)
        if not options["quiet"]:
            for line in result.summary():
                self.stdout.write(line)
        self._warn(result)

    def _list(self, m: Message) -> None:
        sms = bool(settings.GONGKAI_SMS_HOOK) and bool(m.user.phone)
        channels = "、".join(c for c, ok in (("邮件", bool(m.user.email)), ("短信", sms)) if ok)
        self.stdout.write(f"将通知 {m.user}（{m.user.username}，{channels or '无联系方式'}）：")
        for item in m.items:
            self.stdout.write(f"  [{item.level.label}] {item.text}")

    def _warn(self, result: RunResult) -> None:
        if result.failed:
            self.stderr.write(f"有 {result.failed} 人的提醒发送失败，下次运行时重试")
