"""The standards demo (see pmo.demo for how seed_demo runs the seeders), one module per part."""

from __future__ import annotations

from pmo.demo import DemoContext


def has_data() -> bool:
    from standards.demo import documents

    return documents.has_data()


def reset() -> None:
    from standards.demo import documents

    documents.reset()


def seed(ctx: DemoContext) -> None:
    from standards.demo import documents

    documents.seed(ctx)
