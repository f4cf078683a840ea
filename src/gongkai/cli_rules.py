"""``gongkai deadline`` and ``gongkai fee``: the statutory rules at the command line.

``gongkai deadline RECEIVED_DATE [--working-days N]`` prints the ISO date of the N-th working
day counting from the day after RECEIVED_DATE (default 20, 《政府信息公开条例》第三十三条).
When a database is configured (``DATABASE_URL`` set, or the default SQLite file in
``GONGKAI_DATA_DIR`` exists) and migrated, the year notices and single-day corrections entered
there count; otherwise the ``chinesecalendar`` package's years. Past the last official year
the date is provisional (weekends and statutory holidays off, no 调休): it is still printed,
and standard error says it is 暂定.
``gongkai fee per-request --nth K`` and ``gongkai fee per-page --pages P`` print a fee in
yuan (国办函〔2020〕109号). Errors go to standard error with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from .core.calendar import CalendarError, WorkingCalendar, official_calendar
from .core.deadlines import REPLY_WORKING_DAYS
from .core.fees import FeeCalculation, FeeError, per_page, per_request

EXIT_OK, EXIT_UNUSABLE = 0, 2


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``deadline`` and ``fee`` on the top-level parser's subcommands."""
    dl = sub.add_parser(
        "deadline",
        help="按工作日（含调休）计算答复期限",
        description="按工作日（含调休）计算答复期限",
    )
    dl.add_argument("received", metavar="收到日期", help="收到申请日期，如 2025-09-30")
    dl.add_argument(
        "--working-days",
        default=str(REPLY_WORKING_DAYS),
        metavar="天数",
        help=f"工作日数（默认 {REPLY_WORKING_DAYS}，自收到次日起算）",
    )
    dl.set_defaults(func=cmd_deadline)
    fee = sub.add_parser(
        "fee",
        help="信息处理费（国办函〔2020〕109号）",
        description="信息处理费（国办函〔2020〕109号）",
    )
    fsub = fee.add_subparsers(title="计费方式", metavar="计费方式", help="以下之一")
    pr = fsub.add_parser(
        "per-request",
        help="按件计收：本月第 K 件申请的费用",
        description="按件计收：本月第 K 件申请的费用",
    )
    pr.add_argument("--nth", required=True, metavar="件次", help="该申请人本月第几件申请")
    pr.add_argument("--explain", action="store_true", help="同时输出计算过程")
    pr.set_defaults(func=cmd_fee_per_request)
    pp = fsub.add_parser(
        "per-page", help="按量计收：P 页的费用", description="按量计收：P 页的费用"
    )
    pp.add_argument("--pages", required=True, metavar="页数", help="页数")
    pp.add_argument("--explain", action="store_true", help="同时输出计算过程")
    pp.set_defaults(func=cmd_fee_per_page)


def _fail(message: str) -> int:
    print(f"gongkai：{message}", file=sys.stderr)
    return EXIT_UNUSABLE


def _whole(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{what}应为整数，收到“{text}”") from None


def database_configured() -> bool:
    """Whether the platform has a database: ``DATABASE_URL``, or the default SQLite file."""
    if os.environ.get("DATABASE_URL", "").strip():
        return True
    data = Path(os.environ.get("GONGKAI_DATA_DIR", "data")).resolve()
    return (data / "gongkai.sqlite3").is_file()


def _database_calendar() -> WorkingCalendar | None:
    """The calendar with the notices and corrections entered in the database, or None when
    the database has no calendar tables yet (not migrated)."""
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.project.settings")
    import django

    django.setup()
    from django.db import connection

    from .rules.models import HolidayNotice
    from .rules.selectors import working_calendar

    if HolidayNotice._meta.db_table not in connection.introspection.table_names():
        return None
    return working_calendar()


def deadline_calendar() -> tuple[WorkingCalendar, str]:
    """The calendar ``gongkai deadline`` counts on, and a warning for standard error."""
    if database_configured():
        try:
            cal = _database_calendar()
        except CalendarError:
            raise
        except Exception as exc:  # an unreachable or misconfigured database
            return official_calendar(), f"未能读取数据库中的工作日历（{exc}），改用软件包内置日历"
        if cal is not None:
            return cal, ""
    return official_calendar(), ""


def cmd_deadline(args: argparse.Namespace) -> int:
    try:
        received = date.fromisoformat(args.received.strip())
    except ValueError:
        return _fail(f"日期“{args.received}”无效，应为 YYYY-MM-DD 格式的有效日期")
    try:
        n = _whole(args.working_days, "工作日数")
        if n < 1:
            return _fail(f"工作日数应为正整数，收到 {n}")
        cal, warning = deadline_calendar()
        if warning:
            print(f"gongkai：{warning}", file=sys.stderr)
        due = cal.add_working_days(received, n)
    except (CalendarError, ValueError) as exc:
        return _fail(str(exc))
    print(due.isoformat())
    if cal.is_provisional(due):
        last = cal.coverage[1]
        print(
            f"gongkai：该期限为暂定：工作日历只到 {last}，{last.year + 1} 年起按周末和法定节假日"
            "推算（未计调休）；录入国务院公布的放假安排后以其为准",
            file=sys.stderr,
        )
    return EXIT_OK


def _print_fee(calc: FeeCalculation, explain: bool) -> int:
    print(calc.total_yuan)
    if explain:
        print(calc.explain())
    return EXIT_OK


def cmd_fee_per_request(args: argparse.Namespace) -> int:
    try:
        return _print_fee(per_request(_whole(args.nth, "申请序号（--nth）")), args.explain)
    except (FeeError, ValueError) as exc:
        return _fail(str(exc))


def cmd_fee_per_page(args: argparse.Namespace) -> int:
    try:
        return _print_fee(per_page(_whole(args.pages, "页数（--pages）")), args.explain)
    except (FeeError, ValueError) as exc:
        return _fail(str(exc))
