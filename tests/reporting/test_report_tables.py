"""Every report kind on a portfolio of long French names: read back from the PDF (`pdftotext -bbox-layout`
gives each word's box), no word runs into another (a name cut short used to run into the next column:
"…région Fès-Mek…PF-CX"), none leaves the page, and every name is printed whole, wrapped over as many
lines as it needs; and no report carries a note about what the application does not record.

The suite builds LONG_NAMES_PROJECTS projects (enough for the portfolio table to run over several pages);
docs/benchmarks.md records the same test at 1,000 (`LONG_NAMES_PROJECTS=1000`).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from governance import services
from governance.models import Action, AgendaItem, Decision
from portfolio.models import Rag
from portfolio.models.status import period_of
from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Frequency, Period
from reporting.reports import report_request
from tests.factories import CommitteeFactory, DirectorateFactory, ProjectFactory, UserFactory, make_risk
from tests.reporting.builders import build_portfolio

PROJECTS = int(os.environ.get("LONG_NAMES_PROJECTS", "80"))
LANGUAGES = ["fr", "en"]
PERIODIC = {
    Report.Kind.WEEKLY: Frequency.WEEKLY,
    Report.Kind.MONTHLY: Frequency.MONTHLY,
    Report.Kind.QUARTERLY: Frequency.QUARTERLY,
}
# The projects with something of each kind behind them (risks, actions, decisions, a meeting's agenda).
BUSY = 6


@pytest.fixture(autouse=True)
def _charts_as_tables(settings, tmp_path):
    # Chart export costs seconds; without it each chart prints its data as a table, names and all.
    settings.REPORT_CHARTS = False
    settings.MEDIA_ROOT = tmp_path


def long_name(index: int) -> str:
    """Names as long as real ones, of varied lengths, some with characters that are markup elsewhere."""
    names = [
        "Modernisation du système d'information de la région Fès-Meknès — lot {n} : infrastructures "
        "et sécurité",
        "Refonte <du> portail « Services & démarches en ligne » des collectivités territoriales, tranche {n}",
        "Dématérialisation des procédures d'autorisation d'urbanisme et interconnexion avec les agences "
        "urbaines n° {n}",
        "Lot {n}",
    ]
    return names[index % len(names)].format(n=index)


def turns(index: int, week) -> str | None:
    """This week, one project in five turns red and one in seven does not report."""
    if week != period_of(timezone.localdate()):
        return Rag.AMBER if index % 3 == 0 else Rag.GREEN
    if index % 7 == 0:
        return None
    return Rag.RED if index % 5 == 0 else Rag.GREEN


@pytest.fixture
def portfolio(world):
    today = timezone.localdate()
    directorate = DirectorateFactory(
        code="DRFM", name="Direction régionale de Fès-Meknès des systèmes d'information et du numérique"
    )
    projects = build_portfolio(
        count=PROJECTS,
        weeks=3,
        today=today,
        directorate=directorate,
        rag=turns,
        prefix="PF-CX",
        name=long_name,
        milestones=(
            "Cadrage",
            "Recette utilisateur des infrastructures de sécurité et bascule en production du lot",
        ),
    )
    committee = CommitteeFactory(name="Comité de pilotage de la transformation numérique régionale")
    for n, project in enumerate(projects[:BUSY]):
        make_risk(
            project=project,
            owner=world.pm,
            by=world.pmo,
            probability=5,
            impact=4,
            title=f"Indisponibilité prolongée du prestataire d'hébergement pour {project.name}",
        )
        Decision.objects.create(
            reference=f"DEC-LONG-{n}",
            title=f"Arbitrage budgétaire en faveur de la priorisation : {project.name}",
            committee=committee,
            decided_on=today,
            project=project,
        )
        for days in (-3, 5):  # one overdue, one due soon
            Action.objects.create(
                reference=f"ACT-LONG-{n}{days}",
                title=f"Transmettre le chiffrage consolidé au contrôle de gestion : {project.name}",
                owner=world.pm,
                due_date=today + timedelta(days=days),
                project=project,
            )
    return projects


@pytest.fixture
def closed_meeting(world, portfolio):
    """A meeting on the busy projects, held and closed, a decision and an action under each item."""
    committee = CommitteeFactory(
        name="Comité de pilotage de la transformation numérique régionale (séance plénière)",
        chair=UserFactory(username="chair", first_name="Anne-Sophie", last_name="de La Tour-Maubourg"),
        members=[world.member],
        quorum=1,
    )
    meeting = services.meeting_plan(committee=committee, starts_at=timezone.now(), by=world.pmo)
    for project in portfolio[:BUSY]:  # their latest status, as the status service records it
        project.last_report = project.status_reports.order_by("-period").first()
        project.save(update_fields=["last_report"])
    # A new project that never reported: its page says so.
    newcomer = ProjectFactory(name=long_name(BUSY), directorate=portfolio[0].directorate)
    for project in [*portfolio[:BUSY], newcomer]:
        services.agenda_add(
            meeting=meeting,
            title=f"Revue du projet {project.name}",
            kind=AgendaItem.Kind.PROJECT_REVIEW,
            project=project,
            presenter=world.pm,
        )
    packs = {language: built(Report.Kind.PACK, language, meeting=meeting) for language in LANGUAGES}
    services.meeting_start(meeting=meeting, by=world.pmo)
    for item in meeting.items.select_related("project"):
        decision = services.decision_record(
            committee=committee,
            meeting=meeting,
            agenda_item=item,
            title=f"Enveloppe complémentaire accordée pour {item.project.name}",
            by=world.pmo,
        )
        services.action_create(
            title=f"Mettre à jour le plan de charge et le calendrier consolidé de {item.project.name}",
            owner=world.pm,
            due_date=timezone.localdate() + timedelta(days=14),
            by=world.pmo,
            meeting=meeting,
            agenda_item=item,
            decision=decision,
            project=item.project,
        )
    services.meeting_close(meeting=meeting, by=world.pmo)
    meeting.refresh_from_db()
    meeting.packs = packs  # as built before the meeting
    return meeting


def built(kind: str, language: str, **identity) -> bytes:
    if kind in PERIODIC:
        identity["period"] = Period.containing(PERIODIC[kind], timezone.localdate())
    report, _created = report_request(kind=kind, language=language, queue=False, **identity)
    return kinds.build(report).pdf


# --- Reading the PDF back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Sheet:
    width: float
    words: list[Word]


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def sheets(pdf: bytes) -> list[Sheet]:
    """Each page's width and words with their boxes, in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = []
    for number, chunk in enumerate(out.stdout.decode().split("<page ")[1:], start=1):
        width = float(PAGE.match("<page " + chunk).group(1))
        words = [
            Word(number, html.unescape(text), float(a), float(b), float(c), float(d))
            for a, b, c, d, text in WORD.findall(chunk)
        ]
        pages.append(Sheet(width=width, words=words))
    return pages


