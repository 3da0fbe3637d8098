"""The standards demo (see pmo.demo for how seed_demo runs the seeders): one module per part of the
standard, called in order. Each module defines `seed(ctx)` and may define `has_data()`, `reset()` and
`seed_history(ctx)`; this package calls them in the order of PARTS (resets in reverse).

- methodologies: the deliverables each phase requires of the three default methodologies, an extra
  methodology (SAFe, not a default) with its own gate criteria, a tolerance band for large classic
  projects, a few projects given a methodology by the PMO;
- deliverables: templates (real Office files, some in a second version) and deliverables in every state;
- documents: the governance framework's documents (terms of reference of each committee, procedures);
- exceptions: a requested, a submitted (on an upcoming agenda) and a decided exception report.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from pmo.demo import DemoContext

PARTS = ["methodologies", "deliverables", "documents", "exceptions"]


def _parts() -> list[ModuleType]:
    return [importlib.import_module(f"standards.demo.{name}") for name in PARTS]


def has_data() -> bool:
    return any(part.has_data() for part in _parts() if hasattr(part, "has_data"))


def reset() -> None:
    for part in reversed(_parts()):
        if hasattr(part, "reset"):
            part.reset()


def seed(ctx: DemoContext) -> None:
    for part in _parts():
        part.seed(ctx)


def seed_history(ctx: DemoContext) -> None:
    for part in _parts():
        if hasattr(part, "seed_history"):
            part.seed_history(ctx)
