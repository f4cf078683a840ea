"""The web platform's commands: thin wrappers over Django's management commands.

``gongkai serve`` (gunicorn; ``--demo`` first migrates and loads the demo data, ``--dev``
serves with Django's development server instead), ``gongkai demo``,
``gongkai migrate``, ``gongkai createsuperuser``, ``gongkai remind``, ``gongkai housekeep``,
``gongkai check``, ``gongkai documents import`` (an agency's existing 文件库, JSON Lines),
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


#: The levels of Django's system checks, in Chinese.
CHECK_LEVELS = ((50, "严重错误"), (40, "错误"), (30, "警告"), (20, "提示"), (10, "调试"))
_HTTPS = "部署在 HTTPS 之后时设置 GONGKAI_HTTPS=1（启用安全 Cookie、HSTS 与 https 跳转）"
#: Django's deployment checks that this platform's settings answer, in Chinese: (message,
#: what to do). Checks not listed keep Django's own (English) wording.
DJANGO_CHECKS: dict[str, tuple[str, str]] = {
    "security.W004": ("未启用 HSTS：浏览器不会被要求只用 HTTPS 访问本站", _HTTPS),
    "security.W005": ("HSTS 未包括子域名", _HTTPS),
    "security.W008": ("用 http 访问时不会转到 https", _HTTPS),
    "security.W012": ("会话 Cookie 未限定只经 HTTPS 发送，可能在网络中被截获", _HTTPS),
    "security.W016": ("防跨站请求（CSRF）Cookie 未限定只经 HTTPS 发送", _HTTPS),
    "security.W021": ("HSTS 未设置预加载", _HTTPS),
    "security.W018": ("生产环境开启了调试模式", "去掉 GONGKAI_DEBUG 设置"),
    "security.W020": ("没有设置允许访问的主机名", "设置 GONGKAI_ALLOWED_HOSTS（本站的域名）"),
    "security.W009": (
        "密钥（SECRET_KEY）太短或太简单",
        "设置足够长的随机 GONGKAI_SECRET_KEY，或删除数据目录中的 secret_key 由系统重新生成",
    ),
}


def system_check(*, deploy: bool = False) -> tuple[bool, str]:
    """Run Django's system checks; (whether none is an error, the report in Chinese). The
    report lists each problem with its level, check id, message and hint; Django's own
    ``check`` command words its frame in English."""
    _django()
    from django.core import checks

    found = [m for m in checks.run_checks(include_deployment_checks=deploy) if not m.is_silenced()]
    lines = []
    for m in sorted(found, key=lambda m: -m.level):
        level = next((name for at, name in CHECK_LEVELS if m.level >= at), "提示")
        msg, hint = DJANGO_CHECKS.get(m.id or "", (m.msg, m.hint))
        lines.append(f"[{level}] {m.id}：{msg}")
        if hint:
            lines.append(f"    处理办法：{hint}")
    lines.append(f"配置检查发现 {len(found)} 个问题。" if found else "配置检查未发现问题。")
    return not any(m.is_serious() for m in found), "\n".join(lines)


def _startup_checks() -> int:
    """Django's system checks before serving: errors (say, keys that cannot decrypt the stored
    identity data, or a data directory that cannot be written) stop the start with their
    Chinese message and a non-zero exit, instead of a server that answers 500. Warnings are
    shown and the start goes on."""
    ok, report = system_check()
    if not ok:
        print(f"无法启动：配置检查未通过。\n{report}", file=sys.stderr)
        return 2
    if "配置检查未发现问题" not in report:
        print(report, file=sys.stderr)
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


def cmd_documents_import(args: argparse.Namespace) -> int:
    from django.core.management.base import CommandError

    extra = ["--agency", args.agency, *(["--dry-run"] if args.dry_run else [])]
    try:
        return _call("documents_import", args.file, *extra)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1


def cmd_check(args: argparse.Namespace) -> int:
    ok, report = system_check(deploy=args.deploy)
    print(report, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


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
    p = sub.add_parser(
        "serve",
        help="启动网站（gunicorn 生产服务器；--dev 为开发服务器）",
        description="启动网站（gunicorn 生产服务器；--dev 为开发服务器）",
    )
    p.add_argument("--demo", action="store_true", help="先建库并载入示例数据")
    p.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000）")
    p.add_argument(
        "--workers",
        type=_positive,
        default=0,
        metavar="进程数",
        help="工作进程数（默认每核 1 个，2 至 8 个）",
    )
    p.add_argument(
        "--threads", type=_positive, default=4, metavar="线程数", help="每个进程的线程数（默认 4）"
    )
    p.add_argument("--access-log", metavar="文件", help="访问日志文件（- 为标准输出）")
    p.add_argument("--dev", action="store_true", help="用 Django 开发服务器（仅供开发）")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser(
        "demo",
        help="建库并载入示例数据（已有数据时不重复载入）",
        description="建库并载入示例数据（已有数据时不重复载入）",
    )
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("migrate", help="建立或升级数据库", description="建立或升级数据库")
    p.add_argument("--quiet", action="store_true", help="不逐项输出")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("createsuperuser", help="创建平台管理员", description="创建平台管理员")
    p.set_defaults(func=cmd_createsuperuser)
    p = sub.add_parser(
        "remind",
        help="发送临期、逾期提醒（供定时任务每日运行）",
        description="发送临期、逾期提醒（供定时任务每日运行）",
    )
    p.add_argument("--dry-run", action="store_true", help="只列出，不发送")
    p.add_argument("--today", metavar="日期", help="按指定日期（YYYY-MM-DD）计算")
    p.add_argument("--quiet", action="store_true", help="只输出汇总")
    p.set_defaults(func=cmd_remind)
    p = sub.add_parser(
        "housekeep",
        help="清理过期会话和无主文件（供定时任务每小时运行）",
        description="清理过期会话和无主文件（供定时任务每小时运行）",
    )
    p.add_argument("--dry-run", action="store_true", help="只列出，不删除")
    p.set_defaults(func=cmd_housekeep)
    p = sub.add_parser(
        "documents", help="政府文件库：导入原有文件", description="政府文件库：导入原有文件"
    )
    dsub = p.add_subparsers(title="文件库命令", metavar="命令", help="以下之一")
    what = "从 JSON Lines 文件导入本机关原有文件库中已公开的政府文件（有错误时不导入任何文件）"
    q = dsub.add_parser("import", help=what, description=what)
    q.add_argument("file", metavar="文件", help="JSON Lines 文件（UTF-8 编码，每行一件文件）")
    q.add_argument("--agency", required=True, metavar="机关代码", help="发布机关的代码，如 CSJY")
    q.add_argument("--dry-run", action="store_true", help="只检查并报告结果，不写入任何数据")
    q.set_defaults(func=cmd_documents_import)
    p = sub.add_parser(
        "check",
        help="检查配置（工作日历覆盖、密钥等）",
        description="检查配置（工作日历覆盖、密钥等）",
    )
    p.add_argument("--deploy", action="store_true", help="按生产部署要求检查")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser(
        "genkey",
        help="生成身份信息加密密钥（GONGKAI_FIELD_KEYS）",
        description="生成身份信息加密密钥（GONGKAI_FIELD_KEYS）",
    )
    p.set_defaults(func=cmd_genkey)
    p = sub.add_parser(
        "manage",
        help="其他 Django 管理命令，如 gongkai manage shell",
        description="其他 Django 管理命令，如 gongkai manage shell",
    )
    p.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="命令与参数",
        help="交给 Django 的管理命令及其参数",
    )
    p.set_defaults(func=cmd_manage)
