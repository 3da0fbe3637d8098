"""How benefits plugs into portfolio's, governance's, imports' and reporting's registries (none of them
depends on it): the benefit profiles' part (benefits.benefit_integration) and the lessons' part
(benefits.lesson_integration)."""

from __future__ import annotations


def register() -> None:
    """Called from BenefitsConfig.ready()."""
    from benefits import benefit_integration, lesson_integration

    benefit_integration.register()
    lesson_integration.register()
