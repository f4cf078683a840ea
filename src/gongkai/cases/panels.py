"""Panels that apps above cases add to the case page.

The case page is cases' own; a higher app (the letters app: the case's letters and their
deliveries) shows its part by registering a :class:`CasePanel` when Django starts, instead
of cases importing it. Each panel gives the template to include and the values it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.core.workflow import Role

from .models import Case


@dataclass(frozen=True, slots=True)
class CasePanel:
    """A part of the case page: ``template`` is included with ``context(case, roles)``'s
    values (``roles``: the viewer's roles on the case) merged into the page's."""

    name: str
    template: str
    context: Callable[[Case, set[Role]], dict[str, Any]]


_panels: dict[str, CasePanel] = {}


def register_panel(panel: CasePanel) -> None:
    """Add ``panel`` to the case page (again under the same name: replaced)."""
    _panels[panel.name] = panel


def case_panels(case: Case, roles: set[Role]) -> tuple[list[str], dict[str, Any]]:
    """The templates of the registered panels, in registration order, and their values."""
    values: dict[str, Any] = {}
    for panel in _panels.values():
        values.update(panel.context(case, roles))
    return [p.template for p in _panels.values()], values
