"""The PMO's review of the weekly statuses: validate or challenge, the project manager's answer with the
next revision, *My projects*, the review queue, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio import assurance
from portfolio.models import Confidence, Project, ReviewState, StatusReport, StatusReview
from tests.factories import ProjectFactory, StatusReportFactory
from tests.portfolio.test_status_form import status_data

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def project(world):
    return ProjectFactory(code="PRJ-0100", name="Refonte CRM", project_manager=world.pm, directorate=world.it)


def review_url(report: StatusReport) -> str:
    return reverse("portfolio:status_review", args=[report.project.code, report.period.isoformat()])


def state_of(report: StatusReport) -> ReviewState:
    latest = StatusReport.objects.get(project=report.project, period=report.period, is_latest=True)
    return assurance.review_states([latest])[(latest.project_id, latest.period)]


def submit(client, project, **overrides):
    project.refresh_from_db()
    url = reverse("portfolio:status_update", args=[project.code])
    return client.post(url, status_data(based_on=project.last_report_id, **overrides), **EN)


def test_a_challenge_answered_with_a_revision_then_validated_and_revised_again(client, world, project):
    client.force_login(world.pm)
    assert submit(client, project).status_code == 302
    first = StatusReport.objects.get(project=project)
    assert state_of(first) == ReviewState.UNREVIEWED

    # The PMO challenges it from the project page (without JS: back to the project page).
    client.force_login(world.pmo)
    response = client.post(
        review_url(first),
        {
            "verdict": "challenge",
            "request": "revision",
            "message": "Le jalon 2 a glissé : revoir le RAG.",
            "revision": first.pk,
            "next": project.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert state_of(first) == ReviewState.CHALLENGED
    page = client.get(project.get_absolute_url(), **EN).content.decode()
    assert "Challenged" in page and "Le jalon 2 a glissé : revoir le RAG." in page

    # The manager sees it on My projects, with the count and the way to answer.
    client.force_login(world.pm)
    mine = client.get(reverse("portfolio:my_projects"), **EN).content.decode()
    assert "1 status challenged by the PMO" in mine
    assert "Le jalon 2 a glissé : revoir le RAG." in mine
    assert reverse("portfolio:status_update", args=[project.code]) in mine
    form = client.get(reverse("portfolio:status_update", args=[project.code]), **EN).content.decode()
    assert f"The PMO challenged the status of week {first.period_label}" in form
    assert "Answer to the PMO" in form

    # The answer is required while the period is challenged: nothing saved, what was typed kept.
    refused = submit(client, project, summary="Typed summary")
    assert refused.status_code == 200
    assert "answer it before submitting the new revision" in refused.content.decode()
    assert "Typed summary" in refused.content.decode()
    assert StatusReport.objects.filter(project=project).count() == 1

    # Answered with the same figures: a new revision carries the answer, in the thread.
    assert submit(client, project, answer="Le RAG reste vert : le jalon 2 est rattrapé.").status_code == 302
    second = StatusReport.objects.get(project=project, is_latest=True)
    assert second.revision == 2
    answer = StatusReview.objects.get(verdict=StatusReview.Verdict.ANSWERED)
    assert (answer.report, answer.author, answer.message) == (
        second,
        world.pm,
        "Le RAG reste vert : le jalon 2 est rattrapé.",
    )
    assert state_of(second) == ReviewState.ANSWERED
    assert "challenged by the PMO" not in client.get(reverse("portfolio:my_projects"), **EN).content.decode()

    # The queue shows it answered; the PMO validates it there.
    client.force_login(world.pmo)
    queue = client.get(reverse("portfolio:review_queue"), {"state": "answered"}, **EN)
    assert [row.pk for row in queue.context["page"].object_list] == [second.pk]
    assert "Le RAG reste vert" in queue.content.decode()
    client.post(review_url(second), {"verdict": "validate", "revision": second.pk})
    assert state_of(second) == ReviewState.VALIDATED
    thread = client.get(project.get_absolute_url(), **EN).content.decode()
    assert "Validated" in thread and "revision 2" in thread

    # A new revision after the validation is to be reviewed again.
    client.force_login(world.pm)
    assert submit(client, project).status_code == 302
    assert state_of(second) == ReviewState.UNREVIEWED


def test_last_weeks_status_challenged_after_the_week_ended_is_answered_with_its_own_revision(
    client, world, project
):
    last_week = StatusReportFactory(project=project, weeks_ago=1, submitted_by=world.pm)
    assurance.status_challenge(report=last_week, user=world.pmo, message="Budget ?", request="question")
    client.force_login(world.pm)

    form = client.get(reverse("portfolio:status_update", args=[project.code]), **EN).content.decode()
    assert f"The PMO challenged the status of week {last_week.period_label}" in form
    assert submit(client, project, answer="Budget tenu.").status_code == 302

    answered = StatusReport.objects.get(project=project, is_latest=True)
    assert (answered.period, answered.revision) == (last_week.period, 2)
    assert state_of(answered) == ReviewState.ANSWERED
    # Answered: the form is back to this week.
    assert submit(client, project).status_code == 302
    assert StatusReport.objects.get(project=project, is_latest=True, revision=1).period > last_week.period


def test_the_answer_is_not_asked_when_the_week_is_not_challenged(client, world, project):
    StatusReportFactory(project=project, submitted_by=world.pm)
    client.force_login(world.pm)

    form = client.get(reverse("portfolio:status_update", args=[project.code]), **EN).content.decode()
    assert "Answer to the PMO" not in form
    assert submit(client, project, answer="Nothing to answer").status_code == 302
    assert not StatusReview.objects.exists()


def test_a_challenge_needs_a_message_and_what_it_asks_for(client, world, project):
    report = StatusReportFactory(project=project)
    client.force_login(world.pmo)

    response = client.post(
        review_url(report),
        {"verdict": "challenge", "request": "", "message": "  "},
        HTTP_HX_REQUEST="true",
        **EN,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "A challenge needs a message" in page and "Say what the challenge asks for" in page
    assert not StatusReview.objects.exists()


def test_a_review_of_a_revision_older_than_the_latest_is_refused(client, world, project):
    client.force_login(world.pm)
    submit(client, project)
    first = StatusReport.objects.get(project=project)
    submit(client, project)
    client.force_login(world.pmo)

    response = client.post(
        review_url(first), {"verdict": "validate", "revision": first.pk}, HTTP_HX_REQUEST="true", **EN
    )

    assert "submitted revision 2 since" in response.content.decode()
    assert not StatusReview.objects.exists()


def test_the_thread_is_swapped_after_a_review_with_htmx(client, world, project):
    report = StatusReportFactory(project=project)
    client.force_login(world.pmo)

    response = client.post(
        review_url(report),
        {
            "verdict": "challenge",
            "request": "question",
            "message": "Pourquoi ce vert ?",
            "revision": report.pk,
        },
        HTTP_HX_REQUEST="true",
        **EN,
    )

    page = response.content.decode()
    assert response.status_code == 200 and 'id="status-thread"' in page
    assert "Pourquoi ce vert ?" in page and "Challenged" in page and "question" in page


@pytest.mark.parametrize("role", ["pm", "executive"])
def test_only_the_pmo_and_administrators_review(client, world, project, role):
    report = StatusReportFactory(project=project)
    client.force_login(getattr(world, role))

    assert client.post(review_url(report), {"verdict": "validate"}).status_code == 403
    assert client.get(reverse("portfolio:review_queue")).status_code == 403
    assert "Send the challenge" not in client.get(project.get_absolute_url(), **EN).content.decode()
    assert not StatusReview.objects.exists()


def test_a_confidential_project_is_not_found_by_whoever_may_not_see_it(client, world):
    secret = ProjectFactory(project_manager=world.pm, directorate=world.it, confidential=True)
    report = StatusReportFactory(project=secret)
    client.force_login(world.member)

    assert client.post(review_url(report), {"verdict": "validate"}).status_code == 404


def test_an_administrator_validates_from_the_queue_and_returns_to_it_with_its_filters(client, world, project):
    report = StatusReportFactory(project=project)
    client.force_login(world.admin)
    back = f"{reverse('portfolio:review_queue')}?state=unreviewed&directorate={world.it.pk}&page=1"

    response = client.post(review_url(report), {"verdict": "validate", "revision": report.pk, "next": back})

    assert response.status_code == 302 and response.url == back
    assert state_of(report) == ReviewState.VALIDATED


def test_the_queue_row_is_swapped_after_a_review_with_htmx(client, world, project):
    report = StatusReportFactory(project=project)
    client.force_login(world.pmo)

    response = client.post(
        review_url(report),
        {"verdict": "validate", "revision": report.pk, "surface": "queue"},
        HTTP_HX_REQUEST="true",
        **EN,
    )

    page = response.content.decode()
    assert page.lstrip().startswith("<tr") and "Validated" in page and project.code in page


def queue(client, **query):
    return client.get(reverse("portfolio:review_queue"), query, **EN)


def test_the_queue_counts_each_state_and_filters_by_state_and_directorate(client, world):
    weeks = {}
    reports = []
    for n, (directorate, verdict) in enumerate(
        [("it", None), ("it", "challenged"), ("finance", None), ("finance", "validated"), ("it", "validated")]
    ):
        project = ProjectFactory(directorate=getattr(world, directorate))
        report = StatusReportFactory(project=project, weeks_ago=n)
        weeks[report.pk] = n
        if verdict == "challenged":
            assurance.status_challenge(
                report=report, user=world.pmo, message="Pourquoi ?", request="question"
            )
        elif verdict == "validated":
            assurance.status_validate(report=report, user=world.pmo)
        reports.append(report)
    closed = ProjectFactory(state=Project.State.CLOSED, directorate=world.it)
    StatusReportFactory(project=closed)
    client.force_login(world.pmo)

    states = assurance.review_states(reports)
    expected = {state: sum(1 for s in states.values() if s == state) for state in ReviewState.values}
    response = queue(client)
    counts = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {**expected, "all": len(reports)}
    # Unreviewed by default, the oldest first; the closed project is not there.
    unreviewed = [r for r in reports if states[(r.project_id, r.period)] == ReviewState.UNREVIEWED]
    assert [row.pk for row in response.context["page"].object_list] == sorted(
        (r.pk for r in unreviewed), key=lambda pk: -weeks[pk]
    )
    assert closed.code not in response.content.decode()

    validated = queue(client, state="validated", directorate=world.it.pk)
    assert [row.project.directorate for row in validated.context["page"].object_list] == [world.it]
    assert {tab["value"]: tab["count"] for tab in validated.context["tabs"]}["all"] == 3
    assert len(queue(client, state="all").context["page"].object_list) == len(reports)
    assert "Pourquoi ?" in queue(client, state="challenged").content.decode()


def test_the_queue_lists_the_follow_up_reviews_due(client, world, project):
    today = timezone.localdate()
    assurance.confidence_record(
        project=project,
        rating=Confidence.RED,
        assessed_on=today - timedelta(days=60),
        reason="Retard",
        user=world.pmo,
    )
    later = ProjectFactory(code="PRJ-0200")
    assurance.confidence_record(
        project=later, rating=Confidence.GREEN, assessed_on=today, reason="OK", user=world.pmo
    )
    client.force_login(world.pmo)

    response = queue(client)

    assert (
        [due.project for due in response.context["follow_ups"]]
        == [due.project for due in assurance.follow_ups_due(today)]
        == [project]
    )
    page = response.content.decode()
    assert "Overdue" in page and project.get_absolute_url() in page


def queries_for(client, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert queue(client, **query).status_code == 200
    return len(captured)


def many(world, number: int) -> None:
    for _n in range(number):
        report = StatusReportFactory(project=ProjectFactory(directorate=world.it))
        assurance.status_challenge(report=report, user=world.pmo, message="Pourquoi ?", request="question")


def test_the_queue_costs_the_same_queries_for_few_or_many_rows(client, world):
    client.force_login(world.pmo)
    many(world, 2)
    few = queries_for(client, state="challenged")
    many(world, 30)

    # session, user, roles; the count of each state (one aggregate); the page's count and its rows with
    # their project, directorate, submitter and review (with_review's subqueries); the authors of the
    # rows' last messages; the follow-up reviews due; the directorates of the filter: 9
    assert queries_for(client, state="challenged") == few == 9


def test_the_project_page_reads_the_thread_in_one_query_however_long(client, world, project):
    report = StatusReportFactory(project=project)
    client.force_login(world.pmo)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(project.get_absolute_url()).status_code == 200
        return len(captured)

    assurance.status_challenge(report=report, user=world.pmo, message="Pourquoi ?", request="question")
    short = page_queries()
    for n in range(10):
        assurance.status_challenge(report=report, user=world.admin, message=f"Relance {n}", request="comment")
        assurance.status_answer(report=report, user=world.pm, message=f"Réponse {n}")

    # The thread's entries come with their author and revision (portfolio.assurance.thread): the page's
    # count (tests/portfolio/test_project_page.py lists it) does not grow with them.
    assert page_queries() == short


def test_the_queue_and_the_project_page_agree_on_every_state(world):
    """The queue reads the state in SQL (`with_review`), the project page from the thread it has read
    (`review_state`): the same rule, asked of the same periods."""
    reports = [StatusReportFactory(project=ProjectFactory()) for _n in range(5)]
    _none, challenged, answered, validated, revised = reports
    assurance.status_challenge(report=challenged, user=world.pmo, message="?", request="question")
    assurance.status_challenge(report=answered, user=world.pmo, message="?", request="comment")
    StatusReport.objects.filter(pk=answered.pk).update(is_latest=False)
    answer = StatusReportFactory(project=answered.project, revision=2)
    assurance.status_answer(report=answer, user=world.pm, message="!")
    assurance.status_validate(report=validated, user=world.pmo)
    assurance.status_validate(report=revised, user=world.pmo)
    StatusReport.objects.filter(pk=revised.pk).update(is_latest=False)
    newer = StatusReportFactory(project=revised.project, revision=2)
    latest = [reports[0], challenged, answer, validated, newer]

    states = assurance.review_states(latest)
    from_threads = {}
    for report in latest:
        entries = assurance.thread(project_id=report.project_id, period=report.period)
        from_threads[(report.project_id, report.period)] = assurance.review_state(
            entries[-1] if entries else None, latest_revision_id=report.pk
        )

    assert states == from_threads
    assert [states[(r.project_id, r.period)] for r in latest] == [
        ReviewState.UNREVIEWED,
        ReviewState.CHALLENGED,
        ReviewState.ANSWERED,
        ReviewState.VALIDATED,
        ReviewState.UNREVIEWED,
    ]
