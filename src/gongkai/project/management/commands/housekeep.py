"""``housekeep``: delete expired sessions and stored files no row refers to (hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.project.housekeeping import housekeep


class Command(BaseCommand):
    help = "清理过期会话和无主文件（事务回滚后留下的文书、附件），供定时任务每小时运行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出将删除的文件")

    def handle(self, *args: Any, **options: Any) -> None:
        result = housekeep(dry_run=options["dry_run"])
        if options["dry_run"]:
            for name in result.orphans:
                self.stdout.write(f"将删除无主文件：{name}")
            self.stdout.write(f"共 {len(result.orphans)} 个无主文件；过期会话未清理（试运行）")
            return
        self.stdout.write(f"已清理过期会话；删除无主文件 {result.removed} 个")
