"""Build a periodic report now, in this process, and print the path of its PDF as the last line.

python manage.py generate_report monthly --lang fr
python manage.py generate_report weekly --period 2026-W47 --scope DSI --lang en
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pmo.models import Directorate
from portfolio.models import Portfolio
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import report_build, report_regenerate, report_request


class Command(BaseCommand):
    help = "Build a weekly, monthly or quarterly report synchronously and print the PDF's path."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(Report.PERIODIC))
        parser.add_argument(
            "--period",
            help="2026-W47, 2026-11, 2026-Q4 or a day of the period (default: the last one that ended)",
        )
        parser.add_argument(
            "--scope",
            default="all",
            help="all (default), or a directorate's or a portfolio's code (directorate:CODE, portfolio:CODE)",
        )
        parser.add_argument("--lang", choices=["fr", "en"], default="fr")
        parser.add_argument(
            "--new-version", action="store_true", help="build a new version even if this report exists"
        )

    def handle(
        self, *args, kind: str, period: str | None, scope: str, lang: str, new_version: bool, **options
    ):
        frequency = Report.PERIODIC[kind]
        try:
            chosen = (
                Period.parse(frequency, period)
                if period
                else Period.containing(frequency, timezone.localdate()).previous()
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        directorate, portfolio = self._scope(scope)
        report, created = report_request(
            kind=kind, language=lang, period=chosen, directorate=directorate, portfolio=portfolio, queue=False
        )
        if not created and (new_version or report.state != Report.State.DONE):
            report = report_regenerate(report, queue=False) if new_version else report
        if report.state != Report.State.DONE:
            if report.state == Report.State.FAILED:
                Report.objects.filter(pk=report.pk).update(state=Report.State.QUEUED, attempts=0, error="")
            self.stderr.write(f"Building {report} …")
            built = report_build(report.pk)
            report = built or Report.objects.get(pk=report.pk)
        if report.state != Report.State.DONE:
            raise CommandError(report.error or f"The report is {report.get_state_display()}.")
        self.stderr.write(f"{report.pages} pages, {report.size:,} bytes")
        try:
            location = report.file.path
        except NotImplementedError:  # a storage without local paths: its name in the storage
            location = report.file.name
        self.stdout.write(location)

    @staticmethod
    def _scope(text: str):
        if text in ("all", ""):
            return None, None
        kind, _, code = text.partition(":") if ":" in text else ("", "", text)
        if kind in ("", "directorate") and (found := Directorate.objects.filter(code__iexact=code).first()):
            return found, None
        if kind in ("", "portfolio") and (found := Portfolio.objects.filter(code__iexact=code).first()):
            return None, found
        raise CommandError(f"No directorate or portfolio has the code {code!r}.")
