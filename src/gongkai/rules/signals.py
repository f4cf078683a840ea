"""What the rules app announces to the apps above it."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent once a change of the working calendar is committed (a holiday notice or a single-day
#: correction saved or deleted). Keyword arguments: ``entry`` (the saved or deleted row),
#: ``since`` (the first day whose counting may change) and ``what`` (the change, in Chinese,
#: for the audit log). Receivers may leave a result on ``entry`` for whoever saved it.
working_calendar_changed = Signal()
