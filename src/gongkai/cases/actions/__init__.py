"""Workflow actions declared once: input schema, service and help (:mod:`.registry`), from which
the staff page's forms and the API's routes are generated."""

from .fields import Page
from .registry import ACTIONS, ActionEntry, Runner, case_child, service_call

__all__ = ["ACTIONS", "ActionEntry", "Page", "Runner", "case_child", "service_call"]
