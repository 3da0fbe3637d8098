"""Placeholder: filled by its issue."""


def register() -> None:
    pass
