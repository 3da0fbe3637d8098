from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        # The phased budget's planned value (portfolio's earned value), the money panel on the project
        # page: registered into portfolio's registries, which do not depend on finance.
        from finance.integration import register

        register()
