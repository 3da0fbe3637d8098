"""The monthly and quarterly packs as slides: the cover, the PMO's key messages, the RAG distribution and
the delivery confidence as native charts, the KPI scorecard as a native table, a slide per exceptional
project, and the decisions expected from the committee.

Every figure is read from the selectors the PDF reads (`reporting.pdf.content.common`): the snapshot
of `PortfolioFigures` as at the report's date, its counts (`Headline.counts`, the dashboard's), the
scorecard's tiles, the portfolio table and its exceptions, the worst first and as many as the PDF
lists. The chart's series are those counts, not a count of their own. The curated content (key
messages, decisions expected, the PMO's comment on a project) is the published pack's frozen content
(`Report.publication`); a report sent out without curation has none of those slides.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pptx.util import Inches

from pmo.templatetags.pmo_tags import money_short
from portfolio.models import Rag, StatusReport
from portfolio.models.assurance import Confidence
from reporting.models import Report
from reporting.pdf.content import common
from reporting.selectors import NO_STATUS, RAGS
from reporting.slides.deck import Deck, shorten
from reporting.templatetags.report_tags import budget_variance, signed_percent
from reporting.templatetags.reporting_tags import index, kpi_target, kpi_value, percent, week_label

DASH = "\N{EM DASH}"


def curated(report: Report) -> dict[str, Any]:
    """The published pack's frozen content the report was built from; empty without one."""
    if report.publication_id is None:
        return {}
    return report.publication.content or {}


def rag_label(rag: str) -> str:
    return str(Rag(rag).label) if rag in Rag.values else _("No status")


def build(report: Report, deck: Deck) -> None:
    on = common.as_at(report)
    figures = common.figures_of(report)
    snapshot = figures.snapshot(on)
    headline = common.headline(figures, snapshot)
    table = common.portfolio_table(snapshot, on=on)
    exceptions = common.exceptions(table)[: common.EXCEPTIONS_SHOWN]
    content = curated(report)
    period = report.as_period
    deck.title_slide(
        report.title,
        [
            report.scope_label,
            period.label if period else "",
            _("Figures as at %(date)s") % {"date": formats.date_format(on, "DATE_FORMAT")},
        ],
    )
    if content.get("key_messages"):
        slide, box = deck.slide(_("Key messages"))
        deck.text(slide, box, [str(message) for message in content["key_messages"]], size=22)
    rag_slide(deck, headline)
    confidence_slide(deck, snapshot.rows)
    kpi_slide(deck, common.scorecard(figures, on=on))
    statuses = statuses_in_force([line.project for line in exceptions])
    comments = content.get("project_comments") or {}
    for line in exceptions:
        project_slide(deck, line, statuses.get(line.project.pk), comments.get(line.project.code, ""))
    if content.get("decisions_expected"):
        decisions_slide(deck, content["decisions_expected"])


def rag_slide(deck: Deck, headline: common.Headline) -> None:
    """The latest ratings as the dashboard counts them, a bar per RAG and one for "no status"."""
    counts = headline.counts
    keys = [*RAGS, NO_STATUS]
    slide, box = deck.slide(_("Projects by latest RAG"))
    chart_box, _rest = box.split(box.height - Inches(0.5))
    deck.bar_chart(
        slide,
        chart_box,
        [rag_label(rag) for rag in keys],
        _("Projects"),
        [counts[rag or "none"] for rag in keys],
        colours=keys,
    )
    deck.note(
        slide,
        box,
        _(
            "%(active)s active projects; %(missing)s did not report for the week, "
            "%(stale)s have a stale rating."
        )
        % {
            "active": _count(headline.snapshot.active),
            "missing": _count(counts["not_reported"]),
            "stale": _count(counts["stale"]),
        },
    )


def _count(value: int) -> str:
    return formats.number_format(value, force_grouping=True, use_l10n=True)


def confidence_slide(deck: Deck, rows: list) -> None:
    """The PMO's delivery confidence of the projects, when the snapshot's rows carry it."""
    ratings = [getattr(row, "confidence", None) for row in rows]
    if not any(ratings):
        return
    counts = Counter(rating or "" for rating in ratings)
    # A level no project is at is left out: a zero slice only stacks its "0" label on its neighbours'.
    shown = [(level.value, str(level.label)) for level in Confidence if counts[level.value]]
    if counts[""]:
        shown.append(("", _("Not assessed")))
    keys = [key for key, _label in shown]
    slide, box = deck.slide(_("Delivery confidence"))
    deck.doughnut(
        slide,
        box,
        [label for _key, label in shown],
        _("Projects"),
        [counts[key] for key in keys],
        colours=keys,
    )


