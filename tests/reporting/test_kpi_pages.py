"""The KPI pages: the list of definitions, the PMO's form, a KPI's page with its history, its
measurements and the entry of manual values."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def computed_kpi(function: str, **fields) -> Kpi:
    spec = COMPUTED[function]
    fields.setdefault("code", function.replace("_", "-"))
    return Kpi.objects.create(
        name=f"FR {spec.label}",
        name_en=f"EN {spec.label}",
        source=Kpi.Source.COMPUTED,
        function=function,
        unit=spec.unit,
        direction=spec.direction,
        frequency=spec.frequency,
        **{key: value for key, value in spec.defaults.items() if key not in fields},
        **fields,
    )


def manual_kpi(code: str, **fields) -> Kpi:
    fields.setdefault("frequency", Frequency.MONTHLY)
    fields.setdefault("name", f"Nom {code}")
    fields.setdefault("name_en", f"Name {code}")
    return Kpi.objects.create(code=code, **fields)


def past(kpi: Kpi, count: int) -> list[Period]:
    """The `count` complete periods of `kpi` before the current one, oldest first."""
    return kpi.period_of(TODAY).previous().last(count)


@pytest.fixture
def kpis(world):
    red = computed_kpi("rag_red_share")
    for period, value in zip(past(red, 3), ("4.5", "12.0", "25.0"), strict=True):
        Measurement.objects.create(kpi=red, period=period.start, value=Decimal(value), computed=True)
    satisfaction = manual_kpi(
        "satisfaction",
        unit=Kpi.Unit.PERCENT,
        scope=Kpi.Scope.PROJECT,
        frequency=Frequency.QUARTERLY,
        target=80,
        amber_threshold=70,
        red_threshold=55,
    )
    staff = manual_kpi("staff", unit=Kpi.Unit.COUNT, scope=Kpi.Scope.DIRECTORATE)
    benefits = manual_kpi("benefits", unit=Kpi.Unit.AMOUNT, target=1_000_000)
    return red, satisfaction, staff, benefits


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who may do what ---------------------------------------------------------------------------


ROLES = ["admin", "pmo", "executive", "pm", "member"]
READ_ALL = {"admin": 200, "pmo": 200, "executive": 200, "pm": 404, "member": 404}
MANAGE = {"admin": 200, "pmo": 200, "executive": 403, "pm": 403, "member": 403}


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("get", "/dashboard/kpis/", {"admin": 200, "pmo": 200, "executive": 200, "pm": 200, "member": 403}),
        ("get", "/dashboard/kpis/new/", MANAGE),
        ("get", "/dashboard/kpis/rag-red-share/edit/", MANAGE),
        ("get", "/dashboard/kpis/rag-red-share/", READ_ALL),
        ("get", "/dashboard/kpis/benefits/", READ_ALL),
        # A project manager reads the per-project KPIs, the ones they enter values for.
        ("get", "/dashboard/kpis/satisfaction/", {**READ_ALL, "pm": 200}),
        ("post", "/dashboard/kpis/rag-red-share/recompute/", {**MANAGE, "admin": 302, "pmo": 302}),
        # Entering a value: 403 for a reader, before anything is looked at.
        ("post", "/dashboard/kpis/benefits/", {**READ_ALL, "executive": 403}),
    ],
)
def test_who_may_read_manage_and_enter(client, world, kpis, method, url, expected):
    for role in ROLES:
        client.force_login(getattr(world, role))
        response = getattr(client, method)(url)
        assert response.status_code == expected[role], f"{role} {method} {url}"
    client.logout()
    assert getattr(client, method)(url).status_code == 302  # to the sign-in page


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_each_kpi_with_its_definition_and_latest_portfolio_value(client, world, kpis):
    client.force_login(world.pmo)

    with translation.override("en"):
        response = client.get("/dashboard/kpis/", headers={"accept-language": "en"})

    page = response.content.decode()
    rows = {kpi.code: kpi for kpi in response.context["page"].object_list}
    assert set(rows) == {"rag-red-share", "satisfaction", "staff", "benefits"}
    red = rows["rag-red-share"]
    assert (red.latest_value, red.latest_rag) == (Decimal("25.000"), "red")
    assert "EN Active projects red" in page and "Active projects red" in page  # its name and its function
    assert "25%" in page and red.latest_label in page
    assert "1.0 M\N{NO-BREAK SPACE}MAD" in page  # the target, in short
    assert rows["benefits"].latest_value is None and "No value yet" in page
    assert "By project" in page and "By directorate" in page
    assert "/dashboard/kpis/new/" in page  # the PMO's "New KPI"


def test_readers_see_no_new_kpi_button_and_a_project_manager_only_per_project_manual_kpis(
    client, world, kpis
):
    client.force_login(world.executive)
    assert "/dashboard/kpis/new/" not in client.get("/dashboard/kpis/").content.decode()

    client.force_login(world.pm)
    response = client.get("/dashboard/kpis/")

    assert [kpi.code for kpi in response.context["page"].object_list] == ["satisfaction"]


def test_filters_by_source_frequency_and_state(client, world, kpis):
    staff = kpis[2]
    staff.is_active = False
    staff.save()
    client.force_login(world.pmo)

    def codes(query: str) -> set[str]:
        return {kpi.code for kpi in client.get(f"/dashboard/kpis/?{query}").context["page"].object_list}

    assert codes("") == {"rag-red-share", "satisfaction", "benefits"}  # active ones unless asked
    assert codes("state=all") == {"rag-red-share", "satisfaction", "staff", "benefits"}
    assert codes("state=inactive") == {"staff"}
    assert codes("source=computed") == {"rag-red-share"}
    assert codes("frequency=quarterly") == {"satisfaction"}
    assert codes("source=manual&frequency=weekly") == set()


def test_sorting_by_name_follows_the_readers_language(client, world):
    manual_kpi("a", name="Zèbre", name_en="Alpha")
    manual_kpi("b", name="Antilope", name_en="Zulu")
    client.force_login(world.pmo)

    french = client.get("/dashboard/kpis/?sort=name", headers={"accept-language": "fr"})
    english = client.get("/dashboard/kpis/?sort=name", headers={"accept-language": "en"})

    assert [kpi.code for kpi in french.context["page"].object_list] == ["b", "a"]
    assert [kpi.code for kpi in english.context["page"].object_list] == ["a", "b"]


def test_an_empty_list_says_what_kpis_are_and_offers_to_define_one(client, world):
    client.force_login(world.pmo)

    with translation.override("en"):
        page = client.get("/dashboard/kpis/", headers={"accept-language": "en"}).content.decode()

    assert "No KPI is defined yet" in page and "Define a KPI" in page


def test_the_list_query_count_does_not_grow_with_kpis_or_measurements(client, world, kpis):
    client.force_login(world.pmo)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/kpis/").status_code == 200
        return len(captured)

    few = count()
    for index in range(15):
        kpi = computed_kpi("status_compliance", code=f"compliance-{index}")
        for period in past(kpi, 10):
            Measurement.objects.create(kpi=kpi, period=period.start, value=Decimal(90), computed=True)

    # session, user, groups, the page's KPIs with their latest value (one query, two subqueries), their
    # count for the paginator
    assert count() == few == 5


# --- The PMO's form -----------------------------------------------------------------------------


def definition(**fields) -> dict:
    data = {
        "code": "cpi",
        "name": "Indice CPI",
        "name_en": "CPI",
        "source": "computed",
        "function": "portfolio_cpi",
        "unit": "percent",  # at odds with the function: an index
        "direction": "lower",  # at odds with the function: higher is better
        "frequency": "weekly",
        "scope": "portfolio",
        "target": "1",
        "amber_threshold": "0.95",
        "red_threshold": "0.85",
        "order": "10",
        "on_dashboard": "on",
        "is_active": "on",
    }
    data.update(fields)
    return data


def test_a_computed_kpi_takes_its_unit_and_direction_from_its_function_and_says_so(client, world):
    client.force_login(world.pmo)

    response = client.post("/dashboard/kpis/new/", definition())

    kpi = Kpi.objects.get(code="cpi")
    assert response.status_code == 302 and response.url == "/dashboard/kpis/cpi/"
    assert (kpi.unit, kpi.direction) == ("index", "higher")
    assert (kpi.amber_threshold, kpi.red_threshold) == (Decimal("0.95"), Decimal("0.85"))  # typed in French
    with translation.override("en"):
        assert any("Unit and direction follow the function" in text for text in messages_of(response))


def test_the_models_rules_are_shown_beside_their_fields(client, world):
    client.force_login(world.pmo)

    with translation.override("en"):
        response = client.post(
            "/dashboard/kpis/new/",
            definition(amber_threshold="0.95", red_threshold="1.2", scope="project"),
            headers={"accept-language": "en"},
        )

        form = response.context["form"]
        assert response.status_code == 200 and not Kpi.objects.exists()
        assert form.errors["red_threshold"] == [
            "When higher is better, the red threshold is at most the amber one."
        ]
        assert form.errors["scope"] == [
            "Computed KPIs are measured for the whole portfolio or per directorate."
        ]
        assert "The KPI was not saved" in response.content.decode()


def test_a_manual_kpi_with_a_function_and_a_percentage_over_100_are_refused(client, world):
    client.force_login(world.pmo)

    with translation.override("en"):
        response = client.post(
            "/dashboard/kpis/new/",
            definition(source="manual", unit="percent", target="120", amber_threshold="", red_threshold=""),
            headers={"accept-language": "en"},
        )

        errors = response.context["form"].errors
        assert errors["function"] == ["A KPI entered by hand has no computing function."]
        assert errors["target"] == ["A percentage is between 0 and 100."]


def test_what_recorded_values_mean_is_fixed_and_a_kpi_is_deactivated_not_deleted(client, world, kpis):
    red = kpis[0]
    client.force_login(world.pmo)

    with translation.override("en"):
        page = client.get("/dashboard/kpis/rag-red-share/edit/", headers={"accept-language": "en"})
        fields = page.context["form"].fields
        fixed = ("code", "source", "function", "unit", "frequency", "scope")
        assert all(fields[name].disabled for name in fixed)
        assert "The code cannot change: 3 values are recorded under it" in str(fields["code"].help_text)
    response = client.post(
        "/dashboard/kpis/rag-red-share/edit/",
        definition(
            code="renamed",
            function="status_compliance",
            frequency="monthly",
            name="Projets en alerte",
            target="5",
            amber_threshold="10",
            red_threshold="20",
            is_active="",
        ),
    )

    red.refresh_from_db()
    assert response.status_code == 302
    assert (red.code, red.function, red.frequency) == ("rag-red-share", "rag_red_share", "weekly")
    assert red.name == "Projets en alerte" and not red.is_active
    assert red.measurements.count() == 3  # the history stays
    assert client.post("/dashboard/kpis/rag-red-share/delete/").status_code == 404  # there is no such page


def test_the_code_of_a_kpi_without_values_may_change(client, world, kpis):
    client.force_login(world.pmo)

    client.post(
        "/dashboard/kpis/benefits/edit/",
        definition(code="benefits-12m", source="manual", function="", unit="amount", direction="higher"),
    )

    assert Kpi.objects.filter(code="benefits-12m").exists()


# --- A KPI's page -------------------------------------------------------------------------------


def test_a_computed_kpis_page_draws_its_history_with_target_and_thresholds(client, world, kpis):
    red = kpis[0]
    client.force_login(world.executive)

    with translation.override("en"):
        response = client.get("/dashboard/kpis/rag-red-share/", headers={"accept-language": "en"})

    figure = response.context["figure"]
    line, *levels = figure["data"]
    assert line["y"] == [4.5, 12.0, 25.0]
    assert line["marker"]["color"] == ["#2e7d32", "#f9a825", "#c62828"]  # green, amber, red
    assert [(trace["name"], trace["y"][0]) for trace in levels] == [
        ("Target (5%)", 5.0),
        ("Amber threshold (10%)", 10.0),
        ("Red threshold (20%)", 20.0),
    ]
    page = response.content.decode()
    rows = list(response.context["page"].object_list)
    assert [m.as_period.label for m in rows] == [p.label for p in reversed(past(red, 3))]
    assert "computed" in page and "12%" in page
    assert "Recompute" not in page  # an executive reads
    assert response.context["form"] is None


def test_the_pmo_recomputes_the_last_period_of_a_computed_kpi(client, world, kpis):
    red = kpis[0]
    project = ProjectFactory(directorate=world.it)
    project.created_at = timezone.now() - timedelta(days=30)
    project.save()
    client.force_login(world.pmo)

    with translation.override("en"):
        response = client.post("/dashboard/kpis/rag-red-share/recompute/", headers={"accept-language": "en"})
        last = red.period_of(TODAY).previous()
        assert response.status_code == 302
        # The one active project had not reported: 0 % red.
        assert red.measurements.get(period=last.start).value == 0
        assert messages_of(response) == [f"rag-red-share recomputed for {last.label}: 1 value stored."]


def test_a_per_directorate_kpi_shows_each_directorate_or_all_of_them(client, world, kpis):
    staff = kpis[2]
    for period in past(staff, 3):
        Measurement.objects.create(
            kpi=staff, directorate=world.it, period=period.start, value=40, entered_by=world.pmo
        )
        Measurement.objects.create(
            kpi=staff, directorate=world.finance, period=period.start, value=12, entered_by=world.pmo
        )
    client.force_login(world.pmo)

    everything = client.get("/dashboard/kpis/staff/")
    finance = client.get(f"/dashboard/kpis/staff/?scope=d{world.finance.pk}")

    assert [option.key for option in everything.context["options"]] == [
        "all",
        f"d{world.finance.pk}",  # by name: Direction Financière...
        f"d{world.it.pk}",  # ...then Direction des Systèmes d'Information
    ]
    assert everything.context["scope"].key == "all"
    assert sorted(trace["y"][0] for trace in everything.context["figure"]["data"]) == [12.0, 40.0]
    assert everything.context["page"].paginator.count == 6
    assert finance.context["page"].paginator.count == 3
    assert {m.value for m in finance.context["page"].object_list} == {Decimal(12)}


def test_a_per_project_kpi_of_many_projects_draws_the_average_and_range(client, world, kpis):
    satisfaction = kpis[1]
    period = past(satisfaction, 1)[0]
    for value in range(40, 100, 5):  # 12 projects
        Measurement.objects.create(
            kpi=satisfaction, project=ProjectFactory(), period=period.start, value=value, entered_by=world.pmo
        )
    client.force_login(world.pmo)

    response = client.get("/dashboard/kpis/satisfaction/")

    low, high, average, *levels = response.context["figure"]["data"]
    assert (low["y"], high["y"], average["y"]) == ([40.0], [95.0], [67.5])
    assert high["fill"] == "tonexty" and len(levels) == 3
    assert len(response.context["options"]) == 13  # all projects, then each one
    assert response.context["page"].paginator.count == 12


def test_a_kpi_page_costs_the_same_queries_whatever_its_measurements(client, world, kpis):
    staff = kpis[2]
    client.force_login(world.pmo)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    Measurement.objects.create(kpi=staff, directorate=world.it, period=past(staff, 1)[0].start, value=3)
    Measurement.objects.create(kpi=staff, directorate=world.finance, period=past(staff, 1)[0].start, value=4)
    few = count("/dashboard/kpis/staff/"), count("/dashboard/kpis/rag-red-share/")
    for period in past(staff, 12):
        for directorate in (world.it, world.finance):
            Measurement.objects.update_or_create(
                kpi=staff,
                directorate=directorate,
                period=period.start,
                defaults={"value": 7, "entered_by": world.pm},
            )
    red = kpis[0]
    for period in past(red, 52):
        Measurement.objects.update_or_create(
            kpi=red, period=period.start, defaults={"value": 9, "computed": True}
        )

    # session, user, groups, the KPI, its scopes, the chart's values, the table's count and page (with
    # who entered each value), and for the entry form's directorates one more on the manual KPI
    assert (count("/dashboard/kpis/staff/"), count("/dashboard/kpis/rag-red-share/")) == few == (9, 8)


# --- Entering values -----------------------------------------------------------------------------


def enter(client, code: str, **data):
    return client.post(f"/dashboard/kpis/{code}/", data, headers={"accept-language": "en"})


def test_the_pmo_enters_a_value_for_the_period_holding_the_day(client, world, kpis):
    benefits = kpis[3]
    client.force_login(world.pmo)
    day = TODAY.replace(day=1) - timedelta(days=20)  # some day of last month

    with translation.override("en"):
        response = enter(client, "benefits", period=day.isoformat(), value="1250000", comment="")
        measurement = benefits.measurements.get()
        assert response.status_code == 302 and response.url.endswith("?scope=portfolio#measurements")
        assert measurement.period == day.replace(day=1)
        assert (measurement.value, measurement.entered_by, measurement.computed) == (
            Decimal(1250000),
            world.pmo,
            False,
        )
        label = Period(Frequency.MONTHLY, day).label
        assert messages_of(response) == [
            f"1,250,000\N{NO-BREAK SPACE}MAD recorded for {label} (the whole portfolio)."
        ]


@pytest.mark.parametrize(
    ("code", "data", "field", "message"),
    [
        ("satisfaction", {"value": "101"}, "value", "A percentage is between 0 and 100."),
        ("staff", {"value": "2.5"}, "value", "A count is a whole number, 0 or more."),
        ("staff", {"value": "-1"}, "value", "A count is a whole number, 0 or more."),
        ("benefits", {"value": "-100"}, "value", "An amount cannot be negative."),
        ("benefits", {"value": "many"}, "value", "Enter a number."),
        (
            "benefits",
            {"period": (TODAY + timedelta(days=1)).isoformat()},
            "period",
            "A value cannot be entered for a future date.",
        ),
        ("staff", {"directorate": ""}, "directorate", "This field is required."),
    ],
)
def test_a_wrong_value_is_refused_with_a_clear_message(client, world, kpis, code, data, field, message):
    client.force_login(world.pmo)
    project = ProjectFactory(directorate=world.it)
    sent = {
        "period": TODAY.isoformat(),
        "value": "10",
        "directorate": world.it.pk,
        "project": project.pk,
        **data,
    }

    with translation.override("en"):
        response = enter(client, code, **sent)

        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert "The value was not recorded" in response.content.decode()
    assert not Measurement.objects.filter(kpi__code=code).exists()


def test_correcting_a_value_needs_a_comment_that_says_what_it_replaces(client, world, kpis):
    staff = kpis[2]
    period = past(staff, 1)[0]
    client.force_login(world.pmo)
    enter(client, "staff", period=period.start.isoformat(), directorate=world.it.pk, value="40")
    first = staff.measurements.get()
    client.force_login(world.admin)

    with translation.override("en"):
        refused = enter(client, "staff", period=period.end.isoformat(), directorate=world.it.pk, value="44")
        when = first.entered_at.astimezone(timezone.get_current_timezone())
        replaced = f"40 entered by {world.pmo.get_full_name()} on {when.day} {when:%B %Y}"
        assert refused.context["form"].errors["comment"] == [
            f"A value is already recorded for {period.label}: this replaces {replaced}. Say why in a comment."
        ]
        assert staff.measurements.get().value == 40

        accepted = enter(
            client,
            "staff",
            period=period.end.isoformat(),
            directorate=world.it.pk,
            value="44",
            comment="Recount",
        )
        assert messages_of(accepted) == [
            f"44 recorded for {period.label} ({world.it.name}): it replaces {replaced}."
        ]
    measurement = staff.measurements.get()
    assert (measurement.value, measurement.comment, measurement.entered_by) == (44, "Recount", world.admin)


def test_a_project_manager_enters_values_for_the_projects_they_manage_only(client, world, kpis):
    satisfaction = kpis[1]
    mine = ProjectFactory(project_manager=world.pm, directorate=world.it)
    theirs = ProjectFactory(project_manager=world.other_pm, directorate=world.finance)
    client.force_login(world.pm)

    page = client.get("/dashboard/kpis/satisfaction/")
    assert list(page.context["form"].fields["project"].queryset) == [mine]

    with translation.override("en"):
        refused = enter(client, "satisfaction", period=TODAY.isoformat(), project=theirs.pk, value="80")
        assert refused.context["form"].errors["project"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    accepted = enter(client, "satisfaction", period=TODAY.isoformat(), project=mine.pk, value="80")

    assert accepted.status_code == 302
    assert list(satisfaction.measurements.values_list("project", "value", "entered_by")) == [
        (mine.pk, Decimal(80), world.pm.pk)
    ]
    # Their own KPIs only: a portfolio-wide manual KPI is not theirs to read or enter.
    assert enter(client, "benefits", period=TODAY.isoformat(), value="1").status_code == 404


def test_an_inactive_kpi_takes_no_new_value(client, world, kpis):
    benefits = kpis[3]
    benefits.is_active = False
    benefits.save()
    client.force_login(world.pmo)

    assert client.get("/dashboard/kpis/benefits/").context["form"] is None
    assert enter(client, "benefits", period=TODAY.isoformat(), value="1").status_code == 403


def test_a_project_managers_reading_of_a_per_project_kpi_leaves_out_projects_they_may_not_see(
    client, world, kpis
):
    satisfaction = kpis[1]
    period = past(satisfaction, 1)[0].start
    visible = ProjectFactory(directorate=world.it)
    secret = ProjectFactory(directorate=world.finance, confidential=True)
    for project in (visible, secret):
        Measurement.objects.create(kpi=satisfaction, project=project, period=period, value=75)
    client.force_login(world.pm)

    response = client.get("/dashboard/kpis/satisfaction/")

    assert [option.key for option in response.context["options"]] == [f"p{visible.pk}"]
    assert secret.name not in response.content.decode()
    assert json.dumps(response.context["figure"]).count("75") >= 1


def test_administrators_see_kpis_and_measurements_in_the_admin_but_delete_no_kpi(client, world, kpis):
    client.force_login(world.admin)

    assert client.get("/admin/reporting/kpi/?source__exact=computed").status_code == 200
    assert client.get("/admin/reporting/measurement/?computed__exact=1").status_code == 200
    assert client.get(f"/admin/reporting/kpi/{kpis[0].pk}/delete/").status_code == 403
    assert client.get("/admin/reporting/measurement/add/").status_code == 403
