"""Writes on annual reports: prepare from the cases, enter table 二 and the narrative,
review (draft → submitted → returned / accepted → published; a published report withdrawn
with a reason is editable again), import a published report as a baseline (or, for
analysis, the report of an agency outside the tree), build an area-wide report,
acknowledge amendments.

Every step runs the report engine's checks (国办公开办函〔2021〕30号 勾稽关系, the prose
checks, the cross-year checks against the previous year's report) and stores the findings;
submitting, accepting and publishing are refused while any finding is an error. Every step
is audited and shown in the report's history.

A report is stored as its figures (:class:`ReportCell` rows, :func:`report_cells_store`)
and the rest of its document (:attr:`AnnualReport.document`); :func:`report_document`
gives back the whole JSON contract ``gongkai.annual-report/1`` and :func:`report_of` the
engine's report. Every write goes through :func:`_save`, which stores both.
"""

from __future__ import annotations

from .area import (
    area_build,
)
from .base import (
    ReportError,
    evaluate,
    previous_report,
    report_cells_store,
    report_document,
    report_of,
)
from .importing import (
    ImportTooComplex,
    outside_name,
    report_import,
    report_import_outside,
    source_document_store,
)
from .preparing import (
    report_narrative_save,
    report_prepare,
    report_redraft,
    report_table2_import,
    report_table2_registry,
    report_table2_save,
)
from .review import (
    PUBLISH_CONFIRMATION,
    amendment_acknowledge,
    live_differences,
    report_accept,
    report_publish,
    report_return,
    report_submit,
    report_withdraw,
)

__all__ = [
    "PUBLISH_CONFIRMATION",
    "ImportTooComplex",
    "ReportError",
    "amendment_acknowledge",
    "area_build",
    "evaluate",
    "live_differences",
    "outside_name",
    "previous_report",
    "report_accept",
    "report_cells_store",
    "report_document",
    "report_import",
    "report_import_outside",
    "report_narrative_save",
    "report_of",
    "report_prepare",
    "report_publish",
    "report_redraft",
    "report_return",
    "report_submit",
    "report_table2_import",
    "report_table2_registry",
    "report_table2_save",
    "report_withdraw",
    "source_document_store",
]