def kpi_slide(deck: Deck, tiles: list) -> None:
    """The dashboard's KPI tiles as a table: value, previous value, target, RAG."""
    if not tiles:
        return
    slide, box = deck.slide(_("KPI scorecard"))
    rows, colours = [], {}
    for n, tile in enumerate(tiles):
        unit = tile.kpi.unit
        previous = DASH
        if tile.previous is not None:
            previous = f"{kpi_value(tile.previous, unit)} ({tile.previous_period.label})"
        rows.append(
            [
                tile.kpi.display_name,
                kpi_value(tile.value, unit),
                previous,
                kpi_target(tile.kpi.target, unit) if tile.kpi.target is not None else DASH,
                rag_label(tile.rag) if tile.rag else DASH,
            ]
        )
        if tile.rag:
            colours[n, 4] = tile.rag
    deck.table(
        slide,
        box,
        [_("KPI"), _("Value"), _("Previous"), _("Target"), _("RAG")],
        rows,
        widths=[4, 2, 3, 1.5, 1.5],
        colours=colours,
        size=14 if len(rows) <= 12 else 11,
    )


def statuses_in_force(rows: list) -> dict[int, StatusReport]:
    """The status in force of each project (its narrative), the one its row's figures come from."""
    periods = {row.report_period for row in rows if row.report_period}
    if not periods:
        return {}
    wanted = {(row.pk, row.report_period) for row in rows}
    found = StatusReport.objects.latest_revisions().filter(
        project_id__in=[row.pk for row in rows], period__in=periods
    )
    return {status.project_id: status for status in found if (status.project_id, status.period) in wanted}


def project_slide(deck: Deck, line: common.TableRow, status: StatusReport | None, comment: str) -> None:
    """An exceptional project: its figures, its manager's narrative and the PMO's comment."""
    row = line.project
    slide, box = deck.slide(f"{row.code} {DASH} {row.name}")
    headers = [
        _("Declared RAG"),
        _("Status of"),
        _("Complete"),
        "CPI",
        "SPI",
        _("Budget"),
        _("Forecast"),
        pgettext("forecast against budget, short", "Var."),
        _("Next milestone"),
    ]
    week = week_label(row.report_period) or _("no status report yet")
    if row.stale:
        week = f"{week} ({pgettext('an old rating', 'stale')})"
    milestone = DASH
    if line.next_milestone is not None:
        day = formats.date_format(line.next_milestone.forecast_date, "SHORT_DATE_FORMAT")
        milestone = f"{line.next_milestone.name} ({day})"
    values = [
        rag_label(row.rag),
        week,
        percent(row.percent_complete),
        index(row.cpi),
        index(row.spi),
        money_short(row.budget, row.currency),
        money_short(row.forecast_at_completion, row.currency),
        signed_percent(budget_variance(row)),
        milestone,
    ]
    colours = {(0, 0): row.rag}
    if line.overrun:  # over budget beyond the tolerance: why a green project is among the exceptions
        colours[0, 7] = line.budget_rag
    confidence = getattr(row, "confidence", None)
    if confidence:
        headers.insert(1, _("Delivery confidence"))
        values.insert(1, str(Confidence(confidence).label))
        colours = {(0, n + (n > 0)): rag for (_row, n), rag in colours.items()}
        colours[0, 1] = confidence
    widths = [1.2, 1.1, 1.45, 0.75, 0.75, 1.2, 1.2, 0.9, 2.0]  # "Avancement" and "23,2 M MAD" on one line
    if confidence:
        widths.insert(1, 1.3)
    figures_box, rest = box.split(Inches(1))
    deck.table(slide, figures_box, headers, [values], colours=colours, widths=widths, size=12)
    if comment:
        rest, comment_box = rest.split(rest.height - Inches(1.3))
        deck.text(slide, comment_box, [shorten(comment, 400)], heading=_("The PMO's comment"), size=16)
    narrative = [
        (_("Achievements"), status.achievements if status else ""),
        (_("Next steps"), status.next_steps if status else ""),
        (_("Help needed"), status.help_needed if status else ""),
    ]
    for column, (heading, text) in zip(rest.columns(3), narrative, strict=True):
        deck.text(slide, column, [shorten(text, 500) or DASH], heading=heading, size=16)


def decisions_slide(deck: Deck, decisions: list[dict]) -> None:
    slide, box = deck.slide(_("Decisions expected from the committee"))
    rows = [[str(n), str(d.get("title", "")), str(d.get("detail", ""))] for n, d in enumerate(decisions, 1)]
    deck.table(slide, box, ["#", _("Decision"), _("Detail")], rows, widths=[0.5, 4, 7], size=14)