def collisions(words: list[Word]) -> list[tuple[Word, Word]]:
    """The pairs of words printed over one another: their boxes cross by more than a hair sideways and
    by more than half a line's height."""
    found = []
    ordered = sorted(words, key=lambda word: word.y0)
    for n, word in enumerate(ordered):
        for other in ordered[n + 1 :]:
            if other.y0 >= word.y1:
                break
            height = min(word.y1 - word.y0, other.y1 - other.y0)
            across = min(word.x1, other.x1) - max(word.x0, other.x0)
            down = min(word.y1, other.y1) - max(word.y0, other.y0)
            if across > 0.5 and down > height / 2:
                found.append((word, other))
    return found


def raw_text(pdf: bytes) -> str:
    """The text in the order it is drawn: a table cell's lines follow one another."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode()


def joined(text: str) -> str:
    """Without any space or line break: a name wrapped over several lines reads as one."""
    return re.sub(r"\s+", "", text)


class Drawn:
    """The words of a PDF in the order they are drawn, to find a phrase printed whole: its words one
    after the other, across line breaks (a word broken at the end of a line reads as one), and standing
    alone: not glued to a neighbouring cell's text, as pdftotext reads two runs of text that touch
    ("…région Fès-Mek…PF-CX")."""

    def __init__(self, pdf: bytes):
        tokens = raw_text(pdf).split()
        self.text = "".join(tokens)
        self.bounds = {0}
        end = 0
        for token in tokens:
            end += len(token)
            self.bounds.add(end)

    def __contains__(self, phrase: str) -> bool:
        target = joined(phrase)
        at = self.text.find(target)
        while at != -1:
            if at in self.bounds and at + len(target) in self.bounds:
                return True
            at = self.text.find(target, at + 1)
        return False


def assert_laid_out_cleanly(pdf: bytes, phrases: list[str]) -> None:
    """No word printed over another or off the page, nothing cut short, every phrase whole, and no note
    about what the application does not record."""
    for sheet in sheets(pdf):
        clashes = collisions(sheet.words)
        assert not clashes, [(f"page {a.page}", a.text, b.text) for a, b in clashes[:10]]
        outside = [word.text for word in sheet.words if word.x0 < 10 or word.x1 > sheet.width - 10]
        assert not outside, (f"page {sheet.words[0].page}", outside[:10])
    drawn = Drawn(pdf)
    assert "…" not in drawn.text
    note = INTERNAL_NOTES.search(" ".join(raw_text(pdf).split()))
    assert note is None, note
    missing = [phrase for phrase in phrases if phrase not in drawn]
    assert not missing, missing[:5]


# A note about what the application does not record, in either language.
INTERNAL_NOTES = re.compile(
    r"the application (does|do|can|has|is)\b|does not record|not recorded yet|no field for|"
    r"l'application (n'|ne )|n'enregistre pas|aucun champ",
    re.IGNORECASE,
)


# --- The reports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_periodic_reports_print_every_long_name_whole_and_no_text_over_another(portfolio, language):
    names = [project.name for project in portfolio]
    busy = names[:BUSY]
    red_now = [name for n, name in enumerate(names) if n % 5 == 0 and n % 7]
    silent = [name for n, name in enumerate(names) if n % 7 == 0]

    weekly = built(Report.Kind.WEEKLY, language)
    assert_laid_out_cleanly(weekly, red_now + silent)

    monthly = built(Report.Kind.MONTHLY, language)
    assert_laid_out_cleanly(monthly, names)  # the portfolio table lists every project

    quarterly = built(Report.Kind.QUARTERLY, language)
    decisions = [f"Arbitrage budgétaire en faveur de la priorisation : {name}" for name in busy]
    assert_laid_out_cleanly(quarterly, names + decisions)


@pytest.mark.parametrize("language", LANGUAGES)
def test_meeting_pack_and_minutes_print_long_names_whole_and_no_text_over_another(
    closed_meeting, portfolio, language
):
    names = [item.project.name for item in closed_meeting.items.select_related("project")]
    assert_laid_out_cleanly(closed_meeting.packs[language], names)

    minutes = built(Report.Kind.MINUTES, language, meeting=closed_meeting)
    actions = [f"Mettre à jour le plan de charge et le calendrier consolidé de {name}" for name in names]
    assert_laid_out_cleanly(minutes, names + actions)


def test_a_word_wider_than_its_column_is_broken_rather_than_run_into_the_next():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reporting.pdf.table import SIZE, fonts, wrapped

    regular, _bold = fonts()
    text = "Voir https://intranet.example.test/projets/modernisation-du-systeme-d-information-lot-3"
    lines = wrapped(text, 60, regular).split("\n")
    assert len(lines) > 2
    assert all(stringWidth(line, regular, SIZE) <= 60 for line in lines)
    assert "".join(lines[1:]) == text.split()[1]  # the address whole, over several lines
