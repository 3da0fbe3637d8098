"""Methodologies as configuration: the PMO defines them through the pages, everyone reads them, a project
follows one (and the change is kept), a methodology's own gate criteria apply only to its projects."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from governance.models import GateCriterion
from portfolio.models import Phase, Project
from standards.methodology_integration import project_panel
from standards.models import (
    DeliverableRequirement,
    DeliverableType,
    Methodology,
    ProjectMethodology,
    Tolerance,
)
from standards.services_methodology import project_methodology_set
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def phase_section(response, phase: Phase) -> str:
    """The text of the detail page's card for `phase`."""
    html = response.content.decode()
    start = html.index(f'id="phase-{phase.pk}-title"')
    end = html.find('<section class="card mb-3"', start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : end if end > 0 else None]))


def bands(*rows: dict, initial: int = 0, prefix: str = "bands") -> dict:
    """The tolerance formset's POST: `rows`, each the fields of a band (with its `id` when it exists)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name in ("id", "min_budget", "cost_percent", "schedule_days", "scope_percent"):
            data[f"{prefix}-{index}-{name}"] = row.get(name, "")
    return data


def a_methodology(code="safe", approach=Project.Methodology.AGILE, **fields) -> Methodology:
    return Methodology.objects.create(
        code=code, name=f"Méthode {code}", name_en=f"Method {code}", approach=approach, **fields
    )


def test_the_pmo_defines_a_methodology_with_two_deliverables_at_a_phase_and_a_cost_tolerance(client, world):
    scoping = Phase.objects.order_by("order").first()
    charter, business_case = DeliverableType.objects.order_by("order")[:2]
    client.force_login(world.pmo)

    response = client.post(
        reverse("standards:methodology_create"),
        {
            "code": "prince2",
            "name": "PRINCE2",
            "name_en": "PRINCE2 (EN)",
            "approach": "classic",
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response.url == "/standards/methodologies/prince2/"
    add = reverse("standards:methodology_requirement_add", kwargs={"code": "prince2"})
    for kind, more in ((charter, {"another": "1"}), (business_case, {})):
        response = client.post(
            add, {"phase": scoping.pk, "deliverable_type": kind.pk, "required_at_gate": "on", **more}
        )
        assert response.status_code == 302
    tolerances = reverse("standards:methodology_tolerances", kwargs={"code": "prince2"})
    assert client.post(tolerances, bands({"cost_percent": "10"})).status_code == 302

    methodology = Methodology.objects.get(code="prince2")
    assert {(r.phase, r.deliverable_type, r.required_at_gate) for r in methodology.requirements.all()} == {
        (scoping, charter, True),
        (scoping, business_case, True),
    }
    band = methodology.tolerances.get()
    assert (band.min_budget, band.cost_percent, band.schedule_days) == (None, Decimal("10"), None)
    assert not methodology.is_default
    detail = client.get(
        reverse("standards:methodology_detail", kwargs={"code": "prince2"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert detail.status_code == 200
    section = phase_section(detail, scoping)
    assert charter.name_en in section and business_case.name_en in section
    assert section.count("required at the gate") == 2
    for criterion in GateCriterion.objects.filter(phase=scoping, scope="", is_active=True):
        assert criterion.text_en in section  # every project's criteria show beside the methodology's
    later = phase_section(detail, Phase.objects.order_by("order")[1])
    assert charter.name_en not in later
    assert "Any size" in text(detail) and "+10 %" in text(detail)


def test_a_project_manager_reads_the_standard_but_cannot_change_it(client, world):
    methodology = Methodology.objects.get(code="classic")
    client.force_login(world.pm)
    assert client.get(reverse("standards:methodology_list")).status_code == 200
    detail = client.get(
        reverse("standards:methodology_detail", kwargs={"code": "classic"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert detail.status_code == 200 and "Edit the tolerances" not in text(detail)
    for name, kwargs in [
        ("standards:methodology_create", {}),
        ("standards:methodology_edit", {"code": "classic"}),
        ("standards:methodology_requirement_add", {"code": "classic"}),
        ("standards:methodology_criterion_add", {"code": "classic"}),
        ("standards:methodology_tolerances", {"code": "classic"}),
        ("standards:deliverable_type_create", {}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
        assert client.post(reverse(name, kwargs=kwargs), {"name": "x"}).status_code == 403
    assert Methodology.objects.get(pk=methodology.pk).name == methodology.name


def test_an_approach_has_one_default_methodology(client, world):
    client.force_login(world.pmo)
    classic = Methodology.objects.get(approach="classic", is_default=True)

    response = client.post(
        reverse("standards:methodology_create"),
        {
            "code": "v-cycle",
            "name": "Cycle en V",
            "name_en": "V-cycle",
            "approach": "classic",
            "is_default": "on",
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert f"{classic.name_en} is already the default for the Classic (waterfall) approach" in text(response)
    assert not Methodology.objects.filter(code="v-cycle").exists()
    # Not a default, it is accepted.
    data = {
        "code": "v-cycle",
        "name": "Cycle en V",
        "name_en": "V-cycle",
        "approach": "classic",
        "is_active": "on",
    }
    assert client.post(reverse("standards:methodology_create"), data).status_code == 302


def test_a_methodology_has_one_band_for_projects_of_any_size(client, world):
    client.force_login(world.pmo)
    classic = Methodology.objects.get(code="classic")
    existing = classic.tolerances.get(min_budget=None)
    url = reverse("standards:methodology_tolerances", kwargs={"code": "classic"})
    kept = {"id": existing.pk, "cost_percent": "10", "schedule_days": "28"}

    response = client.post(url, bands(kept, {"cost_percent": "20"}, initial=1), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "There is already a band for projects of any size (blank minimum)." in text(response)
    assert list(classic.tolerances.all()) == [existing]
    # Two bands from the same budget are refused as clearly; a band for larger projects is accepted.
    response = client.post(
        url,
        bands(kept, {"min_budget": "5000000", "cost_percent": "5"}, {"min_budget": "5000000"}, initial=1),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "There is already a band from this budget." in text(response)
    response = client.post(url, bands(kept, {"min_budget": "5000000", "cost_percent": "5"}, initial=1))
    assert response.status_code == 302
    assert classic.tolerances.count() == 2
    # Removing the blank band frees its place for another one.
    response = client.post(
        url, bands({**kept, "DELETE": "on"}, {"cost_percent": "12"}, initial=1) | {"bands-0-DELETE": "on"}
    )
    assert response.status_code == 302
    assert classic.tolerances.get(min_budget=None).cost_percent == Decimal("12")


def test_changing_a_projects_methodology_keeps_its_history_and_sets_its_approach(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    assert project.methodology == Project.Methodology.CLASSIC
    safe = a_methodology()
    url = reverse("standards:project_methodology", kwargs={"code": project.code})
    client.force_login(world.pmo)
    before = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Never changed" in text(before) and "Classic (waterfall)" in text(before)

    response = client.post(url, {"methodology": safe.pk, "reason": "Train agile constitué"})

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.methodology == Project.Methodology.AGILE and project.version == 2
    row = ProjectMethodology.objects.get(project=project)
    assert (row.methodology, row.changed_by, row.reason) == (safe, world.pmo, "Train agile constitué")
    client.post(
        url, {"methodology": Methodology.objects.get(code="classic").pk, "reason": "Retour au cycle en V"}
    )
    project.refresh_from_db()
    assert project.methodology == Project.Methodology.CLASSIC and project.version == 3
    assert row.history.count() == 2

    # The project manager reads who changed it, when, from what to what and why; cannot change it.
    client.force_login(world.pm)
    page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert re.search(r"Method safe Classic \(waterfall\) Retour au cycle en V", page)
    assert re.search(r"the default of its approach Method safe Train agile constitué", page)
    assert page.count(world.pmo.get_full_name() or world.pmo.username) >= 2
    assert "Change the methodology" not in page
    assert client.post(url, {"methodology": safe.pk, "reason": "x"}).status_code == 403
    assert ProjectMethodology.objects.get(project=project).methodology.code == "classic"


def test_choosing_the_methodology_already_assigned_is_refused(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    safe = a_methodology()
    project_methodology_set(project=project, methodology=safe, reason="", by=world.pmo)
    client.force_login(world.pmo)
    url = reverse("standards:project_methodology", kwargs={"code": project.code})
    response = client.post(url, {"methodology": safe.pk, "reason": "encore"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "The project already follows this methodology." in text(response)


def test_a_methodologys_own_gate_criterion_applies_only_to_the_projects_following_it(client, world):
    design = Phase.objects.order_by("order")[1]
    safe = a_methodology()
    client.force_login(world.pmo)
    response = client.post(
        reverse("standards:methodology_criterion_add", kwargs={"code": safe.code}),
        {
            "phase": design.pk,
            "text": "Démo système acceptée",
            "text_en": "System demo accepted",
            "order": 5,
            "is_active": "on",
            "automatic_check": "",
        },
    )
    assert response.status_code == 302
    criterion = GateCriterion.objects.get(text_en="System demo accepted")
    assert criterion.scope == "methodology:safe"
    following, other_agile, classic = (
        ProjectFactory(project_manager=world.pm, directorate=world.it, phase=design, methodology=approach)
        for approach in ("agile", "agile", "classic")
    )
    project_methodology_set(project=following, methodology=safe, reason="", by=world.pmo)

    assert criterion in GateCriterion.objects.for_project(following)
    for project in (other_agile, classic):
        assert criterion not in GateCriterion.objects.for_project(project)
        assert GateCriterion.objects.for_project(project).exists()  # every project's criteria still apply
    client.force_login(world.pm)
    for project, shown in ((following, True), (other_agile, False), (classic, False)):
        page = client.get(
            reverse("governance:gate_request", kwargs={"code": project.code}), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert page.status_code == 200 and ("System demo accepted" in text(page)) is shown


def test_a_pmo_edits_and_removes_a_methodology_criterion(client, world):
    safe = a_methodology()
    design = Phase.objects.order_by("order")[1]
    criterion = GateCriterion.objects.create(phase=design, text="A", text_en="A", scope=safe.scope_key)
    client.force_login(world.pmo)
    edit = reverse("standards:criterion_edit", kwargs={"pk": criterion.pk})
    data = {"phase": design.pk, "text": "Revue PI", "text_en": "PI review", "order": 1, "is_active": "on"}
    assert client.post(edit, data).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.text_en, criterion.scope) == ("PI review", safe.scope_key)
    # Every project's criteria are not the methodology's to change.
    everyone = GateCriterion.objects.filter(scope="").first()
    assert client.get(reverse("standards:criterion_edit", kwargs={"pk": everyone.pk})).status_code == 404
    assert client.post(reverse("standards:criterion_delete", kwargs={"pk": criterion.pk})).status_code == 302
    assert not GateCriterion.objects.filter(pk=criterion.pk).exists()


def test_a_confidential_projects_methodology_exists_only_for_its_people(client, world):
    secret = ProjectFactory(project_manager=world.pm, directorate=world.it, confidential=True)
    url = reverse("standards:project_methodology", kwargs={"code": secret.code})
    for user, status in ((world.other_pm, 404), (world.member, 404), (world.pm, 200), (world.executive, 200)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 404:
            assert secret.name not in response.content.decode()


def test_the_project_page_shows_the_standard_it_follows(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, budget=Decimal("30000000"))
    classic = Methodology.objects.get(code="classic")
    Tolerance.objects.create(methodology=classic, min_budget=Decimal("20000000"), cost_percent=Decimal("5"))
    client.force_login(world.pm)
    page = text(client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Standard" in page and f"{classic.name_en} (default of its approach)" in page
    assert "cost +5 %" in page and "schedule: none" in page  # the band of large projects
    assert "Methodology and history" in page


def test_the_standard_panel_reads_two_queries(world, django_assert_num_queries):
    safe = a_methodology()
    Tolerance.objects.create(methodology=safe, cost_percent=Decimal("15"))
    Tolerance.objects.create(methodology=safe, min_budget=Decimal("1000"), cost_percent=Decimal("8"))
    project = ProjectFactory(methodology="agile")
    project_methodology_set(project=project, methodology=safe, reason="", by=world.pmo)
    world.pmo.has_role()  # the user's roles, read once per request by the page
    with django_assert_num_queries(2):
        panel = project_panel(project=project, user=world.pmo, today=None)
    assert panel["methodology"] == safe and panel["chosen"] and panel["can_change"]
    assert panel["tolerance"].cost_percent == Decimal("8")


def grow(n: int) -> None:
    """`n` more methodologies, each with required deliverables, its own criteria and two bands."""
    phases, types = list(Phase.objects.all()), list(DeliverableType.objects.all())
    for index in range(n):
        methodology = a_methodology(code=f"m{Methodology.objects.count()}-{index}")
        for phase in phases[:3]:
            for kind in types[:2]:
                DeliverableRequirement.objects.create(
                    methodology=methodology, phase=phase, deliverable_type=kind
                )
            GateCriterion.objects.create(phase=phase, text="c", text_en="c", scope=methodology.scope_key)
        Tolerance.objects.create(methodology=methodology, cost_percent=Decimal("10"))
        Tolerance.objects.create(
            methodology=methodology, min_budget=Decimal("1000"), cost_percent=Decimal("5")
        )
        ProjectMethodology.objects.create(project=ProjectFactory(), methodology=methodology)


# session, user, the user's roles, then the methodologies with their counts (one query)
LIST_QUERIES = 4
# session, user, roles, the methodology, the phases, the criteria, the requirements with their types, the
# tolerances
DETAIL_QUERIES = 8


def test_the_list_and_detail_query_counts_do_not_grow_with_rows(client, world, django_assert_num_queries):
    client.force_login(world.pm)
    list_url = reverse("standards:methodology_list")
    client.get(list_url)
    grow(1)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(list_url).status_code == 200
    grow(4)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(list_url)
    assert len(response.context["methodologies"]) == Methodology.objects.count() == 8
    row = next(m for m in response.context["methodologies"] if m.code.endswith("-0"))
    assert (row.requirement_count, row.criterion_count, row.tolerance_count, row.assigned_count) == (
        6,
        3,
        2,
        1,
    )

    methodology = Methodology.objects.filter(code__endswith="-0").first()
    url = reverse("standards:methodology_detail", kwargs={"code": methodology.code})
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    for phase in Phase.objects.all():
        GateCriterion.objects.create(phase=phase, text="d", text_en="d", scope=methodology.scope_key)
    Tolerance.objects.create(methodology=methodology, min_budget=Decimal("9000"))
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert len(response.context["tolerances"]) == 3


def test_deliverable_types_are_listed_created_and_edited_by_the_pmo(client, world):
    client.force_login(world.pmo)
    response = client.post(
        reverse("standards:deliverable_type_create"),
        {"name": "Dossier d'architecture", "name_en": "Architecture file", "order": 15, "is_active": "on"},
    )
    assert response.status_code == 302
    created = DeliverableType.objects.get(name_en="Architecture file")
    edit = reverse("standards:deliverable_type_edit", kwargs={"pk": created.pk})
    assert (
        client.post(
            edit, {"name": "Dossier d'architecture", "name_en": "Architecture file", "order": 15}
        ).status_code
        == 302
    )
    created.refresh_from_db()
    assert not created.is_active
    client.force_login(world.pm)
    page = text(client.get(reverse("standards:deliverable_type_list"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Architecture file" in page and "Inactive" in page and "New deliverable type" not in page
