"""The confidentiality sweep: in the demo, no page a user may open names a project they may not see.

For every demo user, the confidential projects they may not open (404 on the project's page) are
searched for, by code and by name, in every answer of every URL the resolver knows that the user may
reach: pages, htmx partials (the meeting and project pages asked again with HX-Request), CSV and
XLSX exports, `.ics` invitations and the calendar feed, the API's JSON, the meeting pack and
minutes as PDFs (pdftotext) and the pack's PowerPoint version (python-pptx). The path parameters are
filled with that user's own objects, those that touch a hidden project first (the meeting whose agenda
holds it, the action they own about it...).

The demo's size is `PMO_SWEEP_PROJECTS` (default 40, a couple of minutes); the issue asks it to pass at
200 too: `PMO_SWEEP_PROJECTS=200 pytest tests/security/test_confidentiality_sweep.py`.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from benefits.models import BenefitProfile, ClosureReport, Lesson
from demand.models import PortfolioScenario, ProjectRequest, RequestAttachment
from finance.models import CostCategory, MonthlyAmount
from governance.models import (
    Action,
    CalendarFeed,
    Committee,
    Decision,
    GateCriterion,
    GateReview,
    Meeting,
    Membership,
)
from imports.models import Import
from planning.models import Baseline, ChangeRequest
from pmo.models import User
from portfolio.models import (
    DeliveryConfidence,
    ExchangeRate,
    Milestone,
    Project,
    ProjectDependency,
    ProjectPhase,
    StatusReport,
)
from reporting.models import ExecutivePack, Kpi, Measurement, Report, SlideTemplate
from reporting.reports import report_build, report_request
from resources.models import Capacity, Demand, ResourceRole, Scenario
from risks.models import Issue, Risk
from standards.models import (
    Deliverable,
    DeliverableRequirement,
    DeliverableType,
    DocumentVersion,
    GovernanceDocument,
    Methodology,
    Template,
)
from standards.services_exception import exceptions_visible_to

pytestmark = pytest.mark.django_db

PROJECTS = int(os.environ.get("PMO_SWEEP_PROJECTS", "40"))
SEED = int(os.environ.get("PMO_SWEEP_SEED", "2026"))
# Objects of one kind tried per URL and user: those touching a hidden project come first.
PER_KIND = int(os.environ.get("PMO_SWEEP_PER_KIND", "1"))
# Only the URLs whose name starts with this (say "governance:committee"), to look into one leak.
ONLY = os.environ.get("PMO_SWEEP_ONLY", "")
# Meetings whose pack (and minutes, once closed) are built as PDFs: WeasyPrint takes seconds each.
PDF_MEETINGS = int(os.environ.get("PMO_SWEEP_PDF_MEETINGS", "3"))
# Pages that answer an htmx request with other partials than the page's own: asked both ways.
HTMX = (
    "governance:meeting",
    "governance:live",
    "governance:agenda",
    "governance:action",
    "portfolio:project",
)

# Not pages of the application's data: signing in and out, the language switch, the API's schema.
SKIPPED = {"logout", "set_language", "login", "api:schema", "api:docs", "healthz"}
# Lists whose exports and filters may name projects: each is also asked for these.
QUERIES = {
    "portfolio:project_list": [
        {"export": "csv"},
        {"export": "xlsx"},
        {"state": "closed"},
        {"status": "stale"},
        {"confidence": "red"},
        {"confidence": "none"},
        {"disagreement": "1"},
        {"sort": "confidence", "export": "csv"},
    ],
    "portfolio:status_history": [{}, {"disagreement": "1"}],
    "demand:request_list": [{"export": "csv"}, {"export": "xlsx"}, {"mine": "1"}],
    "standards:document_list": [{"export": "csv"}, {"export": "xlsx"}, {"review": "overdue"}],
    "api:confidence-assessment-list": [{"rating": "red"}, {"ordering": "-assessed_on"}],
    "portfolio:review_queue": [{"state": "all"}, {"state": "challenged"}, {"state": "validated"}],
    "planning:dependency_map": [{"format": "csv"}, {"broken": "on"}],
    "governance:decision_list": [{"export": "csv"}, {"export": "xlsx"}],
    "governance:action_tracker": [{"export": "csv"}, {"export": "xlsx"}, {"state": "done"}],
    "risks:register": [{"export": "csv"}, {"export": "xlsx"}, {"state": "closed"}],
    "risks:issue_list": [{"export": "csv"}, {"export": "xlsx"}],
    "planning:change_request_list": [{"export": "csv"}, {"export": "xlsx"}, {"state": "approved"}],
    "planning:roadmap": [{"group": "portfolio"}, {"rag": "none"}, {"as_at": "2026-01-31"}],
    "planning:roadmap_export": [{"group": "portfolio"}],
    "planning:milestones_export": [{"rag": "red"}],
    "api:resources-allocation": [{"months": "24"}],
    "finance:data_export": [{"fy": "2027"}],
    "resources:data_export": [{"fy": "2027"}],
    "demand:ranking": [{"export": "csv"}, {"export": "xlsx"}, {"kind": "project", "sort": "value"}],
    "finance:project_money": [{"fy": "2025"}, {"fy": "2027"}],
    "resources:heatmap": [{"export": "csv"}, {"export": "xlsx"}, {"from": "2020-01"}],
    # The drill-down of the cells that hold a confidential project's demand (planted), page and exports.
    "resources:cell": lambda: [
        {**cell, **export}
        for cell in confidential_cells()
        for export in ({}, {"export": "csv"}, {"export": "xlsx"})
    ],
    "resources:whatif": [{"q": "a"}],
    "finance:view": [{"as_at": "2026-01-31"}, {"fy": "2025"}],
    "finance:projects": [{"export": "csv"}, {"export": "xlsx"}, {"as_at": "2026-01-31"}, {"converted": "no"}],
    "benefits:lessons": [{"export": "csv"}, {"export": "xlsx"}, {"q": "leçon"}, {"source": "closure"}],
    "reporting:projects": [
        {"rag": "red"},
        {"rag": "amber"},
        {"late": "1"},
        {"rag": "none"},
        {"status": "stale"},
        {"confidence": "red"},
        {"confidence": "amber_red"},
        {"disagreement": "1"},
        {"confidence": "red", "export": "csv"},
    ],
}


def application_urls() -> Iterator[tuple[str, list[str]]]:
    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    yield from walk(
                        entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                    )
            elif isinstance(entry, URLPattern):
                yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)

    yield from walk(get_resolver().url_patterns)


class Objects:
    """What `user` may reach, the objects touching the projects hidden from them first."""

    def __init__(self, user: User, hidden: list[Project]) -> None:
        self.user = user
        self.hidden_ids = [p.pk for p in hidden]

    def _pick(self, queryset, touching) -> list:
        near = list(queryset.filter(touching).distinct()[:PER_KIND]) if self.hidden_ids else []
        rest = list(queryset.exclude(pk__in=[o.pk for o in near])[: max(1, PER_KIND - len(near))])
        return near + rest

    def projects(self):
        from django.db.models import Q

        hidden = self.hidden_ids
        return self._pick(
            Project.objects.visible_to(self.user).order_by("code"),
            Q(dependencies__to_project__in=hidden)
            | Q(dependents__from_project__in=hidden)
            | Q(committees__scope_projects__in=hidden),
        )

    def committees(self):
        from django.db.models import Q

        return self._pick(
            Committee.objects.visible_to(self.user).order_by("code"),
            Q(meetings__items__project__in=self.hidden_ids)
            | Q(scope_directorate__projects__in=self.hidden_ids),
        )

    def meetings(self):
        from django.db.models import Q

        picked = self._pick(
            Meeting.objects.visible_to(self.user).order_by("-starts_at"),
            Q(items__project__in=self.hidden_ids) | Q(decisions__project__in=self.hidden_ids),
        )
        # And one whose agenda holds resources' items (a scenario, an over-allocation): about no project,
        # they may list confidential ones (see plant_resources).
        more = (
            Meeting.objects.visible_to(self.user)
            .filter(items__title_key__startswith="resources.")
            .exclude(pk__in=[m.pk for m in picked])
            .distinct()
            .order_by("-starts_at")[:1]
        )
        return picked + list(more)

    def decisions(self):
        from django.db.models import Q

        return self._pick(
            Decision.objects.visible_to(self.user), Q(meeting__items__project__in=self.hidden_ids)
        )

    def actions(self):
        from django.db.models import Q

        return self._pick(
            Action.objects.visible_to(self.user),
            Q(project__in=self.hidden_ids) | Q(meeting__items__project__in=self.hidden_ids),
        )

    def risks(self):
        from django.db.models import Q

        return self._pick(Risk.objects.visible_to(self.user), Q(project__in=self.hidden_ids))

    def issues(self):
        from django.db.models import Q

        return self._pick(Issue.objects.visible_to(self.user), Q(project__in=self.hidden_ids))

    def change_requests(self):
        from django.db.models import Q

        from planning.models import ChangeRequest

        return self._pick(
            ChangeRequest.objects.visible_to(self.user),
            Q(project__dependents__from_project__in=self.hidden_ids),
        )

    def gates(self):
        from django.db.models import Q

        return self._pick(
            GateReview.objects.filter(project__in=Project.objects.visible_to(self.user)),
            Q(committee__meetings__items__project__in=self.hidden_ids),
        )

    def dependencies(self):
        """Those the user's projects have with a hidden one first (the API answers 404 for them)."""
        from django.db.models import Q

        hidden = self.hidden_ids
        return self._pick(
            ProjectDependency.objects.touching(Project.objects.visible_to(self.user)).order_by("pk"),
            Q(from_project__in=hidden) | Q(to_project__in=hidden),
        )

    def simple(self, queryset) -> list:
        return list(queryset[:PER_KIND])


