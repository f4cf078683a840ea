"""Handing out a letter's file, to staff and (through the portal) to the applicant."""

from __future__ import annotations

from django.http import FileResponse

from .models import Letter


def letter_file(letter: Letter) -> FileResponse:
    """The stored .docx, as it was made (never regenerated)."""
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=letter.filename,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
