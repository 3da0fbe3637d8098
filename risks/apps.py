from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks and issues")

    def ready(self) -> None:
        # The project page's panel and signal (portfolio's registries), the escalated risks on
        # committee agendas and the risk cards on the live page (governance's extensions).
        from risks.integration import register

        register()
