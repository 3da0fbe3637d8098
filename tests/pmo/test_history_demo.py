"""seed_demo leaves an audit trail the History tabs can tell: every row has its created record, and some
named people changed some things, the same for the same seed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from finance.models import MonthlyAmount
from governance.models import Action, Committee, Decision, Meeting
from planning.models import ChangeRequest
from pmo.models import User
from portfolio.models import Milestone, Project, StatusReport
from resources.models import Capacity, Demand, ResourceRole
from risks.models import Issue, Risk
from standards.models import Deliverable, ExceptionReport, GovernanceDocument, ProjectMethodology

pytestmark = pytest.mark.django_db

TRACKED = (
    Project, StatusReport, Milestone, Committee, Meeting, Decision, Action, Risk, Issue, ChangeRequest,
    MonthlyAmount, ResourceRole, Capacity, Demand,
    # The standard's tracked rows the demo makes (the trail's count in seed_demo's output counts them too).
    # Methodologies are not here: the default ones come from a data migration, not from the demo.
    ProjectMethodology, Deliverable, GovernanceDocument, ExceptionReport,
)  # fmt: skip


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--reset", "--projects", "40", *args, stdout=out)
    return out.getvalue()


def trail() -> list[tuple]:
    return [
        row
        for model in TRACKED
        # In the order of the objects (their ids differ from one run to the next, not their order).
        for row in model.history.order_by("id", "history_date", "history_id").values_list(
            "history_type", "history_date", "history_user__username", "history_change_reason"
        )
    ]


def test_every_demo_row_has_its_created_record_and_some_named_changes():
    output = seed()

    for model in TRACKED:
        rows = model.objects.count()
        assert rows and model.history.filter(history_type="+").count() == rows, model.__name__
    assert f"{sum(model.history.count() for model in TRACKED):>6}" in output
    assert not any(model.history.filter(history_user__isnull=True).exists() for model in (Project, Risk))
    pmo = User.objects.get(username="pmo")
    assert Project.history.filter(history_type="~", history_user=pmo).exists()
    assert Risk.history.filter(history_type="~", history_change_reason="risk re-assessed").exists()
    assert Meeting.history.filter(history_change_reason="meeting closed").exists()
    assert Milestone.history.filter(history_type="~", history_change_reason="with the weekly status").exists()
    approved = ChangeRequest.history.filter(history_type="~", history_change_reason="change request approved")
    assert approved.exists()
    # The last record of each object is the object as it is now.
    for risk in Risk.objects.all()[:50]:
        latest = risk.history.latest()
        assert (latest.score, latest.state, latest.residual_score) == (
            risk.score,
            risk.state,
            risk.residual_score,
        )


def test_the_same_seed_gives_the_same_history():
    seed("--seed", "7")
    first = trail()
    seed("--seed", "7")

    assert trail() == first


def test_a_late_demo_projects_history_tab_tells_the_pmos_revision():
    seed()
    revised = Project.history.filter(history_type="~").order_by("code").first()
    project = Project.objects.get(pk=revised.id)
    client = Client()
    client.force_login(User.objects.get(username="pmo"))

    html = client.get(
        reverse("portfolio:project_history", args=[project.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'Salma Bennani changed <span class="history-change">Forecast end from' in html
    assert "forecast revised with the sponsor" in html
