"""Key and file-safety commands: ``gongkai rotate-keys`` and ``gongkai secure-files``.

Rotating the identity-data keys (README “密钥轮换”): with ``GONGKAI_FIELD_KEYS``, run
``gongkai genkey``, put the new key first (``new,old``), restart, run ``gongkai rotate-keys``,
then remove the old key and restart. With the key in the data directory,
``gongkai rotate-keys --new-key`` does it all.
"""

from __future__ import annotations

import argparse
from typing import Any

from gongkai.cli_web import _django, _positive


def cmd_rotate_keys(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _django()
    try:
        call_command(
            "rotate_keys",
            new_key=args.new_key,
            dry_run=args.dry_run,
            batch_size=args.batch_size,
            max_batches=args.max_batches,
        )
    except CommandError as exc:
        print(f"密钥轮换未完成：{exc}")
        return 1
    return 0


def cmd_secure_files(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    from gongkai.security.fileperms import tighten

    changed = tighten()
    print(f"已收紧 {settings.DATA_DIR} 中 {changed} 个目录或文件的权限（只有所有者可以访问）")
    return 0


def add_commands(sub: Any) -> None:
    """Register the key commands on the ``gongkai`` parser's subcommands."""
    p = sub.add_parser(
        "rotate-keys",
        help="用最新的字段密钥重新加密全部身份信息",
        description="用最新的字段密钥重新加密全部身份信息",
    )
    p.add_argument(
        "--new-key",
        action="store_true",
        help="（密钥保存在数据目录时）生成新密钥，重新加密完成后删除旧密钥",
    )
    p.add_argument("--dry-run", action="store_true", help="只统计需要重新加密的行数")
    p.add_argument(
        "--batch-size", type=_positive, default=500, metavar="行数", help="每批（一个事务）的行数"
    )
    p.add_argument(
        "--max-batches", type=_positive, default=None, metavar="批数", help="最多处理的批数"
    )
    p.set_defaults(func=cmd_rotate_keys)
    p = sub.add_parser(
        "secure-files",
        help="收紧数据目录的权限（chmod -R go-rwx）",
        description="收紧数据目录的权限（chmod -R go-rwx）",
    )
    p.set_defaults(func=cmd_secure_files)
