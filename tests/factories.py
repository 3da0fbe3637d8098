from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from governance.models import Committee, Membership
from pmo.models import Directorate, User
from portfolio.models import Portfolio, Project, Rag, StatusReport
from portfolio.models.status import period_of


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Direction {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Salma", "Youssef", "Camille", "Mehdi", "Nadia", "Julien"])
    last_name = factory.Iterator(["Bennani", "Alaoui", "Martin", "Tazi", "Lefèvre", "El Idrissi"])
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        # get_or_create: transactional tests flush the groups the data migration made.
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in extracted))


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    code = factory.Sequence(lambda n: f"PF{n:02d}")
    name = factory.Sequence(lambda n: f"Portefeuille {n}")
    directorate = factory.SubFactory(DirectorateFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PRJ-{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Projet {n + 1}")
    directorate = factory.SubFactory(DirectorateFactory)
    portfolio = factory.SubFactory(PortfolioFactory, directorate=factory.SelfAttribute("..directorate"))
    project_manager = factory.SubFactory(UserFactory)
    sponsor = factory.SubFactory(UserFactory)
    state = Project.State.ACTIVE
    baseline_start = factory.LazyFunction(lambda: date.today() - timedelta(days=120))
    baseline_end = factory.LazyFunction(lambda: date.today() + timedelta(days=240))
    forecast_start = factory.SelfAttribute("baseline_start")
    forecast_end = factory.SelfAttribute("baseline_end")
    budget = Decimal("2500000.00")


class StatusReportFactory(factory.django.DjangoModelFactory):
    """A weekly status report: this week's (or `weeks_ago`), rated `rag` overall and for the schedule and
    green elsewhere, 40 % complete; `slipping=True`: amber, the schedule red, the resources amber, 900,000
    spent (a project a committee looks at). Like the status service, it becomes its project's last report
    unless the project already has a more recent one (`last_report=False`: leave the project alone)."""

    class Meta:
        model = StatusReport
        skip_postgeneration_save = True

    class Params:
        weeks_ago = 0
        rag = Rag.GREEN
        slipping = factory.Trait(
            rag=Rag.AMBER, schedule_rag=Rag.RED, resources_rag=Rag.AMBER, actual_cost=Decimal(900_000)
        )

    project = factory.SubFactory(ProjectFactory)
    period = factory.LazyAttribute(lambda o: period_of(timezone.localdate()) - timedelta(weeks=o.weeks_ago))
    overall_rag = factory.SelfAttribute("rag")
    schedule_rag = factory.SelfAttribute("rag")
    cost_rag = Rag.GREEN
    scope_rag = Rag.GREEN
    resources_rag = Rag.GREEN
    percent_complete = Decimal(40)
    actual_cost = Decimal(1000)

    @factory.post_generation
    def last_report(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        project = Project.objects.filter(pk=self.project_id)
        latest = project.values_list("last_report__period", flat=True).get()
        if latest is None or self.period >= latest:
            # The latest-report cache, as the status service keeps it: no change in the project's trail.
            project.update(last_report=self)
            self.project.last_report = self


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"copil-{n}")
    kind = Committee.Kind.STEERING
    name = factory.Sequence(lambda n: f"COPIL {n}")
    chair = factory.SubFactory(UserFactory)
    secretary = factory.SubFactory(UserFactory)
    quorum = 2

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """`members=[user, ...]` (voting) or `members=[(user, role), ...]`."""
        for entry in extracted or []:
            user, role = entry if isinstance(entry, tuple) else (entry, Membership.Role.VOTING)
            Membership.objects.create(committee=self, user=user, role=role)


def planned_meeting(*, committee, by=None, starts_at=None, **fields):
    """A meeting planned the way the application plans one (attendance lines, actions to follow up)."""
    from governance.services import meeting_plan

    starts_at = starts_at or timezone.now() + timedelta(days=7)
    return meeting_plan(committee=committee, starts_at=starts_at, by=by, **fields)


def make_risk(*, project=None, by=None, probability=3, impact=3, **fields):
    """A risk recorded the way the application records one (reference, first assessment)."""
    from risks.models import Risk
    from risks.services import risk_create

    if project is None and not {"portfolio", "directorate"} & fields.keys():
        project = ProjectFactory()
    owner = fields.pop("owner", None) or (project.project_manager if project else UserFactory())
    fields.setdefault("title", f"Risque {Risk.objects.count() + 1}")
    fields.setdefault("next_review_on", date.today() + timedelta(days=30))
    risk = Risk(project=project, owner=owner, probability=probability, impact=impact, **fields)
    return risk_create(risk=risk, by=by or owner)
