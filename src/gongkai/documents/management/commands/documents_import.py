"""``documents_import FILE --agency CODE [--dry-run]``: import an agency's existing 文件库.

A thin wrapper over :func:`gongkai.documents.services.importing.documents_import` (the
format is described there); ``gongkai documents import`` calls it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.models import Agency
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.importing import documents_import


class Command(BaseCommand):
    help = "从 JSON Lines 文件导入本机关原有文件库中已公开的政府文件（每行一件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON Lines 文件（UTF-8 编码，每行一个 JSON 对象）")
        parser.add_argument("--agency", required=True, help="发布机关的代码，如 CSJY")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并报告结果，不写入任何数据"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["agency"].strip().upper()
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"找不到代码为“{code}”的机关")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}") from exc
        try:
            result = documents_import(
                actor=None, agency=agency, data=data, dry_run=options["dry_run"]
            )
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.errors:
            self.stderr.write(line)
        if not result.ok:
            raise CommandError(result.summary())
        for line in result.notes:
            self.stdout.write(f"注意：{line}")
        self.stdout.write(result.summary())
