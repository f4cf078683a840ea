"""Hooks that cases declares for the apps built on top of it.

Cases sits below letters, reports and the portal and never imports them; an app that must
react to a change of a case (or veto it) connects a receiver here in its ``AppConfig.ready``.
Receivers run inside the step's transaction, so an exception they raise undoes the step.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent before a change that moves a case in or out of the figures of an annual report
#: (a receipt, a conclusion, a reopening, a remedy). Keyword arguments: ``case``; ``days``
#: (the dates the change is counted on; ``None`` entries are ignored); ``what`` (the change,
#: in Chinese, for the record); ``actor``; ``amend_reason`` (the reason given for changing a
#: published year, "" when none). A receiver refuses the change by raising
#: :class:`gongkai.cases.services.CaseError` (or a subclass) with a Chinese message.
figures_changing = Signal()

#: Sent to ask which years of an agency are locked because that year's annual report is
#: published (《政府信息公开条例》第五十条). Keyword argument: ``agency_id``. Each receiver
#: returns an iterable of years (:func:`gongkai.cases.selectors.locked_years` collects them).
#: The case page offers the “年报更正理由” field only then.
locked_years_asked = Signal()

#: Sent once by every run of the daily job (``gongkai remind``,
#: :func:`gongkai.cases.reminders.run_reminders`), for the apps above cases that have daily
#: work of their own (the registry's automatic 施行 and 失效). Keyword arguments: ``day`` (the
#: day the run judges deadlines on) and ``dry_run`` (when true the receiver writes nothing and
#: only says what it would do). Each receiver returns a list of Chinese lines for the run's
#: summary. Receivers run outside any transaction; one that fails is logged and named in the
#: summary without stopping the reminders.
daily_run = Signal()
