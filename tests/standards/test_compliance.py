"""The compliance score: each component on a small world (expected values from the world's facts), the
project's page with its breakdown, the PMO's chase page (filters, sort, exports), the reminder e-mail in
the manager's language once a day, the signal, the panel, pinned query counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Action, Decision, GateReview
from portfolio.indicators import provided_signals
from portfolio.models import Phase, Project, StatusPolicy
from portfolio.models.status import period_of
from standards.compliance import AMBER_FROM, PERIODS, compliance
from standards.models import (
    ComplianceReminder,
    Deliverable,
    DeliverableRequirement,
    DeliverableType,
    Methodology,
)
from tests.factories import CommitteeFactory, ProjectFactory, StatusReportFactory, make_risk
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.django_db

LONG_AGO = 200  # days


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def percent(fraction: Fraction) -> int:
    return int((Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)).quantize(1, ROUND_HALF_UP))


def old_project(world, **fields) -> Project:
    """An active project created long ago, in its second phase, managed by `pm`."""
    phases = list(Phase.objects.order_by("order")[:2])
    fields = {"project_manager": world.pm, "directorate": world.it, "phase": phases[1], **fields}
    project = ProjectFactory(**fields)
    Project.objects.filter(pk=project.pk).update(
        created_at=moment(timezone.localdate() - timedelta(LONG_AGO))
    )
    project.refresh_from_db()
    return project


def requirements() -> list[DeliverableRequirement]:
    """The default classic methodology requires a charter in the first phase and a plan in the second."""
    methodology = Methodology.objects.get(approach="classic", is_default=True)
    phases = list(Phase.objects.order_by("order")[:2])
    types = list(DeliverableType.objects.order_by("order")[:2])
    return [
        DeliverableRequirement.objects.get_or_create(
            methodology=methodology, phase=phase, deliverable_type=kind
        )[0]
        for phase, kind in zip(phases, types, strict=True)
    ]


def deadlines(today: date) -> list[tuple[date, date]]:
    """The periods owed as at `today` (the grace the policy sets), latest first, as the test reads the rule:
    weeks whose Sunday + grace is before today."""
    grace = StatusPolicy.current().grace_days
    owed, period = [], period_of(today)
    while len(owed) < PERIODS:
        if period + timedelta(days=6 + grace) < today:
            owed.append((period, period + timedelta(days=6 + grace)))
        period -= timedelta(weeks=1)
    return owed


def report(project, period: date, submitted: datetime):
    weeks_ago = (period_of(timezone.localdate()) - period) // timedelta(weeks=1)
    status = StatusReportFactory(project=project, weeks_ago=weeks_ago)
    type(status).objects.filter(pk=status.pk).update(submitted_at=submitted)


def conditional_gate(project, *, actions_done: int, actions_open: int) -> tuple[GateReview, list[Action]]:
    phases = list(Phase.objects.order_by("order")[:2])
    committee = CommitteeFactory()
    review = GateReview.objects.create(
        project=project, committee=committee, from_phase=phases[0], to_phase=phases[1],
        state=GateReview.State.DECIDED, outcome=GateReview.Outcome.GO_WITH_CONDITIONS,
        decided_at=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    decision = Decision.objects.create(
        reference=f"DEC-{review.pk:04d}", title="Passage avec conditions", committee=committee,
        decided_on=timezone.localdate() - timedelta(days=20), project=project, gate_review=review,
        outcome=Decision.Outcome.APPROVED_WITH_CONDITIONS,
    )  # fmt: skip
    made = []
    for n in range(actions_done + actions_open):
        done = n < actions_done
        made.append(
            Action.objects.create(
                reference=f"ACT-{review.pk:03d}-{n}",
                title=f"Condition {n}",
                owner=project.project_manager,
                due_date=timezone.localdate() + timedelta(days=5),
                decision=decision,
                project=project,
                origin=Action.Origin.DECISION,
                state=Action.State.DONE if done else Action.State.OPEN,
                completed_on=timezone.localdate() - timedelta(days=2) if done else None,
            )
        )
    return review, made


@pytest.fixture
def facts(world):
    """A project owing two deliverables (one approved), statuses on time for some weeks and late or
    missing for others, a gate passed with conditions (one action done, one open), two risks (one whose
    review is overdue)."""
    today = timezone.localdate()
    project = old_project(world)
    charter, plan = requirements()
    Deliverable.objects.create(
        project=project, deliverable_type=charter.deliverable_type, phase=charter.phase, state="approved"
    )
    owed = deadlines(today)
    on_time = owed[::3]  # every third week on time
    late = owed[1::3]  # every third, a day after the deadline
    for period, deadline in on_time:
        report(project, period, moment(deadline, 9))
    for period, deadline in late:
        report(project, period, moment(deadline + timedelta(days=1), 9))
    _review, actions = conditional_gate(project, actions_done=1, actions_open=1)
    overdue = make_risk(project=project, by=world.pm, next_review_on=today - timedelta(days=3))
    make_risk(project=project, by=world.pm, next_review_on=today + timedelta(days=10))
    return {
        "project": project,
        "missing_deliverable": plan,
        "owed": owed,
        "on_time": on_time,
        "open_action": actions[1],
        "overdue_risk": overdue,
        "expected": {
            "deliverables": Fraction(1, 2),
            "statuses": Fraction(len(on_time), len(owed)),
            "gates": Fraction(0, 1),
            "risks": Fraction(1, 2),
        },
    }


def test_each_component_and_the_score_follow_the_worlds_facts(facts):
    result = compliance([facts["project"]], on=timezone.localdate())[facts["project"].pk]

    for name, expected in facts["expected"].items():
        component = result.components[name]
        assert Fraction(component.done, component.due) == expected, name
    expected_score = percent(sum(facts["expected"].values()) / len(facts["expected"]))
    assert result.score == expected_score
    statuses = result.components["statuses"]
    assert statuses.due == len(facts["owed"])
    assert {item.what for item in statuses.missing} == {p for p, _d in facts["owed"]} - {
        p for p, _d in facts["on_time"]
    }
    assert [item.what for item in result.components["gates"].missing] == [facts["open_action"]]
    assert [item.what for item in result.components["risks"].missing] == [facts["overdue_risk"]]
    assert [item.what for item in result.components["deliverables"].missing] == [facts["missing_deliverable"]]


def test_the_score_drops_when_a_required_deliverable_is_missing_and_rises_when_approved(world):
    project = old_project(world)
    charter, plan = requirements()
    Deliverable.objects.create(
        project=project, deliverable_type=charter.deliverable_type, phase=charter.phase, state="approved"
    )
    today = timezone.localdate()

    def score():
        return compliance([project], on=today)[project.pk].score

    # Only deliverables are due (no status owed: created today would owe none; risks, gates none).
    Project.objects.filter(pk=project.pk).update(created_at=timezone.now())
    project.refresh_from_db()
    before = score()
    assert before == percent(Fraction(1, 2))
    missing = Deliverable.objects.create(
        project=project, deliverable_type=plan.deliverable_type, phase=plan.phase, state="submitted"
    )
    assert score() == before
    missing.state = "approved"
    missing.save()
    assert score() == 100 > before


def test_nothing_due_is_n_a_not_zero(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, phase=None)
    result = compliance([project], on=timezone.localdate())[project.pk]
    assert result.score is None and all(c is None for c in result.components.values())

    client.force_login(world.pm)
    html = client.get(f"/standards/projects/{project.code}/compliance/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Nothing is due yet: the score is n/a." in html


def test_a_gate_with_its_conditions_closed_is_done_and_a_week_reported_late_is_not(world):
    project = old_project(world)
    conditional_gate(project, actions_done=2, actions_open=0)
    result = compliance([project], on=timezone.localdate())[project.pk]
    assert (result.components["gates"].done, result.components["gates"].due) == (1, 1)
    assert result.components["statuses"].done == 0  # no status at all: every owed week missing


def test_the_project_page_shows_each_component_with_what_is_missing(client, world, facts):
    client.force_login(world.pm)
    response = client.get(
        f"/standards/projects/{facts['project'].code}/compliance/", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{response.context['compliance'].score} %" in html
    assert facts["missing_deliverable"].deliverable_type.name_en in html
    assert facts["open_action"].reference in html and facts["overdue_risk"].reference in html
    missed = len(facts["owed"]) - len(facts["on_time"])
    assert html.count("no status by") == missed


def chase(client, **params):
    response = client.get("/standards/compliance/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def test_the_chase_page_lists_worst_first_filters_and_exports(client, world, facts):
    good = old_project(world, directorate=world.finance)
    for period, deadline in deadlines(timezone.localdate()):
        report(good, period, moment(deadline - timedelta(days=3)))
    for requirement in requirements():
        Deliverable.objects.create(
            project=good,
            deliverable_type=requirement.deliverable_type,
            phase=requirement.phase,
            state="waived",
            waiver_reason="Projet d'infrastructure",
        )
    client.force_login(world.pmo)

    rows = list(chase(client).context["page"])
    assert [row.project for row in rows] == [facts["project"], good]  # worst first
    assert rows[1].score == 100
    page = chase(client)
    assert page.context["score"] == Decimal(round((rows[0].score + 100) / 2))
    assert [row.project for row in chase(client, sort="-score").context["page"]] == [good, facts["project"]]
    assert [row.project for row in chase(client, directorate=world.finance.pk).context["page"]] == [good]
    below = [row.project for row in chase(client, below="on").context["page"]]
    assert below == [
        p for p in (facts["project"], good) if rows[[r.project for r in rows].index(p)].score < AMBER_FROM
    ]

    export = read_csv(client.get("/standards/compliance/", {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert [row[0] for row in export.rows] == [facts["project"].code, good.code]
    score_column = export.header.index("Score (%)")
    assert [int(row[score_column]) for row in export.rows] == [rows[0].score, 100]
    xlsx = client.get("/standards/compliance/", {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_reminder_reaches_the_manager_in_their_language_once_a_day(client, world, facts, language):
    world.pm.language = language
    world.pm.save()
    client.force_login(world.pmo)
    url = f"/standards/compliance/{facts['project'].code}/remind/"

    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.pm.email]
    body = mail.outbox[0].body
    assert facts["open_action"].reference in body and facts["overdue_risk"].reference in body
    greeting = "Bonjour" if language == "fr" else "Hello"
    assert body.startswith(greeting)
    assert ComplianceReminder.objects.filter(project=facts["project"], sent_to=world.pm).count() == 1
    assert b"Reminded on" in chase(client).content

    again = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert len(mail.outbox) == 1 and ComplianceReminder.objects.count() == 1
    assert "already reminded today" in again.content.decode()


def test_the_low_compliance_signal_and_the_panel(client, world, facts):
    signals = provided_signals(project=facts["project"], user=world.pm, today=timezone.localdate())
    score = compliance([facts["project"]], on=timezone.localdate())[facts["project"].pk].score
    assert ("low_compliance" in [s.code for s in signals]) == (score < AMBER_FROM)
    client.force_login(world.pm)
    html = client.get(facts["project"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/standards/projects/{facts['project'].code}/compliance/" in html


def world_of(world, n: int) -> list[Project]:
    projects = [old_project(world) for _ in range(n)]
    requirements()
    for project in projects:
        report(project, deadlines(timezone.localdate())[0][0], timezone.now())
        conditional_gate(project, actions_done=1, actions_open=1)
        make_risk(project=project, by=world.pm, next_review_on=timezone.localdate())
    return projects


def test_the_function_costs_the_same_queries_for_one_and_ten_projects(world, django_assert_num_queries):
    one, ten = world_of(world, 1), world_of(world, 10)
    today = timezone.localdate()
    # The projects' phases (not joined), the methodologies chosen and the defaults, the requirements, the
    # deliverables, the status policy, the audit trail, the first submissions, the gate reviews, their
    # actions, the risks open then: 11.
    for projects in (one, ten):
        projects = list(Project.objects.filter(pk__in=[p.pk for p in projects]))
        with django_assert_num_queries(11):
            compliance(projects, on=today)


def chase_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        chase(client)
    return len(captured)


def test_the_chase_page_costs_the_same_queries_for_one_and_ten_projects(client, world):
    client.force_login(world.pmo)
    world_of(world, 1)
    few = chase_queries(client)
    world_of(world, 9)
    # session, user, groups; the projects with their joins and first period; the audit trail is not read
    # today; compliance (10, the phases joined); the methodologies (2); the last reminders; the form's
    # three lists: the same for 1 and 10 rows.
    assert chase_queries(client) == few
