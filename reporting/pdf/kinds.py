"""What each kind of report holds: its template and the function that gathers its context.

Each content module (`reporting.pdf.content.<kind>`) has `context(report) -> dict`, called in the
report's language, reading its figures from the same selectors as the dashboard
(`reporting.selectors.PortfolioFigures`); `build(report)` renders the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reporting.models import Report
from reporting.pdf.content import meetings, monthly, quarterly, weekly
from reporting.pdf.render import Appendix, Rendered, render


@dataclass(frozen=True)
class ReportKind:
    template: str
    context: Callable[[Report], dict[str, Any]]
    # The portfolio table after the body, drawn by ReportLab (see `reporting.pdf.render`).
    appendix: Appendix | None = None


KINDS: dict[str, ReportKind] = {
    Report.Kind.WEEKLY: ReportKind("reporting/pdf/weekly.html", weekly.context),
    Report.Kind.MONTHLY: ReportKind(
        "reporting/pdf/monthly.html", monthly.context, appendix=Appendix(title=_("Portfolio table"))
    ),
    Report.Kind.QUARTERLY: ReportKind(
        "reporting/pdf/quarterly.html",
        quarterly.context,
        appendix=Appendix(title=_("Appendix: the whole portfolio")),
    ),
    Report.Kind.PACK: ReportKind("reporting/pdf/pack.html", meetings.pack_context),
    Report.Kind.MINUTES: ReportKind("reporting/pdf/minutes.html", meetings.minutes_context),
}


def build(report: Report) -> Rendered:
    """The report's PDF, in its language."""
    kind = KINDS[report.kind]
    with translation.override(report.language):
        context = kind.context(report)
    return render(kind.template, context, language=report.language, appendix=kind.appendix)
