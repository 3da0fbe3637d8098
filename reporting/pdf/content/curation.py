"""The PMO's curation of a monthly or quarterly report, as the PDF prints it: key messages on the first
page, a page of the decisions expected from the committee, a comment under a section's heading and beside
an exceptional project.

The curation comes from the report's `publication` (the frozen content of a published executive pack),
or, for the preview of a draft, from an unsaved publication the preview hangs on an unsaved report: both go
through the report's own content code and templates. A report without one prints as it always did.
The typed text is printed as typed (escaped); only the headings are translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from reporting.models import Report

# The sections of each curated kind's PDF a comment may be written for, in the order the PDF prints
# them (their codes are the keys of `ExecutivePack.section_comments`).
SECTIONS: dict[str, list[tuple[str, str]]] = {
    Report.Kind.MONTHLY: [
        ("summary", _("Executive summary")),
        ("scorecard", _("KPI scorecard")),
        ("confidence", _("Delivery confidence")),
        ("charts", _("Charts")),
        ("finances", _("Finances")),
        ("risks", _("Top risks and heatmap")),
        ("decisions", _("Decisions of the month")),
        ("actions", _("Action follow-up")),
        ("milestones", _("Milestone slippage")),
    ],
    Report.Kind.QUARTERLY: [
        ("summary", _("Executive summary")),
        ("exceptions", _("Exceptions")),
        ("confidence", _("Delivery confidence")),
        ("trends", _("Trends over the last four quarters")),
        ("scorecard", _("KPI scorecard")),
        ("consumption", _("Budget consumption")),
        ("charts", _("Charts")),
        ("finances", _("Finances")),
        ("risks", _("Top risks and heatmap")),
        ("decisions", _("Decisions of the quarter")),
        ("actions", _("Action follow-up")),
        ("milestones", _("Milestone slippage")),
        ("gates", _("Stage gates of the quarter")),
    ],
}


@dataclass(frozen=True)
class Curation:
    key_messages: list[str] = field(default_factory=list)
    decisions_expected: list[dict[str, str]] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)  # project code -> comment
    number: int | None = None  # the publication's version; None for a draft's preview
    draft: bool = False

    @classmethod
    def of_content(cls, content: dict, *, number: int | None = None, draft: bool = False) -> Curation:
        return cls(
            key_messages=list(content.get("key_messages") or []),
            decisions_expected=list(content.get("decisions_expected") or []),
            sections=dict(content.get("section_comments") or {}),
            projects=dict(content.get("project_comments") or {}),
            number=number,
            draft=draft,
        )


def of(report: Report) -> Curation | None:
    """The report's curation, or None (a report sent out without the PMO's pack)."""
    if report.kind not in SECTIONS:
        return None
    publication = report.publication  # no query without one; an unsaved one for a draft's preview
    if publication is None:
        return None
    return Curation.of_content(publication.content, number=publication.number, draft=publication.pk is None)
