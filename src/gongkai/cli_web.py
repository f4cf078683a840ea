"""The web platform's commands: thin wrappers over Django's management commands.

``gongkai serve`` (gunicorn; ``--demo`` first migrates and loads the demo data, ``--dev``
serves with Django's development server instead), ``gongkai demo``,
``gongkai migrate``, ``gongkai createsuperuser``, ``gongkai remind``, ``gongkai housekeep``,
``gongkai check``,
``gongkai genkey`` and ``gongkai manage …`` (any other Django command).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

SETTINGS = "gongkai.project.settings"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _call(name: str, *args: str, **options: Any) -> int:
    _django()
    from django.core.management import call_command

    call_command(name, *args, **options)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    return _call("migrate", interactive=False, verbosity=0 if args.quiet else 1)


def cmd_demo(args: argparse.Namespace) -> int:
    _call("migrate", interactive=False, verbosity=0)
    from gongkai.cases.models import Case
    from gongkai.portal.models import OnlineApplication
    from gongkai.project.demo import DEMO_CODES, DEMO_PASSWORD, PEOPLE, load_demo

    load_demo()
    print("示例数据已就绪：示范市人民政府及其部门、各角色用户、30 余件申请。")
    print(f"示例用户（密码均为 {DEMO_PASSWORD}）：")
    for username, name, code, roles in PEOPLE:
        what = "、".join(r.label for r in roles) or "平台管理员"
        print(f"  {username:6} {name}  {code or ''} {what}")
    online = OnlineApplication.objects.filter(status="submitted").order_by("pk").first()
    replied = Case.objects.filter(agency__code="SFJY", status="replied").order_by("pk").first()
    print("公众申请平台 /portal/ 可用以下编号和查询码试查：")
    if replied is not None:
        print(f"  {replied.number}  查询码 {DEMO_CODES['replied']}（已答复，可下载答复书）")
    if online is not None:
        print(f"  {online.number}  查询码 {DEMO_CODES['online']}（网上提交，待机关登记）")
    return 0


def _startup_checks() -> int:
    """Django's system checks before serving: errors (say, keys that cannot decrypt the stored
    identity data, or a data directory that cannot be written) stop the start with their
    Chinese message and a non-zero exit, instead of a server that answers 500."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check")
    except SystemCheckError as exc:
        print(f"无法启动：配置检查未通过。\n{exc}", file=sys.stderr)
        return 2
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if args.demo:
        cmd_demo(args)
    else:
        _call("migrate", interactive=False, verbosity=0)
    if _startup_checks():
        return 2
    from django.conf import settings

    from gongkai.project.demo import DEMO_PASSWORD

    addr = f"{args.host}:{args.port}"
    print(
        f"\n打开 http://{addr}/ ，以 zhang / {DEMO_PASSWORD} 登录（登记员），"
        f"或 wang（负责人）、zhao（承办人）、admin（管理员）。按 Ctrl+C 停止。\n"
        if args.demo
        else f"\n网站已在 http://{addr}/ 启动。按 Ctrl+C 停止。\n",
        flush=True,
    )
    if args.dev:
        return _call("runserver", addr, use_reloader=False, skip_checks=True)
    from gongkai.project.serving import ServeOptions, serve

    serve(
        ServeOptions(
            host=args.host,
            port=int(args.port),
            workers=args.workers,
            threads=args.threads,
            access_log=args.access_log,
            trusted_proxies=tuple(settings.GONGKAI_TRUSTED_PROXIES),
        )
    )
    return 0


def cmd_createsuperuser(args: argparse.Namespace) -> int:
    return _call("createsuperuser")


def cmd_remind(args: argparse.Namespace) -> int:
    extra = [
        *(["--dry-run"] if args.dry_run else []),
        *(["--today", args.today] if args.today else []),
    ]
    return _call("remind", *extra)


def cmd_housekeep(args: argparse.Namespace) -> int:
    return _call("housekeep", *(["--dry-run"] if args.dry_run else []))


def cmd_check(args: argparse.Namespace) -> int:
    from django.core.management.base import SystemCheckError

    try:
        return _call("check", *(["--deploy"] if args.deploy else []))
    except SystemCheckError as exc:
        print(f"配置检查未通过。\n{exc}", file=sys.stderr)
        return 1


def cmd_genkey(args: argparse.Namespace) -> int:
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode("ascii"))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *args.rest])
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”")
    return value


def add_commands(sub: Any) -> None:
    """Register the web commands on the ``gongkai`` parser's subcommands."""
    p = sub.add_parser("serve", help="启动网站（gunicorn 生产服务器；--dev 为开发服务器）")
    p.add_argument("--demo", action="store_true", help="先建库并载入示例数据")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--workers", type=_positive, default=0, help="工作进程数（默认每核 1 个，2 至 8 个）"
    )
    p.add_argument("--threads", type=_positive, default=4, help="每个进程的线程数（默认 4）")
    p.add_argument("--access-log", metavar="FILE", help="访问日志文件（- 为标准输出）")
    p.add_argument("--dev", action="store_true", help="用 Django 开发服务器（仅供开发）")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("demo", help="建库并载入示例数据（已有数据时不重复载入）")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("migrate", help="建立或升级数据库")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("createsuperuser", help="创建平台管理员")
    p.set_defaults(func=cmd_createsuperuser)
    p = sub.add_parser("remind", help="发送临期、逾期提醒（供定时任务每日运行）")
    p.add_argument("--dry-run", action="store_true", help="只列出，不发送")
    p.add_argument("--today", help="按指定日期（YYYY-MM-DD）计算")
    p.add_argument("--quiet", action="store_true", help="只输出汇总")
    p.set_defaults(func=cmd_remind)
    p = sub.add_parser("housekeep", help="清理过期会话和无主文件（供定时任务每小时运行）")
    p.add_argument("--dry-run", action="store_true", help="只列出，不删除")
    p.set_defaults(func=cmd_housekeep)
    p = sub.add_parser("check", help="检查配置（工作日历覆盖、密钥等）")
    p.add_argument("--deploy", action="store_true", help="按生产部署要求检查")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("genkey", help="生成身份信息加密密钥（GONGKAI_FIELD_KEYS）")
    p.set_defaults(func=cmd_genkey)
    p = sub.add_parser("manage", help="其他 Django 管理命令，如 gongkai manage shell")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
