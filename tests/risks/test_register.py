import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from risks.models import Risk, RiskCategory
from risks.services import risk_escalate, risk_reassess
from tests.factories import CommitteeFactory, DirectorateFactory, ProjectFactory, UserFactory, make_risk
from tests.risks.portfolio_risks import register_world  # noqa: F401 (the `reg` fixture)

pytestmark = pytest.mark.django_db
REGISTER = reverse("risks:register")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def listed(client, **params) -> list[str]:
    """The references the register lists (the first page), in their order."""
    response = client.get(REGISTER, params, **ENGLISH)
    assert response.status_code == 200
    return [risk.reference for risk in response.context["page"].object_list]


def refs(*risks) -> list[str]:
    return [risk.reference for risk in risks]


# --- Access and what a row shows ----------------------------------------------------------------------


def test_the_register_opens_on_the_open_risks_highest_score_first(client, world, reg):
    client.force_login(world.pmo)

    response = client.get(REGISTER, **ENGLISH)

    html = response.content.decode()
    assert listed(client) == refs(
        reg.secret_risk, reg.critical, reg.transverse, reg.medium, reg.portfolio, reg.low
    )
    assert "6 risks found" in html
    assert '<span class="risk-level risk-level-critical">Critical</span>' in html
    assert reg.closed.reference not in html


def test_every_signed_in_user_reads_the_register_and_an_anonymous_one_is_sent_to_sign_in(client, world, reg):
    assert client.get(REGISTER).status_code == 302
    client.force_login(world.member)

    assert set(listed(client)) == set(refs(reg.critical, reg.low, reg.medium, reg.transverse, reg.portfolio))


def test_a_confidential_projects_risks_are_invisible_to_another_project_manager(client, world, reg):
    client.force_login(world.other_pm)

    response = client.get(REGISTER, {"state": "all"}, **ENGLISH)
    exported = client.get(REGISTER, {"export": "csv", "state": "all"}).content.decode("utf-8-sig")

    html = response.content.decode()
    assert reg.secret_risk.reference not in refs(*response.context["page"].object_list)
    assert "Fuite de la fusion" not in html and "Projet Fusion" not in html, "not even in the project filter"
    assert reg.secret_risk.reference not in exported and "Fusion" not in exported


def test_the_manager_of_the_confidential_project_sees_its_risks(client, world, reg):
    client.force_login(world.pm)

    assert reg.secret_risk.reference in listed(client)


def test_a_risk_past_its_review_date_is_flagged(client, world, reg):
    client.force_login(world.pmo)

    html = client.get(REGISTER, **ENGLISH).content.decode()

    row = html[html.index(f">{reg.low.reference}<") :].split("</tr>")[0]
    assert "Review overdue" in row
    assert html.count("Review overdue</span>") == 1


def test_an_escalated_risk_awaiting_the_committee_is_marked(client, world, reg):
    client.force_login(world.pmo)

    html = client.get(REGISTER, **ENGLISH).content.decode()

    row = html[html.index(f">{reg.medium.reference}<") :].split("</tr>")[0]
    assert "Awaiting committee" in row


def test_the_empty_register_says_so(client, world):
    client.force_login(world.pmo)

    html = client.get(REGISTER, **ENGLISH).content.decode()

    assert "No open risk is recorded yet." in html and "0 risks found" in html


def test_no_matching_risk_offers_to_clear_the_filters(client, world, reg):
    client.force_login(world.pmo)

    html = client.get(REGISTER, {"q": "nothing like this"}, **ENGLISH).content.decode()

    assert "No risk matches these filters." in html


# --- Filters --------------------------------------------------------------------------------------------


def test_search_finds_by_reference_and_by_title(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, q="prestataire") == refs(reg.critical)
    assert listed(client, q=reg.low.reference) == refs(reg.low)


def test_the_level_filter_uses_the_policys_thresholds(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, level="critical") == refs(reg.secret_risk, reg.critical)
    assert listed(client, level="high") == refs(reg.transverse)
    assert listed(client, level="medium") == refs(reg.medium, reg.portfolio)
    assert listed(client, level="low") == refs(reg.low)


def test_the_owner_filter_offers_only_the_owners_of_visible_risks(client, world, reg):
    stranger = UserFactory(username="stranger")
    make_risk(project=reg.secret, owner=stranger, probability=1, impact=1)
    client.force_login(world.other_pm)

    response = client.get(REGISTER, {"owner": world.other_pm.pk}, **ENGLISH)

    assert refs(*response.context["page"].object_list) == refs(reg.transverse, reg.medium)
    owners = list(response.context["filter"].filters["owner"].queryset)
    assert world.other_pm in owners and stranger not in owners


def test_the_directorate_filter_takes_the_projects_the_portfolios_and_the_risks_own(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, directorate=world.it.pk) == refs(
        reg.secret_risk, reg.critical, reg.portfolio, reg.low
    )
    assert listed(client, directorate=world.finance.pk) == refs(reg.transverse, reg.medium)


