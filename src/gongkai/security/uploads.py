"""The checks every uploaded file passes before the platform keeps it: a case's materials,
the proof of a delivery, the identity document of an online application.

A file is accepted only with a known extension whose content starts with that format's
signature (a renamed executable is refused), within ``GONGKAI_UPLOAD_MAX_MB`` and not empty.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
}
_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".ofd": "application/ofd",
}


class UploadRejected(ValueError):
    """A file the platform does not keep; the message (Chinese) names the file and why."""


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The file's extension and content type, or :class:`UploadRejected` saying why not."""
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in _SIGNATURES:
        raise UploadRejected(f"文件“{name}”的类型不支持；可上传 PDF、JPG、PNG、DOCX、OFD")
    limit = settings.GONGKAI_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size is None or upload.size > limit:
        raise UploadRejected(f"文件“{name}”超过 {settings.GONGKAI_UPLOAD_MAX_MB} MB 的大小限制")
    if upload.size == 0:
        raise UploadRejected(f"文件“{name}”是空文件")
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_SIGNATURES[ext]):
        raise UploadRejected(f"文件“{name}”的内容与扩展名 {ext} 不符")
    return ext, _CONTENT_TYPES[ext]


def sha256_of(upload: UploadedFile) -> str:
    """The SHA-256 of the file's content (hex), read in chunks; the file is rewound."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
