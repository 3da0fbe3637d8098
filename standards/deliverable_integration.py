"""How the deliverable part of standards plugs into the other apps' registries."""

from __future__ import annotations


def register() -> None:
    pass