def test_the_category_filter(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, category=reg.financial.pk) == refs(reg.medium)


def test_the_state_filter_defaults_to_open_and_also_lists_closed_or_all(client, world, reg):
    client.force_login(world.pmo)

    assert reg.closed.reference not in listed(client)
    assert listed(client, state="closed") == refs(reg.closed)
    assert len(listed(client, state="all")) == 7
    assert client.get(REGISTER, **ENGLISH).context["filter"].form["state"].value() == "open"


def test_the_kind_filter(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, kind="opportunity") == refs(reg.transverse)


def test_the_project_filter_offers_only_visible_projects_with_risks(client, world, reg):
    ProjectFactory(code="PRJ-0999", name="Sans risque")
    client.force_login(world.other_pm)

    response = client.get(REGISTER, {"project": reg.finance_project.pk}, **ENGLISH)

    assert refs(*response.context["page"].object_list) == refs(reg.medium)
    codes = [p.code for p in response.context["filter"].filters["project"].queryset]
    assert codes == ["PRJ-0101", "PRJ-0201"]


def test_the_escalation_filter(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, escalated="yes") == refs(reg.medium)
    assert listed(client, escalated="awaiting") == refs(reg.medium)
    assert reg.medium.reference not in listed(client, escalated="no")
    assert len(listed(client, escalated="no")) == 5


def test_the_review_overdue_filter_lists_open_risks_past_their_review(client, world, reg):
    Risk.objects.filter(pk=reg.closed.pk).update(next_review_on=reg.today - timedelta(days=10))
    client.force_login(world.pmo)

    assert listed(client, review_overdue="on", state="all") == refs(reg.low)


def test_the_probability_and_impact_filters_on_the_inherent_or_the_residual_score(client, world, reg):
    client.force_login(world.pmo)

    assert listed(client, probability=3, impact=3) == refs(reg.medium)
    assert listed(client, probability=1, impact=3, basis="residual") == refs(reg.medium)
    # No residual scoring: the residual map places it where the inherent one does.
    assert listed(client, probability=4, impact=5, basis="residual") == refs(reg.critical)
    assert listed(client, impact=5) == refs(reg.secret_risk, reg.critical)


def test_a_filter_it_does_not_understand_lists_nothing_and_says_so(client, world, reg):
    client.force_login(world.pmo)

    response = client.get(REGISTER, {"level": "apocalyptic"}, **ENGLISH)

    assert list(response.context["page"].object_list) == []
    assert "Some filters were not understood" in response.content.decode()


# --- Sorting --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ["critical", "low", "secret_risk", "medium", "transverse", "portfolio"]),
        ("-reference", ["portfolio", "transverse", "medium", "secret_risk", "low", "critical"]),
        ("score", ["low", "portfolio", "medium", "transverse", "critical", "secret_risk"]),
        ("-score", ["secret_risk", "critical", "transverse", "medium", "portfolio", "low"]),
        # Equal levels keep the reference order.
        ("level", ["low", "medium", "portfolio", "transverse", "critical", "secret_risk"]),
        ("-level", ["critical", "secret_risk", "transverse", "medium", "portfolio", "low"]),
        # Risks without a residual score come last, whichever the direction.
        ("residual", ["low", "medium", "critical", "secret_risk", "transverse", "portfolio"]),
        ("-residual", ["medium", "low", "critical", "secret_risk", "transverse", "portfolio"]),
        ("proximity", ["critical", "low", "secret_risk", "medium", "transverse", "portfolio"]),
        ("project", ["critical", "low", "secret_risk", "medium", "transverse", "portfolio"]),
    ],
)
def test_the_register_sorts_by_each_column_with_the_reference_breaking_ties(
    client, world, reg, sort, expected
):
    client.force_login(world.pmo)

    assert listed(client, sort=sort) == refs(*(getattr(reg, name) for name in expected))


def test_sorting_by_next_review_and_by_owner(client, world, reg):
    Risk.objects.filter(pk=reg.medium.pk).update(next_review_on=reg.today + timedelta(days=90))
    client.force_login(world.pmo)

    by_review = listed(client, sort="review")
    by_owner = listed(client, sort="owner")

    assert by_review[0] == reg.low.reference and by_review[-1] == reg.medium.reference
    owners = [Risk.objects.get(reference=r).owner for r in by_owner]
    assert [o.last_name for o in owners] == sorted(o.last_name for o in owners)


def test_the_headers_link_to_the_sort_and_mark_the_current_one(client, world, reg):
    client.force_login(world.pmo)

    html = client.get(REGISTER, {"sort": "score", "level": "medium"}, **ENGLISH).content.decode()

    assert 'aria-sort="ascending"' in html
    assert "?sort=-score&amp;level=medium" in html or "?level=medium&amp;sort=-score" in html


