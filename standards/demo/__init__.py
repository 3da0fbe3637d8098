"""The standards demo (see pmo.demo for how seed_demo runs the seeders), one module per part: the
methodologies first, then the deliverables (templates and deliverables in every state), the governance
documents."""

from __future__ import annotations

from pmo.demo import DemoContext
from standards.demo import deliverables, documents


def has_data() -> bool:
    return deliverables.has_data() or documents.has_data()


def reset() -> None:
    deliverables.reset()
    documents.reset()


def seed(ctx: DemoContext) -> None:
    deliverables.seed(ctx)
    documents.seed(ctx)


def seed_history(ctx: DemoContext) -> None:
    deliverables.seed_history(ctx)
