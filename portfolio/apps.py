from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        # The plan page's dependencies panel: portfolio's own data, drawn through its own registry like
        # the panels other apps add (portfolio.panels).
        from portfolio.dependencies import plan_panel
        from portfolio.panels import register_plan_panel

        register_plan_panel("portfolio/_plan_dependencies.html", plan_panel, order=50)

        # The project page's agile delivery panel (burn-up, velocity): agile projects only.
        from portfolio import agile_panel
        from portfolio.panels import register_panel

        register_panel(agile_panel.PANEL_TEMPLATE, agile_panel.project_panel, order=5)
