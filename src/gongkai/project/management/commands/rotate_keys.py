"""``rotate_keys``: re-encrypt the stored identity data with the newest field key.

``gongkai rotate-keys`` / ``python -m django rotate_keys``; see
:mod:`gongkai.project.keyrotation` and README “密钥轮换”.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.project.keyrotation import BATCH_SIZE, rotate
from gongkai.security import crypto


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "用最新的字段密钥重新加密全部身份信息（可中断，重新运行即继续）"
    # Runs with keys that a check would reject only for the values they cannot read.
    requires_system_checks: list[str] = []  # noqa: RUF012

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="（密钥保存在数据目录时）先生成新密钥放在最前，重新加密完成后删除旧密钥",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计需要重新加密的行数，不写入任何数据"
        )
        parser.add_argument(
            "--batch-size", type=_positive, default=BATCH_SIZE, help="每批（一个事务）的行数"
        )
        parser.add_argument(
            "--max-batches", type=_positive, default=None, help="最多处理的批数（分段执行）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = rotate(
                new_key=options["new_key"],
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                max_batches=options["max_batches"],
                say=self.stdout.write,
            )
        except crypto.FieldKeyError as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            self.stdout.write(
                f"试运行：共检查 {result.rows_seen} 行，需重新加密 {result.rows_changed} 行"
                f"（{result.values_changed} 个值），未写入任何数据"
            )
        else:
            self.stdout.write(
                f"共检查 {result.rows_seen} 行，重新加密 {result.rows_changed} 行"
                f"（{result.values_changed} 个值）"
            )
        for item in result.failed[:20]:
            self.stderr.write(f"无法用任何已配置的密钥解密：{item}")
        if result.failed:
            raise CommandError(
                f"有 {len(result.failed)} 个值无法解密，旧密钥未删除；"
                "请补上加密它们的密钥后重新运行"
            )
        if not result.complete:
            self.stdout.write("已按 --max-batches 停止；再次运行 gongkai rotate-keys 即继续")
            return
        if options["dry_run"]:
            return
        if result.dropped_keys:
            self.stdout.write(
                f"全部数据已使用新密钥加密，已从 field_key 中删除旧密钥 {result.dropped_keys} 个"
                "（用旧的数据库备份恢复时仍需要旧密钥，请另行妥善保存）"
            )
        elif crypto.keys_from_env() and len(crypto.field_keys()) > 1:
            self.stdout.write(
                "全部数据已使用最新密钥加密：现在可以从 GONGKAI_FIELD_KEYS 中删除旧密钥并重启"
            )
        else:
            self.stdout.write("全部数据已使用最新密钥加密")
