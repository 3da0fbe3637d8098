from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # A meeting's minutes are built when it closes (governance's `meeting_closed` signal).
        from reporting.receivers import register

        register()
        # Workers send the reports asked for while the broker was away, as they connect to it.
        from pmo.celery import app

        app.steps["consumer"].add("reporting.worker:SendWaitingReports")