def test_the_register_pages_by_25(client, world, reg):
    for n in range(25):
        make_risk(project=reg.project, probability=1, impact=1, title=f"Petit risque {n}")
    client.force_login(world.pmo)

    first = client.get(REGISTER, **ENGLISH)
    second = client.get(REGISTER, {"page": 2}, **ENGLISH)

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 6
    assert "31 risks found" in first.content.decode()


# --- Exports --------------------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so that Excel reads the accents"
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_csv_export_is_the_whole_filtered_sorted_register(client, world, reg):
    client.force_login(world.pmo)

    response = client.get(REGISTER, {"export": "csv", "sort": "reference", "state": "all"}, **ENGLISH)

    header, *rows = csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert header[:9] == [
        "Reference",
        "Project or home",
        "Title",
        "Category",
        "Owner",
        "Probability",
        "Impact",
        "Score",
        "Level",
    ]
    assert [row[0] for row in rows] == sorted(r.reference for r in Risk.objects.all())
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    low = by_ref[reg.low.reference]
    assert low["Project or home"] == "PRJ-0101 Refonte du SI RH"
    assert (low["Score"], low["Level"], low["Residual score"], low["Residual level"]) == (
        "4",
        "Low",
        "1",
        "Low",
    )
    assert (
        low["Review overdue"] == "Yes" and low["Next review"] == (reg.today - timedelta(days=3)).isoformat()
    )
    assert by_ref[reg.medium.reference]["Escalated"] == "Yes"
    assert by_ref[reg.closed.reference]["Closing note"] == "Datacenter secouru"
    assert by_ref[reg.closed.reference]["State"] == "Closed"
    assert by_ref[reg.transverse.reference]["Project or home"] == world.finance.name
    assert by_ref[reg.portfolio.reference]["Title"] == '\'=HYPERLINK("http://evil")', "formula neutralised"


def test_the_export_keeps_the_filters(client, world, reg):
    client.force_login(world.pmo)

    _header, *rows = csv_rows(client.get(REGISTER, {"export": "csv", "level": "critical"}))

    assert [row[0] for row in rows] == refs(reg.secret_risk, reg.critical)


def test_the_xlsx_export_has_typed_dates_and_numbers_and_neutralised_formulas(client, world, reg):
    client.force_login(world.pmo)

    response = client.get(REGISTER, {"export": "xlsx", "sort": "reference"}, **ENGLISH)

    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    critical = by_ref[reg.critical.reference]
    assert critical["Proximity"].date() == reg.today + timedelta(days=20)
    assert critical["Score"] == 20 and critical["Level"] == "Critical"
    assert by_ref[reg.portfolio.reference]["Title"] == '\'=HYPERLINK("http://evil")'
    assert sheet.freeze_panes == "A2"
    assert reg.secret_risk.reference in by_ref


def test_the_french_export_speaks_french(client, world, reg):
    client.force_login(world.pmo)

    header, *rows = csv_rows(client.get(REGISTER, {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="fr"))

    assert header[0] == "Référence"
    assert {row[0] for row in rows} >= set(refs(reg.critical, reg.low))


# --- Queries --------------------------------------------------------------------------------------------


def many_risks(count: int) -> None:
    directorate = DirectorateFactory(code="DMANY")
    category = RiskCategory.objects.create(name="Divers", name_en="Other", order=9)
    committee = CommitteeFactory()
    for n in range(count):
        project = ProjectFactory(code=f"MANY-{n:03d}", directorate=directorate)
        risk = make_risk(project=project, probability=1 + n % 5, impact=1 + (n * 2) % 5, category=category)
        risk_reassess(risk=risk, by=project.project_manager, probability=2, impact=3 + n % 3)
        if n % 3 == 0:
            risk_escalate(risk=risk, committee=committee, reason="Arbitrer", by=project.project_manager)


def queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(REGISTER, params or {}).status_code == 200
    return len(captured)


def test_the_register_query_count_does_not_grow_with_risks(client, world, reg, django_assert_num_queries):
    client.force_login(world.pmo)
    params = {"sort": "owner", "escalated": "yes", "directorate": ""}
    few = queries(client), queries(client, params)
    many_risks(30)

    # 1 session, 2 user, 3 groups (roles), 4 the risk policy, 5 count for the paginator, 6 the page of
    # risks with project, directorate, portfolio, owner and category joined and the levels, escalation,
    # open actions and review flags annotated; the filter form's choice lists: 7 directorates,
    # 8 projects with risks, 9 categories, 10 owners of risks.
    with django_assert_num_queries(10):
        client.get(REGISTER)
    assert (queries(client), queries(client, params)) == few == (10, 10)


def test_the_export_query_count_does_not_grow_with_risks(client, world, reg):
    client.force_login(world.pmo)
    few = queries(client, {"export": "csv"}), queries(client, {"export": "xlsx"})
    many_risks(30)

    # session, user, groups (roles), the risk policy, the risks with every joined relation in one query.
    assert (queries(client, {"export": "csv"}), queries(client, {"export": "xlsx"})) == few == (5, 5)
