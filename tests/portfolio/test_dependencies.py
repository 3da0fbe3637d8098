"""Dependencies from the consumer's side: recorded by its manager, accepted by the provider's, shown on the
plan panel (needs and provides, broken in red with the days late) and as signals on both projects; a
project the reader may not see is "a confidential project"."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from portfolio.dependencies import dependency_signals, plan_panel
from portfolio.indicators import AMBER, RED
from portfolio.models import Milestone, ProjectDependency
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def milestone(project, name: str, forecast: date, **fields) -> Milestone:
    return Milestone.objects.create(
        project=project, name=name, baseline_date=forecast, forecast_date=forecast, **fields
    )


@pytest.fixture
def consumer(world):
    return ProjectFactory(code="DSI-010", name="Portail RH", project_manager=world.pm, directorate=world.it)


@pytest.fixture
def provider(world):
    return ProjectFactory(
        code="DF-020", name="Socle d'identité", project_manager=world.other_pm, directorate=world.finance
    )


@pytest.fixture
def secret(world):
    return ProjectFactory(
        code="DF-666", name="Fusion secrète", project_manager=world.other_pm, confidential=True
    )


@pytest.fixture
def go_live(consumer):
    return milestone(consumer, "Mise en production", TODAY + timedelta(days=60))


@pytest.fixture
def sso(provider):
    return milestone(provider, "SSO livré", TODAY + timedelta(days=30))


def depend(consumer, provider_milestone, consumer_milestone, *, needed_by, **fields) -> ProjectDependency:
    return ProjectDependency.objects.create(
        from_project=consumer,
        to_project=provider_milestone.project,
        provider_milestone=provider_milestone,
        consumer_milestone=consumer_milestone,
        needed_by=needed_by,
        **fields,
    )


def form_data(provider, provider_milestone, consumer_milestone, **more) -> dict:
    return {
        "to_project": provider.pk,
        "provider_milestone": provider_milestone.pk,
        "consumer_milestone": consumer_milestone.pk,
        "needed_by": "",
        "kind": ProjectDependency.Kind.DELIVERABLE,
        "criticality": ProjectDependency.Criticality.HIGH,
        "note": "Le portail s'authentifie par le SSO.",
        **more,
    }


# --- Recording, editing, accepting --------------------------------------------------------------------------


def test_the_consumers_manager_records_a_dependency_needed_by_the_consumer_milestones_forecast(
    client, world, consumer, provider, go_live, sso
):
    client.force_login(world.pm)

    response = client.post(
        reverse("portfolio:dependency_create", args=[consumer.code]), form_data(provider, sso, go_live)
    )

    assert response.status_code == 302
    dependency = ProjectDependency.objects.get()
    assert (dependency.from_project, dependency.to_project) == (consumer, provider)
    assert dependency.needed_by == go_live.forecast_date
    assert dependency.created_by == world.pm
    assert not dependency.is_accepted
    assert dependency.history.get().history_user == world.pm  # audited


def test_a_milestone_of_another_project_is_refused(client, world, consumer, provider, go_live, secret):
    stranger = milestone(ProjectFactory(), "Autre jalon", TODAY)
    client.force_login(world.pm)

    response = client.post(
        reverse("portfolio:dependency_create", args=[consumer.code]),
        form_data(provider, stranger, go_live),
        **EN,
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()  # only the provider's are offered
    assert not ProjectDependency.objects.exists()


def test_the_form_refuses_a_milestone_of_another_visible_project_than_the_provider(
    world, consumer, provider, go_live
):
    from portfolio.forms.dependency import DependencyForm

    other = milestone(ProjectFactory(), "Autre jalon", TODAY)
    form = DependencyForm(form_data(provider, other, go_live), project=consumer, user=world.pmo)
    form.fields["provider_milestone"].queryset = Milestone.objects.all()  # as offered without a provider

    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["provider_milestone"] == ["Choose a milestone of the provider project."]


def test_a_project_the_manager_may_not_see_cannot_be_chosen_nor_is_it_offered(
    client, world, consumer, go_live, secret
):
    hidden = milestone(secret, "Jalon secret", TODAY)
    client.force_login(world.pm)
    url = reverse("portfolio:dependency_create", args=[consumer.code])

    page = client.get(url).content.decode()
    response = client.post(url, form_data(secret, hidden, go_live))

    assert secret.code not in page and "Jalon secret" not in page
    assert response.status_code == 200 and not ProjectDependency.objects.exists()


def test_choosing_the_provider_offers_its_milestones_only(client, world, consumer, provider, go_live, sso):
    milestone(ProjectFactory(code="DSI-099"), "Jalon d'ailleurs", TODAY)
    client.force_login(world.pm)
    url = reverse("portfolio:dependency_create", args=[consumer.code])

    everything = client.get(url).content.decode()
    narrowed = client.get(url, {"to_project": provider.pk}).content.decode()

    assert f'hx-get="{url}"' in everything  # the page asks again when the provider is chosen
    assert "Jalon d&#x27;ailleurs" in everything and "SSO livré" in everything
    assert "SSO livré" in narrowed and "Jalon d&#x27;ailleurs" not in narrowed


def test_another_manager_may_not_record_a_dependency_of_a_project_they_do_not_manage(
    client, world, consumer, provider, go_live, sso
):
    client.force_login(world.other_pm)

    response = client.post(
        reverse("portfolio:dependency_create", args=[consumer.code]), form_data(provider, sso, go_live)
    )

    assert response.status_code == 403
    assert not ProjectDependency.objects.exists()


def test_the_providers_manager_accepts_the_consumers_may_not(client, world, consumer, go_live, sso):
    dependency = depend(consumer, sso, go_live, needed_by=go_live.forecast_date)
    url = reverse("portfolio:dependency_accept", args=[dependency.pk])

    client.force_login(world.pm)
    refused = client.post(url)
    client.force_login(world.other_pm)
    accepted = client.post(url)

    assert refused.status_code == 403
    assert accepted.status_code == 302
    dependency.refresh_from_db()
    assert dependency.accepted_by == world.other_pm and dependency.accepted_at is not None


def test_a_change_of_the_dates_asks_for_a_new_acceptance_a_change_of_the_note_does_not(
    client, world, consumer, provider, go_live, sso
):
    dependency = depend(
        consumer,
        sso,
        go_live,
        needed_by=go_live.forecast_date,
        accepted_by=world.other_pm,
        accepted_at=timezone.now(),
    )
    url = reverse("portfolio:dependency_edit", args=[dependency.pk])
    client.force_login(world.pm)
    data = form_data(provider, sso, go_live, needed_by=go_live.forecast_date.isoformat())

    client.post(url, {**data, "note": "Précision"})
    dependency.refresh_from_db()
    kept = dependency.is_accepted
    client.post(url, {**data, "needed_by": (go_live.forecast_date - timedelta(days=10)).isoformat()})
    dependency.refresh_from_db()

    assert kept
    assert not dependency.is_accepted and dependency.accepted_by is None
    assert dependency.needed_by == go_live.forecast_date - timedelta(days=10)


def test_removing_a_dependency_keeps_its_history(client, world, consumer, go_live, sso):
    dependency = depend(consumer, sso, go_live, needed_by=go_live.forecast_date)
    client.force_login(world.pm)

    response = client.post(reverse("portfolio:dependency_delete", args=[dependency.pk]))

    assert response.status_code == 302
    assert not ProjectDependency.objects.exists()
    assert ProjectDependency.history.filter(id=dependency.pk, history_type="-").exists()


# --- The plan panel ---------------------------------------------------------------------------------------


def panel_html(project, user) -> str:
    with translation.override("en"):
        context = plan_panel(project=project, user=user, today=TODAY)
        return render_to_string("portfolio/_plan_dependencies.html", {"panel": context})


def test_the_plan_panel_shows_a_broken_need_in_red_with_its_days_late(world, consumer, go_live, sso):
    sso.forecast_date = go_live.forecast_date + timedelta(days=12)
    sso.save()
    depend(consumer, sso, go_live, needed_by=go_live.forecast_date)

    html = panel_html(consumer, world.pm)

    assert "DF-020" in html and "SSO livré" in html and "Mise en production" in html
    assert "BROKEN" in html and "12 days late" in html
    assert "Awaiting acceptance" in html
    assert "/accept/" not in html  # the consumer's manager does not accept


def test_the_providers_manager_sees_the_provision_with_the_accept_button(
    world, consumer, provider, go_live, sso
):
    dependency = depend(consumer, sso, go_live, needed_by=go_live.forecast_date)

    html = panel_html(provider, world.other_pm)

    assert "DSI-010" in html and "BROKEN" not in html
    assert reverse("portfolio:dependency_accept", args=[dependency.pk]) in html


def test_a_provider_the_reader_may_not_see_is_a_confidential_project(world, consumer, go_live, secret):
    hidden = milestone(secret, "Jalon secret", go_live.forecast_date + timedelta(days=3))
    depend(consumer, hidden, go_live, needed_by=go_live.forecast_date)

    html = panel_html(consumer, world.pm)

    assert "a confidential project" in html and "BROKEN" in html
    assert "DF-666" not in html and "Fusion secrète" not in html and "Jalon secret" not in html


def test_the_plan_panel_costs_the_same_queries_for_one_or_many_dependencies(world, consumer, go_live):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            panel_html(consumer, world.pm)
        return len(captured)

    providers = ProjectFactory.create_batch(8)
    depend(consumer, milestone(providers[0], "J0", TODAY), go_live, needed_by=TODAY)
    panel_html(consumer, world.pm)  # the user's roles, read once per request
    few = queries()
    for n, other in enumerate(providers[1:], start=1):
        depend(consumer, milestone(other, f"J{n}", TODAY), go_live, needed_by=TODAY)
        ProjectDependency.objects.create(
            from_project=other, to_project=consumer, provider_milestone=go_live, needed_by=TODAY
        )

    # may the reader edit the project; the needs and the provisions, each with both projects, the
    # milestones, who accepted, and whether the reader sees, edits, accepts (3)
    assert few == queries() == 3


# --- Signals ---------------------------------------------------------------------------------------------


def test_a_broken_dependency_is_red_on_the_consumer_and_amber_on_the_provider(
    client, world, consumer, provider, go_live, sso
):
    sso.forecast_date = go_live.forecast_date + timedelta(days=5)
    sso.save()
    depend(consumer, sso, go_live, needed_by=go_live.forecast_date)

    with translation.override("en"):
        signals = dependency_signals([consumer, provider], user=world.pmo)
    [red], [amber] = signals[consumer.pk], signals[provider.pk]

    assert red.level == RED and amber.level == AMBER
    assert red.message.startswith("Dependency broken: DF-020's milestone SSO livré expected ")
    assert "needed by" in red.message
    client.force_login(world.pm)
    page = client.get(consumer.get_absolute_url(), **EN).content.decode()
    assert "Dependency broken: DF-020&#x27;s milestone SSO livré" in page


def test_a_dependency_met_in_time_raises_no_signal(world, consumer, provider, go_live, sso):
    depend(consumer, sso, go_live, needed_by=sso.forecast_date)

    assert dependency_signals([consumer, provider], user=world.pmo) == {}


def test_the_signal_of_a_confidential_provider_does_not_name_it(world, consumer, go_live, secret):
    hidden = milestone(secret, "Jalon secret", go_live.forecast_date + timedelta(days=3))
    depend(consumer, hidden, go_live, needed_by=go_live.forecast_date)

    with translation.override("en"):
        [signal] = dependency_signals([consumer], user=world.pm)[consumer.pk]

    assert signal.message.startswith("Dependency broken: a confidential project's milestone expected")
    assert "DF-666" not in signal.message and "Jalon secret" not in signal.message


def test_the_signals_of_a_list_cost_one_query_whatever_its_length(world):
    projects = ProjectFactory.create_batch(12)
    for consumer, provider in zip(projects[::2], projects[1::2], strict=True):
        late = milestone(provider, "Livraison", TODAY + timedelta(days=20))
        depend(consumer, late, None, needed_by=TODAY)

    dependency_signals(projects[:2], user=world.pm)  # the user's roles, read once per request
    with CaptureQueriesContext(connection) as captured:
        signals = dependency_signals(projects, user=world.pm)

    assert len(captured) == 1  # the broken dependencies with both projects and the provider milestone
    assert len(signals) == 12
