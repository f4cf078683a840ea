"""Private file storage: files in the data directory that have no public address at all."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Attachments, letters and identity proofs; served only by permission-checked views."""

    def url(self, name: str | None) -> str:
        raise ValueError("该文件不对外公开，只能经权限校验后下载")
