from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Benefits and lessons")

    def ready(self) -> None:
        # Benefit profiles and lessons on the project page, benefits at risk as a derived signal and on
        # the agenda, the gate check on an approved profile, lessons beside a gate's checklist.
        from benefits.integration import register

        register()
