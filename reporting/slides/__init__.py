"""PowerPoint versions of the monthly and quarterly packs and of a meeting's pack (`Report.WITH_SLIDES`).

`build(report)` returns the .pptx, built with the PDF by the same worker (`reporting.reports.report_build`)
and stored beside it in `Report.slides`. Its text is in the report's language, its numbers and dates
written for that language; its figures are read from the selectors the PDF reads (see `portfolio` and
`meetings`); its charts and tables are PowerPoint's own, editable. It is built in the PMO's active
template (`templates.active_template`), a clean 16:9 default otherwise (`layouts`).
"""

from __future__ import annotations

from django.utils import translation

from reporting.models import Report
from reporting.slides import meetings, portfolio
from reporting.slides.deck import Deck
from reporting.slides.templates import active_template_bytes

BUILDERS = {
    Report.Kind.MONTHLY: portfolio.build,
    Report.Kind.QUARTERLY: portfolio.build,
    Report.Kind.PACK: meetings.build,
}
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def build(report: Report) -> bytes:
    """The report's slides as a .pptx, in its language and the organisation's template."""
    deck = Deck(active_template_bytes())
    with translation.override(report.language):
        BUILDERS[report.kind](report, deck)
    return deck.save()


def filename(report: Report) -> str:
    """The name the slides are downloaded under: the PDF's, with .pptx."""
    return report.filename().removesuffix(".pdf") + ".pptx"
