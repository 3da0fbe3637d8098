"""What the risks app adds to other apps' pages, through their registries (DESIGN.md: portfolio and
governance do not depend on risks)."""

from __future__ import annotations


def register() -> None:
    pass
