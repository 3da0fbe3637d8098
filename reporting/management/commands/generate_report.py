"""Build periodic reports now, in this process, and print the path of each PDF, one a line.

python manage.py generate_report monthly --lang fr
python manage.py generate_report weekly --period 2026-W47 --scope DSI --lang en
python manage.py generate_report weekly monthly quarterly --lang fr en --in-background

With --in-background the reports are only asked for, and built by the workers (without a broker, by the
web server's background threads, as soon as it runs: bin/demo); each report's page is printed instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pmo import background
from pmo.models import Directorate
from portfolio.models import Portfolio
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import report_build, report_regenerate, report_request, report_send_waiting


class Command(BaseCommand):
    help = "Build weekly, monthly or quarterly reports synchronously and print each PDF's path."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", nargs="+", choices=sorted(Report.PERIODIC))
        parser.add_argument(
            "--period",
            help="2026-W47, 2026-11, 2026-Q4 or a day of the period (default: the last one that ended); "
            "with one kind only",
        )
        parser.add_argument(
            "--scope",
            default="all",
            help="all (default), or a directorate's or a portfolio's code (directorate:CODE, portfolio:CODE)",
        )
        parser.add_argument("--lang", nargs="+", choices=["fr", "en"], default=["fr"])
        parser.add_argument(
            "--new-version", action="store_true", help="build a new version even if this report exists"
        )
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="only ask for the reports: the workers build them (without a broker, the web server)",
        )

    def handle(self, *args, kind: list[str], period: str | None, lang: list[str], **options):
        if period and len(kind) > 1:
            raise CommandError("--period goes with one kind of report.")
        directorate, portfolio = self._scope(options["scope"])
        for one_kind in dict.fromkeys(kind):
            chosen = self._period(one_kind, period)
            for language in dict.fromkeys(lang):
                fields = {"kind": one_kind, "language": language, "period": chosen}
                fields |= {"directorate": directorate, "portfolio": portfolio}
                if options["in_background"]:
                    self._ask(fields, new_version=options["new_version"])
                else:
                    self._build(fields, new_version=options["new_version"])

    @staticmethod
    def _period(kind: str, text: str | None) -> Period:
        frequency = Report.PERIODIC[kind]
        try:
            return (
                Period.parse(frequency, text)
                if text
                else Period.containing(frequency, timezone.localdate()).previous()
            )
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _ask(self, fields: dict, *, new_version: bool) -> None:
        """Ask for the report, waiting to be sent: to the broker now if there is one, else to the web
        server's background threads as it starts (this command's own would end with it)."""
        report, created = report_request(**fields, queue=False)
        if new_version and not created:
            report, created = report_regenerate(report, queue=False), True
        if created:  # not taken by this process after all: waiting to be sent
            Report.objects.filter(pk=report.pk).update(sent=False, sent_at=None)
        if not background.without_broker():
            report_send_waiting()
        self.stdout.write(report.get_absolute_url())

    def _build(self, fields: dict, *, new_version: bool) -> None:
        report, created = report_request(**fields, queue=False)
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