def kwargs_for(name: str, keys: list[str], o: Objects) -> list[dict]:
    """Path parameters for `name`, from the user's own objects; a URL no rule fills fails the test."""
    user = o.user
    if not keys:
        return [{}]
    if keys == ["code"]:
        if name.startswith(("governance:committee", "governance:meeting_create", "api:committee")):
            return [{"code": c.code} for c in o.committees()]
        if name.startswith("demand:request"):
            # Project requests (demand intake): those the user may read.
            return [
                {"code": r.code} for r in o.simple(ProjectRequest.objects.visible_to(user).order_by("-pk"))
            ]
        if name.startswith(("reporting:kpi", "api:kpi")):
            return [{"code": k.code} for k in o.simple(Kpi.objects.visible_to(user))]
        if name.startswith("api:cost-category"):
            return [{"code": c.code} for c in o.simple(CostCategory.objects.all())]
        if name.startswith("standards:methodology"):
            # The PMO's methodologies: about no project.
            return [{"code": m.code} for m in o.simple(Methodology.objects.order_by("code"))]
        if name.startswith("api:resource-role"):
            return [{"code": r.code} for r in o.simple(ResourceRole.objects.all())]
        if name.startswith("demand:request"):
            # Project requests (demand intake): those the user may read.
            return [
                {"code": r.code} for r in o.simple(ProjectRequest.objects.visible_to(user).order_by("code"))
            ]
        return [{"code": p.code} for p in o.projects()]
    if keys == ["reference"]:
        kind = name.split(":")[1]
        source = {
            "decision": o.decisions,
            "action": o.actions,
            "risk": o.risks,
            "issue": o.issues,
            "change_request": o.change_requests,
            "change-request": lambda: o.simple(ChangeRequest.objects.visible_to(user)),
            # Exception reports (standards): those of the projects the user may see, confidential first.
            "exception": lambda: o.simple(
                exceptions_visible_to(user).order_by("-project__confidential", "-pk")
            ),
        }
        for prefix, pick in source.items():
            if kind.startswith(prefix):
                return [{"reference": r.reference} for r in pick()]
    if keys == ["token"]:
        return [{"token": CalendarFeed.of(user).token}]
    if keys == ["pk"]:
        if name.startswith(
            ("governance:meeting", "governance:live", "governance:agenda", "api:meeting")
        ) or name in ("reporting:report_meeting",):
            return [{"pk": m.pk} for m in o.meetings()]
        table: dict[str, Callable[[], list]] = {
            "governance:gate_detail": o.gates,
            "benefits:lesson_": lambda: o.simple(
                Lesson.objects.visible_to(user).order_by("-project__confidential")
            ),
            "reporting:report": lambda: o.simple(Report.objects.visible_to(user).order_by("-pk")),
            # The PMO's and administrators' (who see every project); 403 for the others.
            "reporting:pack": lambda: o.simple(ExecutivePack.objects.order_by("-pk")),
            "reporting:slide_template": lambda: o.simple(SlideTemplate.objects.all()),
            "imports:": lambda: o.simple(Import.objects.visible_to(user)),
            "portfolio:exchange_rate": lambda: o.simple(ExchangeRate.objects.all()),
            "demand:attachment": lambda: o.simple(
                RequestAttachment.objects.filter(request__in=ProjectRequest.objects.visible_to(user))
            ),
            "resources:role_edit": lambda: o.simple(ResourceRole.objects.all()),
            # Governance documents (not confidential): a version with a file, and its document.
            "standards:document_version_": lambda: o.simple(DocumentVersion.objects.exclude(file="")),
            "standards:document_": lambda: o.simple(GovernanceDocument.objects.order_by("pk")),
            "standards:template_download": lambda: o.simple(Template.objects.order_by("pk")),
            "standards:deliverable_file": lambda: o.simple(
                Deliverable.objects.filter(project__in=Project.objects.visible_to(user))
                .exclude(file="")
                .order_by("-project__confidential", "pk")
            ),
            "benefits:benefit_": lambda: o.simple(
                BenefitProfile.objects.visible_to(user).order_by("-project__confidential", "pk")
            ),
            "benefits:actual_new": lambda: o.simple(
                BenefitProfile.objects.visible_to(user).order_by("-project__confidential", "pk")
            ),
            "portfolio:dependency_": o.dependencies,
            "resources:scenario": lambda: o.simple(Scenario.objects.order_by("-pk")),
            "demand:scenario": lambda: o.simple(PortfolioScenario.objects.order_by("-pk")),
            "standards:requirement_": lambda: o.simple(DeliverableRequirement.objects.order_by("pk")),
            "standards:criterion_": lambda: o.simple(
                GateCriterion.objects.filter(scope__startswith="methodology:").order_by("pk")
            ),
            "standards:deliverable_type": lambda: o.simple(DeliverableType.objects.all()),
            "api:status-report": lambda: o.simple(
                StatusReport.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:milestone": lambda: o.simple(
                Milestone.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:dependency": o.dependencies,
            "api:planned-phase": lambda: o.simple(
                ProjectPhase.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:baseline": lambda: o.simple(
                Baseline.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:monthly-amount": lambda: o.simple(
                MonthlyAmount.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:demand": lambda: o.simple(
                Demand.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:capacity": lambda: o.simple(Capacity.objects.all()),
            "api:confidence-assessment": lambda: o.simple(
                DeliveryConfidence.objects.filter(project__in=Project.objects.visible_to(user))
            ),
            "api:kpi-measurement": lambda: o.simple(
                Measurement.objects.filter(kpi__in=Kpi.objects.visible_to(user))
            ),
        }
        for prefix, pick in table.items():
            if name.startswith(prefix):
                return [{"pk": x.pk} for x in pick()]
    if keys == ["code", "requirement"] and name.startswith("standards:deliverable"):
        # A deliverable the user's projects owe (standards.selectors.deliverables_due), under its code.
        from standards.selectors import deliverables_due

        projects = o.projects()
        due = deliverables_due(projects)
        return [{"code": p.code, "requirement": due[p.pk][0].requirement.pk} for p in projects if due[p.pk]]
    if keys == ["code", "period"] and name == "portfolio:status_review":
        # The latest status period of the user's projects (a POST only: a GET is refused).
        return [
            {"code": p.code, "period": p.last_report.period.isoformat()}
            for p in o.projects()
            if p.last_report
        ]
    if keys == ["code", "pk"] and name.startswith("portfolio:milestone"):
        # The plan's milestones, under their project's code: those linked to a hidden project first.
        from django.db.models import Q

        hidden = o.hidden_ids
        milestones = o._pick(
            Milestone.objects.filter(project__in=Project.objects.visible_to(user)).select_related("project"),
            Q(consumers__from_project__in=hidden)
            | Q(providers__to_project__in=hidden)
            | Q(project__dependencies__to_project__in=hidden)
            | Q(project__dependents__from_project__in=hidden),
        )
        return [{"code": m.project.code, "pk": m.pk} for m in milestones]
    if keys[0] == "item" or "pk" in keys:
        found = []
        for meeting in o.meetings():
            items = sorted(meeting.items.all(), key=lambda i: i.project_id not in o.hidden_ids)
            if keys == ["item", "pk"] and items:
                found += [{"pk": meeting.pk, "item": i.pk} for i in items[:PER_KIND]]
            elif keys == ["attendance", "pk"] and meeting.attendances.exists():
                found.append({"pk": meeting.pk, "attendance": meeting.attendances.first().pk})
            elif keys == ["action", "pk"] and meeting.actions.exists():
                found.append({"pk": meeting.pk, "action": meeting.actions.first().pk})
        return found
    raise AssertionError(f"the sweep does not know how to fill {keys} for {name}: add a rule")


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        sheet = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(v)
            for ws in sheet.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    if "pdf" in kind:
        return pdf_text(body)
    if "presentationml" in kind:
        return pptx_text(body)
    text = body.decode("utf-8-sig", errors="replace")
    if "calendar" in kind:
        text = text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    return html.unescape(text)


def pptx_text(pptx: bytes) -> str:
    """Every text of the slides: titles, text boxes, table cells and the charts' categories."""
    from pptx import Presentation

    parts = []
    for slide in Presentation(io.BytesIO(pptx)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                parts += [str(category) for category in shape.chart.plots[0].categories]
    return "\n".join(parts)


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-q", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


class Needles:
    """A hidden project's code and name, found in a text once the visible names that contain them are
    taken out (a hidden "Refonte RH" is not found in a visible "Refonte RH (lot 2)")."""

    def __init__(self, hidden: list[Project], visible: list[tuple[str, str]]) -> None:
        self.words = {}
        for project in hidden:
            for word in (project.code, normalised(project.name)):
                self.words[word] = [
                    normalised(v) for pair in visible for v in pair if word in v and v != word
                ]

    def found_in(self, text: str) -> list[str]:
        text = normalised(text)
        found = []
        for word, covers in self.words.items():
            if word not in text:
                continue
            stripped = text
            for cover in covers:
                stripped = stripped.replace(cover, "")
            if word in stripped:
                found.append(word)
        return found


def meeting_pdfs(meetings: list[Meeting]) -> dict[int, list[int]]:
    """The pack (and, once closed, the minutes) of each meeting, built once: they are the same for
    every reader."""
    built: dict[int, list[int]] = {}
    for meeting in meetings:
        kinds = [Report.Kind.PACK] + ([Report.Kind.MINUTES] if meeting.is_closed else [])
        for kind in kinds:
            report, _created = report_request(kind=kind, meeting=meeting, language="fr", queue=False)
            report_build(report.pk)
            built.setdefault(meeting.pk, []).append(report.pk)
    return built


def sweep(user: User, hidden: list[Project], pdfs: dict[int, list[int]]) -> list[str]:
    client = Client()
    client.force_login(user)
    visible = list(Project.objects.visible_to(user).values_list("code", "name"))
    needles = Needles(hidden, visible)
    objects = Objects(user, hidden)
    leaks = []

    def check(url: str, query: dict | None = None, **headers) -> None:
        response = client.get(url, query or {}, **headers)
        if response.status_code != 200:
            return
        found = needles.found_in(text_of(response))
        if found:
            leaks.append(f"{user.username}: {url} {query or ''} {headers or ''} shows {found}")

    for project in hidden:
        assert client.get(project.get_absolute_url()).status_code == 404, f"{user} opens {project.code}"
    # Their deliverables' files (and pages) do not exist for the user either.
    for deliverable in (
        Deliverable.objects.filter(project__in=hidden).exclude(file="").select_related("project")
    ):
        for url in (
            reverse("standards:deliverable_file", kwargs={"pk": deliverable.pk}),
            reverse("standards:project_deliverables", kwargs={"code": deliverable.project.code}),
        ):
            assert client.get(url).status_code == 404, f"{user} fetches {url}"
    for name, keys in application_urls():
        if name in SKIPPED or not name.startswith(ONLY):
            continue
        for kwargs in kwargs_for(name, keys, objects):
            url = reverse(name, kwargs=kwargs)
            check(url)
            if name.startswith(HTMX):
                check(url, HTTP_HX_REQUEST="true")
            queries = QUERIES.get(name, [])
            for query in queries() if callable(queries) else queries:
                check(url, query)
    for meeting in objects.meetings():
        for report in Report.objects.filter(pk__in=pdfs.get(meeting.pk, [])):
            check(reverse("reporting:report_download", kwargs={"pk": report.pk}))
            if report.slides:  # the meeting pack's PowerPoint version
                check(reverse("reporting:report_slides", kwargs={"pk": report.pk}))
    return leaks


def plant_confidence() -> None:
    """Assess every confidential project red or amber/red, long enough ago for its follow-up review to be
    due (a green or amber declared rating then disagrees): the dashboard's confidence panel, its
    disagreements, the list's filters and the committees' preparation (follow-up reviews) are swept with
    what could leak."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from portfolio.assurance import Confidence, confidence_record

    assessed_on = timezone.localdate() - timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS + 1)
    for n, secret in enumerate(Project.objects.filter(confidential=True).order_by("code")):
        level = Confidence.RED if n % 2 == 0 else Confidence.AMBER_RED
        confidence_record(project=secret, rating=level, assessed_on=assessed_on, reason="Revue", user=None)


def plant_lessons() -> None:
    """A lesson of every confidential project and of one open project in each of their phases, and a
    confidential project's closure report: the register, its exports, the project panels, the gate pages'
    and the live meeting's similar lessons and the closure report are swept with what could leak."""
    for secret in Project.objects.filter(confidential=True).order_by("code"):
        for project in (secret, Project.objects.filter(confidential=False, phase=secret.phase_id).first()):
            if project is not None:
                Lesson.objects.create(
                    project=project, title=f"Leçon {project.code}", what_happened=project.name,
                    recommendation="Recommandation", category=Lesson.Category.PLANNING,
                    phase=project.phase, directorate=project.directorate, methodology=project.methodology,
                )  # fmt: skip
    secret = Project.objects.filter(confidential=True).order_by("code").first()
    ClosureReport.objects.get_or_create(
        project=secret,
        defaults={"objectives_met": "met", "objectives_comment": secret.name, "currency": secret.currency},
    )


def plant_money_and_people() -> None:
    """Money by month, capacity and demand for every confidential project and one open project of the
    same directorate, this month and next (unless the demo already has some), so that the money and
    people pages, exports and API are swept with what could leak (the allocation's cells hold both)."""
    from datetime import date

    from django.utils import timezone

    from pmo.months import add_months

    if Demand.objects.exists() and MonthlyAmount.objects.exists():
        return
    role = ResourceRole.objects.first() or ResourceRole.objects.create(
        code="SWEEP", name="Développeur", name_en="Developer"
    )
    category = CostCategory.objects.order_by("pk").first()
    this_month = timezone.localdate().replace(day=1)
    secrets = list(Project.objects.filter(confidential=True).order_by("code"))
    open_ones = [
        Project.objects.filter(confidential=False, directorate=secret.directorate).order_by("code").first()
        for secret in secrets
    ]
    for project in {p for p in [*secrets, *open_ones] if p is not None}:
        for month in (this_month, add_months(this_month, 1), date(this_month.year, 1, 1)):
            MonthlyAmount.objects.get_or_create(
                project=project, category=category, kind="budget", month=month, defaults={"amount": 100}
            )
            Demand.objects.get_or_create(
                project=project, role=role, month=month, person=None, defaults={"fte": 1}
            )
            if project.directorate_id:
                Capacity.objects.get_or_create(
                    directorate=project.directorate, role=role, month=month, defaults={"fte": 1}
                )


def plant_change_requests() -> None:
    """The demo raises no change request: plant one on an open project whose milestone a confidential
    project depends on, moved past the date it is needed by (its impact names the consumer), and one on a
    confidential project, so that the change-control pages are swept with what could leak."""
    from datetime import timedelta

    from planning.impact import impact_of
    from planning.services import change_request_create

    secret = Project.objects.filter(confidential=True).order_by("code").first()
    milestone = (
        Milestone.objects.filter(project__confidential=False, actual_date__isnull=True)
        .exclude(project=secret)
        .order_by("pk")
        .first()
    )
    if secret is None or milestone is None:
        return
    ProjectDependency.objects.create(
        from_project=secret,
        to_project=milestone.project,
        kind=ProjectDependency.Kind.DELIVERABLE,
        provider_milestone=milestone,
        needed_by=milestone.forecast_date,
    )
    for project, moves in (
        (
            milestone.project,
            [{"milestone": milestone, "new_date": milestone.forecast_date + timedelta(days=30)}],
        ),
        (secret, []),
    ):
        manager = project.project_manager
        planted = change_request_create(
            project=project, by=manager, title="Décaler", reason="Retard", moves=moves
        )
        assert not moves or impact_of(planted).breaks, "the planted request should break the dependency"


def plant_demand() -> None:
    """The demo enters no people by role: plant capacity and demand this month for a confidential project
    (with a named person) and an open one of the same directorate, so that the heatmap's drill-down holds
    a project some readers may not see."""
    from django.utils import timezone

    from pmo.months import month_of

    month = month_of(timezone.localdate())
    role = ResourceRole.objects.get_or_create(
        code="DEV", defaults={"name": "Développeur", "name_en": "Developer"}
    )[0]
    for secret in Project.objects.filter(confidential=True, directorate__isnull=False).order_by("code")[:2]:
        Demand.objects.create(project=secret, role=role, month=month, fte=2, person=secret.project_manager)
        neighbour = Project.objects.filter(confidential=False, directorate=secret.directorate).first()
        if neighbour:
            Demand.objects.create(project=neighbour, role=role, month=month, fte=1)
        Capacity.objects.get_or_create(
            directorate=secret.directorate, role=role, month=month, defaults={"fte": 1}
        )


def confidential_cells() -> list[dict]:
    """The heatmap cells (directorate, role, month) that hold a confidential project's demand."""
    cells = Demand.objects.filter(project__confidential=True).values_list(
        "project__directorate_id", "role_id", "month"
    )
    return [{"directorate": d, "role": r, "month": f"{m:%Y-%m}"} for d, r, m in cells.distinct()]


def plant_resources() -> None:
    """The demo's portfolio committee, in a meeting under way: a scenario moving an open project of its scope
    and pausing a confidential one it does not name, and the over-allocation of their directorate's
    developers (the two projects' demand above its capacity), both on the agenda, so that the agenda, the
    live cards and the packs are swept with what could leak."""
    from datetime import timedelta

    from django.utils import timezone

    from governance import services as governance
    from governance.selectors import agenda_proposals
    from pmo.months import add_months, month_of
    from portfolio.adjustments import Adjustment
    from resources.models import Capacity, Demand, ResourceRole
    from resources.scenarios import scenario_create, scenario_propose

    committee = Committee.objects.filter(kind=Committee.Kind.PORTFOLIO).order_by("code").first()
    if committee is None:
        return
    consuming = [Project.State.PROPOSED, Project.State.ACTIVE]
    open_project = (
        committee.projects_in_scope()
        .filter(confidential=False, state__in=consuming, directorate__isnull=False)
        .order_by("code")
        .first()
    )
    # A confidential project the committee does not name, and a user kept from it made a member of the
    # committee: they read the agenda and the live page.
    readers = list(User.objects.filter(is_active=True).order_by("username"))
    candidates = (
        Project.objects.filter(confidential=True)
        .exclude(committees=committee)
        .exclude(pk__in=committee.projects_in_scope().values("pk"))
        .order_by("code")
    )
    pair = next(((secret, user) for secret in candidates for user in readers if _hidden(user, secret)), None)
    if open_project is None or pair is None:
        return
    secret, reader = pair
    Project.objects.filter(pk=secret.pk).update(
        directorate=open_project.directorate, state=Project.State.ACTIVE
    )
    Membership.objects.get_or_create(committee=committee, user=reader)
    assert _hidden(reader, secret), "the planted reader should still not see the confidential project"
    today = timezone.localdate()
    role, _created = ResourceRole.objects.get_or_create(
        code="SWEEP", defaults={"name": "Développeur", "name_en": "Developer"}
    )
    for n in range(3):
        month = add_months(month_of(today), n)
        Capacity.objects.create(directorate=open_project.directorate, role=role, month=month, fte=1)
        Demand.objects.create(project=open_project, role=role, month=month, fte=1)
        Demand.objects.create(project=secret, role=role, month=month, fte=1)
    pmo = committee.secretary or User.objects.filter(is_superuser=True).first()
    scenario = scenario_create(
        name="Arbitrage de charge",
        from_month=add_months(month_of(today), 1),
        changes={open_project.pk: Adjustment(shift_months=2), secret.pk: Adjustment(pause=True)},
        by=pmo,
    )
    scenario_propose(scenario=scenario, committee=committee, by=pmo)
    meeting = governance.meeting_plan(
        committee=committee, starts_at=timezone.now() + timedelta(hours=1), by=pmo
    )
    for proposal in agenda_proposals(meeting, today=today):
        if proposal.subject_key.startswith(("scenario-", "over-allocation-")):
            governance.agenda_accept(meeting=meeting, proposal=proposal)
    assert meeting.items.filter(title_key__startswith="resources.").count() >= 2, "resources' items planted"
    governance.meeting_start(meeting=meeting, by=pmo)


def plant_portfolio_scenario() -> None:
    """A computed portfolio scenario whose candidates include every confidential project, scored so that
    they are selected: its pages, comparison and exports name them only to who may see them."""
    from demand.models import CriteriaSet, Score, ScoreValue
    from demand.scenarios import scenario_compute, scenario_create

    pmo = User.objects.get(username="pmo")
    version = CriteriaSet.objects.current()
    for project in Project.objects.filter(confidential=True):
        if Score.objects.filter(criteria_set=version, project=project, scorer=pmo).exists():
            continue
        score = Score.objects.create(criteria_set=version, project=project, scorer=pmo)
        ScoreValue.objects.bulk_create(
            ScoreValue(score=score, criterion=criterion, value=criterion.scale_max)
            for criterion in version.criteria.all()
            if not criterion.inverted
        )
        ScoreValue.objects.bulk_create(
            ScoreValue(score=score, criterion=criterion, value=1)
            for criterion in version.criteria.filter(inverted=True)
        )
    year = timezone.localdate().year
    scenario = scenario_create(name="Arbitrage", first_year=year, years=2, criteria_set=version, by=pmo)
    scenario_compute(scenario=scenario)
    assert any(
        c["project_id"] for c in scenario.result["candidates"] if c["key"] in scenario.result["selected"]
    )


def _hidden(user, project) -> bool:
    return Project.objects.hidden_from(user).filter(pk=project.pk).exists()


def test_no_page_names_a_confidential_project_to_who_may_not_see_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--reset", "--projects", str(PROJECTS), "--seed", str(SEED), verbosity=0)
    plant_change_requests()
    plant_confidence()
    plant_money_and_people()
    plant_demand()
    assert confidential_cells(), "the sweep should look into a cell holding a confidential project"
    plant_resources()
    plant_portfolio_scenario()
    plant_lessons()
    translation.activate("fr")
    assert Project.objects.filter(confidential=True).exists(), "the demo should hold confidential projects"
    # Meetings with an item about a confidential project their committee does not name: a closed one
    # first (its minutes too), then the latest.
    touching = (
        Meeting.objects.filter(items__project__confidential=True)
        .exclude(items__project__committees=F("committee"))
        .distinct()
        .order_by("-closed_at", "-starts_at")
    )
    pdfs = meeting_pdfs(list(touching[:PDF_MEETINGS]))
    users = list(User.objects.filter(is_active=True).order_by("username"))
    swept, leaks = 0, []
    for user in users:
        hidden = list(Project.objects.hidden_from(user))
        if hidden:
            swept += 1
            leaks += sweep(user, hidden, pdfs)
    assert swept, "no demo user is kept from a confidential project: the sweep would prove nothing"
    assert not leaks, "\n".join(leaks)
