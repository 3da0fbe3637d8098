"""The risks of a small portfolio that the register and heatmap tests share."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from risks.models import Risk, RiskCategory
from risks.services import risk_close, risk_escalate
from tests.factories import CommitteeFactory, PortfolioFactory, ProjectFactory, make_risk


@pytest.fixture(name="reg")
def register_world(world):
    """Risks across the portfolio:
    - `critical` (20) and `low` (4, review overdue, residual 1) on `pm`'s public IT project;
    - `secret` (25) on `pm`'s confidential project, which `other_pm` may not see;
    - `medium` (9, residual 3, escalated and awaiting the committee) on `other_pm`'s finance project;
    - `transverse` (12, an opportunity) of the finance directorate itself, owned by `other_pm`;
    - `portfolio` (6) of a portfolio of the IT directorate, with a formula-like title;
    - `closed` (15) on the IT project, closed with a note.
    """
    today = date.today()
    technical = RiskCategory.objects.create(name="Technique", name_en="Technical", order=1)
    financial = RiskCategory.objects.create(name="Financier", name_en="Financial", order=2)
    project = ProjectFactory(
        code="PRJ-0101", name="Refonte du SI RH", project_manager=world.pm, directorate=world.it
    )
    secret = ProjectFactory(
        code="PRJ-0102",
        name="Projet Fusion",
        project_manager=world.pm,
        directorate=world.it,
        confidential=True,
    )
    finance_project = ProjectFactory(
        code="PRJ-0201", name="Clôture mensuelle", project_manager=world.other_pm, directorate=world.finance
    )
    it_portfolio = PortfolioFactory(code="PF-IT", name="Portefeuille SI", directorate=world.it)
    critical = make_risk(
        project=project,
        probability=4,
        impact=5,
        title="Départ du prestataire",
        category=technical,
        proximity=today + timedelta(days=20),
    )
    low = make_risk(
        project=project,
        probability=2,
        impact=2,
        title="Retard de la recette",
        residual_probability=1,
        residual_impact=1,
        next_review_on=today - timedelta(days=3),
        proximity=today + timedelta(days=60),
    )
    secret_risk = make_risk(project=secret, probability=5, impact=5, title="Fuite de la fusion")
    medium = make_risk(
        project=finance_project,
        probability=3,
        impact=3,
        title="Indisponibilité de l'ERP",
        category=financial,
        residual_probability=1,
        residual_impact=3,
    )
    committee = CommitteeFactory(name="COPIL Finance")
    risk_escalate(risk=medium, committee=committee, reason="Arbitrer le budget", by=world.pmo)
    transverse = make_risk(
        directorate=world.finance,
        owner=world.other_pm,
        probability=3,
        impact=4,
        title="Gel des recrutements",
        kind=Risk.Kind.OPPORTUNITY,
        response=Risk.Response.EXPLOIT,
    )
    portfolio = make_risk(
        portfolio=it_portfolio, owner=world.pmo, probability=2, impact=3, title='=HYPERLINK("http://evil")'
    )
    closed = make_risk(project=project, probability=3, impact=5, title="Panne du datacenter")
    risk_close(risk=closed, by=world.pm, note="Datacenter secouru")
    return SimpleNamespace(
        today=today,
        technical=technical,
        financial=financial,
        project=project,
        secret=secret,
        finance_project=finance_project,
        it_portfolio=it_portfolio,
        committee=committee,
        critical=critical,
        low=low,
        secret_risk=secret_risk,
        medium=medium,
        transverse=transverse,
        portfolio=portfolio,
        closed=closed,
    )
