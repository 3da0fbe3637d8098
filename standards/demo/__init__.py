"""The standards demo (see pmo.demo for how seed_demo runs the seeders): the methodologies' part first, then
the deliverables' (templates and deliverables in every state)."""

from __future__ import annotations

from standards.demo import deliverables


def has_data() -> bool:
    return deliverables.has_data()


def reset() -> None:
    deliverables.reset()


def seed(ctx) -> None:
    deliverables.seed(ctx)


def seed_history(ctx) -> None:
    deliverables.seed_history(ctx)
