"""Every URL of the application, for every role, gives the answer the permission matrix says.

The URLs come from the resolver, so a new page cannot escape: a URL without an expected answer fails
`test_every_url_has_an_expected_answer`. Each case names a URL, the object it is asked about and the
expected status for a GET and for an (empty) POST, one column per role:

    L    302 to the sign-in page          403  may see it, may not do that
    302  any other redirect               404  may not see it (a confidential project does not exist)
    405  that method is not accepted      200, 400, 409: the page, a refused form, a conflict

Requests run in a transaction rolled back after each one, so a POST that acts (starting a meeting)
does not change what the next role is asked about. A GET changes nothing (the test compares the
row counts of every table before and after), and every page answers with the Content Security
Policy. The administration site follows one rule: staff only (see the last tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from governance.models import CalendarFeed
from planning.models import Baseline, ChangeRequest
from pmo.models import User
from portfolio.models import Milestone, Phase, Project, ProjectDependency, ProjectPhase
from reporting.models import Measurement
from tests.factories import ProjectFactory
from tests.security import objects

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "admin", "pmo", "pm", "other_pm", "executive", "member", "other_member")


@dataclass(frozen=True)
class Case:
    name: str
    get: str
    post: str
    kwargs: Callable = lambda o: {}
    variant: str = ""
    query: str = ""  # a query string that makes another answer of the same URL (an export)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def project(attribute="project"):
    return lambda o: {"code": getattr(o, attribute).code}


def reference(attribute):
    return lambda o: {"reference": getattr(o, attribute).reference}


def meeting(**more):
    return lambda o: {"pk": o.meeting.pk, **{key: getattr(o, value).pk for key, value in more.items()}}


def plan_milestone(attribute="project"):
    """A milestone of the project's plan, named in the plan's URLs with the project's code."""
    return lambda o: {"code": getattr(o, attribute).code, "pk": a_milestone(getattr(o, attribute)).pk}


def status_period(attribute="project"):
    """A project's latest status period, named with the project's code."""

    def kwargs(o):
        project = getattr(o, attribute)
        project.refresh_from_db(fields=["last_report"])
        return {"code": project.code, "period": project.last_report.period.isoformat()}

    return kwargs


committee = lambda o: {"code": o.committee.code}  # noqa: E731
kpi = lambda o: {"code": o.kpi.code}  # noqa: E731
report = lambda o: {"pk": o.report.pk}  # noqa: E731
slide_template = lambda o: {"pk": o.slide_template.pk}  # noqa: E731

# A confidential project, and what hangs from it, exists for the PMO, administrators, executives and
# its own people; for the others it does not.
HIDDEN = {"other_pm": "404", "member": "404", "other_member": "404"}


def hidden(expected: str) -> str:
    answers = dict(zip(ROLES, expected.split(), strict=True))
    return " ".join(HIDDEN.get(role, answer) for role, answer in answers.items())


SIGNED_IN, GET_ONLY = "L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"

#            anonymous admin pmo pm other_pm executive member other_member
CASES = [
    # --- Signing in, the home page, the organisation -------------------------------------------------
    Case("home", get="L 302 302 302 302 302 302 302", post="L 302 302 302 302 302 302 302"),
    Case("organisation", get="L 200 200 403 403 403 403 403", post="L 200 200 403 403 403 403 403"),
    Case("healthz", get="200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405"),
    Case("login", get="200 200 200 200 200 200 200 200", post="200 200 200 200 200 200 200 200"),
    Case("logout", get="405 405 405 405 405 405 405 405", post="L L L L L L L L"),
    Case("password_change", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case("profile", get="L 200 200 200 200 200 200 200", post="L 302 302 302 302 302 302 302"),
    Case("password_change_done", get="L 200 200 200 200 200 200 200", post="L 405 405 405 405 405 405 405"),
    Case("set_language", get="302 302 302 302 302 302 302 302", post="302 302 302 302 302 302 302 302"),
    # --- Portfolio -------------------------------------------------------------------------------------
    Case("portfolio:project_list", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case("portfolio:my_projects", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case(
        "portfolio:project_create", get="L 200 200 403 403 403 403 403", post="L 200 200 403 403 403 403 403"
    ),
    # The PMO's review queue: the PMO's and administrators'.
    Case("portfolio:review_queue", get="L 200 200 403 403 403 403 403", post="L 405 405 405 405 405 405 405"),
    # The exchange rates are the PMO's and the administrators': an empty form re-renders, an empty import 400.
    Case(
        "portfolio:exchange_rates", get="L 200 200 403 403 403 403 403", post="L 405 405 405 405 405 405 405"
    ),
    Case(
        "portfolio:exchange_rate_create",
        get="L 200 200 403 403 403 403 403",
        post="L 200 200 403 403 403 403 403",
    ),
    Case(
        "portfolio:exchange_rate_edit",
        get="L 200 200 403 403 403 403 403",
        post="L 200 200 403 403 403 403 403",
        kwargs=lambda o: {"pk": o.rate.pk},
    ),
    Case(
        "portfolio:exchange_rate_delete",
        get="L 405 405 405 405 405 405 405",
        post="L 302 302 403 403 403 403 403",
        kwargs=lambda o: {"pk": o.rate.pk},
    ),
    Case(
        "portfolio:exchange_rates_import",
        get="L 405 405 405 405 405 405 405",
        post="L 400 400 403 403 403 403 403",
    ),
]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        # A lesson is recorded by who may edit the project, the PMO, or a member of a committee reviewing
        # its gate (member: the open project's gate); an empty form re-renders.
        Case(
            "benefits:lesson_new",
            get=see("L 200 200 200 403 403 200 403"),
            post=see("L 200 200 200 403 403 200 403"),
            kwargs=project(of),
            variant=variant,
        ),
        # Closing with a closure report: its manager or the PMO (an empty form re-renders); whoever reads
        # the project reads its report.
        Case(
            "benefits:project_close",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "benefits:closure_report",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 200 200 200 200 200"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:project_detail",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 200 200 200 200 200"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:project_edit",
            get=see("L 200 200 403 403 403 403 403"),
            post=see("L 200 200 403 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:project_close",
            get=see("L 200 200 403 403 403 403 403"),
            post=see("L 200 200 403 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:status_update",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        # The PMO's review of the latest status: the PMO and administrators review (an empty form goes back
        # to the project page with its error); whoever else reads the project is refused.
        Case(
            "portfolio:status_review",
            get="L 405 405 405 405 405 405 405",
            post=see("L 302 302 403 403 403 403 403"),
            kwargs=status_period(of),
            variant=variant,
        ),
        # Money by month: whoever reads the project reads it; who may edit the project edits it (an empty
        # POST carries no grid version: a stale grid, 409).
        Case(
            "finance:project_money",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 409 409 409 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "governance:gate_request",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "risks:project_risks",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 200 200 200 200 200"),
            kwargs=project(of),
            variant=variant,
        ),
        # The plan: whoever reads the project reads it; its manager, the PMO and administrators change it
        # (an empty form re-renders with its errors; a move that says neither up nor down is a 400).
        Case(
            "portfolio:project_plan",
            get=see("L 200 200 200 200 200 200 200"),
            post="L 405 405 405 405 405 405 405",
            kwargs=project(of),
            variant=variant,
        ),
        # An agile project's release plan: whoever reads the project reads it; its manager, the PMO and
        # administrators set it (an empty form re-renders with its errors).
        Case(
            "portfolio:release_plan",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:plan_phases",
            get="L 405 405 405 405 405 405 405",
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:milestone_create",
            get="L 405 405 405 405 405 405 405",
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "portfolio:milestone_edit",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=plan_milestone(of),
            variant=variant,
        ),
        Case(
            "portfolio:milestone_move",
            get="L 405 405 405 405 405 405 405",
            post=see("L 400 400 400 403 403 403 403"),
            kwargs=plan_milestone(of),
            variant=variant,
        ),
        Case(
            "portfolio:milestone_delete",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=plan_milestone(of),
            variant=variant,
        ),
        # A dependency is recorded from its consumer's side, by its manager or the PMO.
        Case(
            "portfolio:dependency_create",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        # The History tab's partial: whoever reads the project reads its history; it takes no POST.
        Case(
            "portfolio:project_history",
            get=see("L 200 200 200 200 200 200 200"),
            post="L 405 405 405 405 405 405 405",
            kwargs=project(of),
            variant=variant,
        ),
        # Delivery confidence: whoever reads the project reads its assessments; the PMO and
        # administrators record one (an empty form re-renders with its errors).
        Case(
            "portfolio:project_confidence",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 403 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
    ]

# A committee and its meetings: read by the PMO, administrators, executives and its members; run by
# the PMO and its secretary (here the PMO). Others do not see it at all.
MEETING_READ = "L 200 200 404 404 200 200 404"
MEETING_RUN = "L 200 200 404 404 403 403 404"
NO_GET = "L 405 405 405 405 405 405 405"


def run(status: str) -> str:
    """A POST that runs the meeting: `status` for the PMO and administrators (what an empty form gets)."""
    return f"L {status} {status} 404 404 403 403 404"


def project_request(o):
    """A qualified request of the IT directorate (the pm's): the PMO's, the administrators', the executives'
    and its directorate's to read, and the portfolio committee's (`member` sits on one, see
    tests.security.objects)."""
    from demand.models import ProjectRequest

    request, _ = ProjectRequest.objects.get_or_create(
        code="DEM-PERM",
        defaults={"title": "Demande", "objectives": "x", "directorate": o.project.directorate,
                  "state": ProjectRequest.State.QUALIFIED},
    )  # fmt: skip
    return {"code": request.code}


# --- Demand: scoring and the ranked portfolio (the PMO's and portfolio committees'; executives read) ------
CASES += [
    Case("demand:criteria", get="L 200 200 403 403 200 200 403", post=GET_ONLY),
    Case("demand:criteria_edit", get="L 200 200 403 403 403 403 403", post="L 302 302 403 403 403 403 403"),
    Case("demand:criteria_publish", get=GET_ONLY, post="L 404 404 403 403 403 403 403"),
    Case("demand:ranking", get="L 200 200 403 403 200 200 403", post=GET_ONLY),
    Case(
        "demand:ranking",
        get="L 200 200 403 403 200 200 403",
        post=GET_ONLY,
        variant="csv",
        query="export=csv",
    ),
    Case(
        "demand:ranking",
        get="L 200 200 403 403 200 200 403",
        post=GET_ONLY,
        variant="xlsx",
        query="export=xlsx",
    ),
    Case(
        "demand:request_score",
        get="L 200 200 403 404 403 200 404",
        post="L 400 400 403 404 403 400 404",
        kwargs=project_request,
    ),
    Case(
        "demand:project_score",
        get="L 200 200 403 403 403 200 403",
        post="L 400 400 403 403 403 400 403",
        kwargs=project(),
    ),
    Case(
        "demand:project_score",
        get=hidden("L 200 200 403 403 403 200 403"),
        post=hidden("L 400 400 403 403 403 400 403"),
        kwargs=project("secret"),
        variant="confidential",
    ),
]


CASES += [
    Case("governance:committee_list", get="L 200 200 200 200 200 200 200", post=NO_GET),
    Case(
        "governance:committee_create",
        get="L 200 200 403 403 403 403 403",
        post="L 200 200 403 403 403 403 403",
    ),
    Case("governance:committee_detail", get=MEETING_READ, post=NO_GET, kwargs=committee),
    Case("governance:committee_history", get=MEETING_READ, post=NO_GET, kwargs=committee),
    Case("governance:committee_edit", get=MEETING_RUN, post=MEETING_RUN, kwargs=committee),
    Case("governance:meeting_create", get=MEETING_RUN, post=MEETING_RUN, kwargs=committee),
    Case("governance:meeting_detail", get=MEETING_READ, post=NO_GET, kwargs=meeting()),
    Case("governance:meeting_history", get=MEETING_READ, post=NO_GET, kwargs=meeting()),
    Case("governance:meeting_edit", get=MEETING_RUN, post=MEETING_RUN, kwargs=meeting()),
    Case("governance:meeting_ics", get=MEETING_READ, post=NO_GET, kwargs=meeting()),
    Case("governance:meeting_live", get=MEETING_READ, post=NO_GET, kwargs=meeting()),
    Case("governance:live_poll", get=MEETING_READ, post=NO_GET, kwargs=meeting()),
    Case("governance:agenda_add", get=NO_GET, post=run("302"), kwargs=meeting()),
    Case("governance:agenda_accept", get=NO_GET, post=run("302"), kwargs=meeting()),
    Case("governance:agenda_move", get=NO_GET, post=run("400"), kwargs=meeting(item="item")),
    Case("governance:agenda_remove", get=NO_GET, post=run("302"), kwargs=meeting(item="item")),
    Case("governance:agenda_withdraw", get=NO_GET, post=run("302"), kwargs=meeting()),
    Case("governance:meeting_invite", get=NO_GET, post=run("302"), kwargs=meeting()),
    Case("governance:meeting_start", get=NO_GET, post=run("302"), kwargs=meeting()),
    # Closing a meeting not in progress goes back to its live page; in progress, GET asks to confirm.
    Case("governance:meeting_close", get=run("302"), post=run("302"), kwargs=meeting()),
    # The live page's writes answer 409 while the meeting has not started.
    Case("governance:live_show_item", get=NO_GET, post=run("409"), kwargs=meeting(item="item")),
    Case("governance:live_minutes", get=NO_GET, post=run("409"), kwargs=meeting(item="item")),
    # Not a stage gate item: there is no gate to decide on it.
    Case("governance:live_gate", get=NO_GET, post=run("404"), kwargs=meeting(item="item")),
    Case("governance:live_attendance", get=NO_GET, post=run("409"), kwargs=meeting(attendance="attendance")),
    Case("governance:live_decision", get=NO_GET, post=run("200"), kwargs=meeting()),
    Case("governance:live_action", get=NO_GET, post=run("409"), kwargs=meeting()),
    Case("governance:live_action_state", get=NO_GET, post=run("400"), kwargs=meeting(action="member_action")),
    Case("reporting:report_meeting", get=NO_GET, post="L 302 302 404 404 302 302 404", kwargs=meeting()),
    # --- Decisions and actions ---------------------------------------------------------------------------
    Case(
        "governance:decision_list", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"
    ),
    Case("benefits:lessons", get=SIGNED_IN, post=SIGNED_IN),
    Case("benefits:lessons", get=SIGNED_IN, post=SIGNED_IN, variant="csv", query="export=csv"),
    Case(
        "governance:action_tracker", get="L 200 200 403 403 200 403 403", post="L 200 200 403 403 200 403 403"
    ),
    Case("governance:my_actions", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case(
        "governance:gate_detail",
        get="L 200 200 200 200 200 200 200",
        post="L 200 200 200 200 200 200 200",
        kwargs=lambda o: {"pk": o.gate.pk},
    ),
]
for variant, of, see in (("open", "", lambda e: e), ("confidential", "secret_", hidden)):
    decision, action = reference(f"{of}decision"), reference(f"{of}action")
    CASES += [
        # Lessons: the pm recorded them; who recorded one or the PMO changes it, no one else.
        Case(
            "benefits:lesson_edit",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=lambda o, of=of: {"pk": getattr(o, f"{of}lesson").pk},
            variant=variant,
        ),
        Case(
            "benefits:lesson_delete",
            get="L 405 405 405 405 405 405 405",
            post=see("L 302 302 302 403 403 403 403"),
            kwargs=lambda o, of=of: {"pk": getattr(o, f"{of}lesson").pk},
            variant=variant,
        ),
        Case(
            "governance:decision_detail",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 200 200 200 200 200"),
            kwargs=decision,
            variant=variant,
        ),
        Case(
            "governance:decision_history",
            get=see("L 200 200 200 200 200 200 200"),
            post=NO_GET,
            kwargs=decision,
            variant=variant,
        ),
        Case(
            "governance:decision_edit",
            get=see("L 200 200 403 403 403 403 403"),
            post=see("L 200 200 403 403 403 403 403"),
            kwargs=decision,
            variant=variant,
        ),
        Case(
            "governance:decision_supersede",
            get=see("L 200 200 403 403 403 403 403"),
            post=see("L 200 200 403 403 403 403 403"),
            kwargs=decision,
            variant=variant,
        ),
        Case(
            "governance:decision_implementation",
            get=NO_GET,
            post=see("L 302 302 403 403 403 403 403"),
            kwargs=decision,
            variant=variant,
        ),
        Case(
            "governance:action_detail",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 200 200 200 200 200 200 200"),
            kwargs=action,
            variant=variant,
        ),
        Case(
            "governance:action_history",
            get=see("L 200 200 200 200 200 200 200"),
            post=NO_GET,
            kwargs=action,
            variant=variant,
        ),
        # The action's owner (the project manager) changes it, as do the PMO and administrators.
        Case(
            "governance:action_update",
            get=NO_GET,
            post=see("L 400 400 400 403 403 403 403"),
            kwargs=action,
            variant=variant,
        ),
    ]

# --- Risks and issues ------------------------------------------------------------------------------------
CASES += [
    Case("risks:register", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case("risks:heatmap", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case("risks:risk_create", get="L 200 200 200 403 403 403 403", post="L 200 200 200 403 403 403 403"),
    Case("risks:issue_list", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case("risks:issue_create", get="L 200 200 200 403 403 403 403", post="L 200 200 200 403 403 403 403"),
]
for variant, of, see in (("open", "", lambda e: e), ("confidential", "secret_", hidden)):
    risk, issue = reference(f"{of}risk"), reference(f"{of}issue")
    READ, EDIT = see("L 200 200 200 200 200 200 200"), see("L 200 200 200 403 403 403 403")
    CASES += [
        Case("risks:risk_detail", get=READ, post=READ, kwargs=risk, variant=variant),
        Case("risks:risk_history", get=READ, post=NO_GET, kwargs=risk, variant=variant),
        Case("risks:risk_edit", get=EDIT, post=EDIT, kwargs=risk, variant=variant),
        Case("risks:risk_reassess", get=NO_GET, post=EDIT, kwargs=risk, variant=variant),
        Case("risks:risk_close", get=NO_GET, post=EDIT, kwargs=risk, variant=variant),
        # Reopening an open risk changes nothing and goes back to its page.
        Case(
            "risks:risk_reopen",
            get=NO_GET,
            post=see("L 302 302 302 403 403 403 403"),
            kwargs=risk,
            variant=variant,
        ),
        Case("risks:risk_occurred", get=NO_GET, post=EDIT, kwargs=risk, variant=variant),
        Case("risks:risk_escalate", get=NO_GET, post=EDIT, kwargs=risk, variant=variant),
        Case("risks:risk_action_add", get=NO_GET, post=EDIT, kwargs=risk, variant=variant),
        Case("risks:issue_detail", get=READ, post=READ, kwargs=issue, variant=variant),
        Case("risks:issue_history", get=READ, post=NO_GET, kwargs=issue, variant=variant),
        Case("risks:issue_edit", get=EDIT, post=EDIT, kwargs=issue, variant=variant),
    ]

# --- Change control (planning) ------------------------------------------------------------------------
# Whoever reads the project reads its change requests and baselines; its manager and the PMO raise and
# edit them (an empty form re-renders); the PMO alone decides, takes a baseline v1 and sets the tolerance.
# The planted requests are drafts of a project without baseline: submitting one is refused with a message
# (302 back to its page); the PMO's empty decision is a refused form.
CASES += [
    Case(
        "planning:change_request_list",
        get="L 200 200 200 200 200 200 200",
        post="L 200 200 200 200 200 200 200",
    ),
    Case("planning:policy", get="L 200 200 403 403 403 403 403", post="L 200 200 403 403 403 403 403"),
]
for variant, of, see in (("open", "", lambda e: e), ("confidential", "secret_", hidden)):
    change, code = (
        reference(f"{of}change_request"),
        project(f"{of}project".replace("secret_project", "secret")),
    )
    CASES += [
        Case(
            "planning:change_request_create",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=code,
            variant=variant,
        ),
        Case(
            "planning:baselines",
            get=see("L 200 200 200 200 200 200 200"),
            post=NO_GET,
            kwargs=code,
            variant=variant,
        ),
        Case(
            "planning:baseline_take",
            get=see("L 200 200 403 403 403 403 403"),
            post=see("L 302 302 403 403 403 403 403"),
            kwargs=code,
            variant=variant,
        ),
        Case(
            "planning:change_request_detail",
            get=see("L 200 200 200 200 200 200 200"),
            post=NO_GET,
            kwargs=change,
            variant=variant,
        ),
        Case(
            "planning:change_request_edit",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=change,
            variant=variant,
        ),
        Case(
            "planning:change_request_submit",
            get=NO_GET,
            post=see("L 302 302 302 403 403 403 403"),
            kwargs=change,
            variant=variant,
        ),
        Case(
            "planning:change_request_decide",
            get=NO_GET,
            post=see("L 200 200 403 403 403 403 403"),
            kwargs=change,
            variant=variant,
        ),
        Case(
            "planning:change_request_withdraw",
            get=NO_GET,
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=change,
            variant=variant,
        ),
    ]

# --- Dashboard, KPIs, reports: executives, the PMO and administrators --------------------------------------
OVERSIGHT = "L 200 200 403 403 200 403 403"
KPI_READ = "L 200 200 404 404 200 404 404"
MANAGE = "L 200 200 403 403 403 403 403"
REPORT_READ = "L 200 200 404 404 200 404 404"
TEMPLATE_CHANGE = "L 302 302 403 403 403 403 403"
CASES += [
    # --- Planning: the roadmap is every signed-in user's, of the projects they may see ----------------
    Case("planning:roadmap", get=SIGNED_IN, post=GET_ONLY),
    Case("planning:roadmap_export", get=SIGNED_IN, post=GET_ONLY),
    Case("planning:milestones_export", get=SIGNED_IN, post=GET_ONLY),
    Case("reporting:dashboard", get=OVERSIGHT, post=OVERSIGHT),
    Case("reporting:projects", get=OVERSIGHT, post=OVERSIGHT),
    Case("reporting:milestones", get=OVERSIGHT, post=OVERSIGHT),
    # The financial view and its project list: the dashboard's readers; read-only.
    Case("finance:view", get=OVERSIGHT, post=GET_ONLY),
    Case("finance:view", get=OVERSIGHT, post=GET_ONLY, variant="past", query="as_at=2026-01-31&fy=2026"),
    Case("finance:projects", get=OVERSIGHT, post=GET_ONLY),
    Case("finance:projects", get=OVERSIGHT, post=GET_ONLY, variant="csv", query="export=csv"),
    Case("finance:projects", get=OVERSIGHT, post=GET_ONLY, variant="xlsx", query="export=xlsx"),
    # Project managers read the KPI list (they enter per-project values); committee members do not.
    Case("reporting:kpi_list", get="L 200 200 200 200 200 403 403", post="L 200 200 200 200 200 403 403"),
    Case("reporting:kpi_create", get=MANAGE, post=MANAGE),
    # A computed portfolio-wide KPI: nobody enters its values (403); who may not read it gets 404.
    Case("reporting:kpi_detail", get=KPI_READ, post="L 403 403 404 404 403 404 404", kwargs=kpi),
    Case("reporting:kpi_edit", get=MANAGE, post=MANAGE, kwargs=kpi),
    Case("reporting:kpi_recompute", get=NO_GET, post="L 302 302 403 403 403 403 403", kwargs=kpi),
    Case("reporting:reports", get=OVERSIGHT, post=OVERSIGHT),
    Case("reporting:report_generate", get=MANAGE, post="L 400 400 403 403 403 403 403"),
    # An empty subscription names no kind of report: 404 for a reader, 403 for the others.
    Case("reporting:report_subscribe", get=NO_GET, post="L 404 404 403 403 404 403 403"),
    Case("reporting:report_detail", get=REPORT_READ, post=REPORT_READ, kwargs=report),
    Case("reporting:report_state", get=REPORT_READ, post=REPORT_READ, kwargs=report),
    Case("reporting:report_download", get=REPORT_READ, post=REPORT_READ, kwargs=report),
    Case("reporting:report_retry", get=NO_GET, post="L 302 302 404 404 403 404 404", kwargs=report),
    Case("reporting:report_regenerate", get=NO_GET, post="L 302 302 404 404 403 404 404", kwargs=report),
    # A report's PowerPoint version is read as its PDF; the slide templates are the PMO's (an empty upload
    # is shown again with its errors: 400); the templates' files download with GET only.
    Case("reporting:report_slides", get=REPORT_READ, post=REPORT_READ, kwargs=report),
    Case("reporting:slide_templates", get=MANAGE, post="L 400 400 403 403 403 403 403"),
    Case("reporting:slide_template_default", get=MANAGE, post=GET_ONLY),
    Case("reporting:slide_template_download", get=MANAGE, post=GET_ONLY, kwargs=slide_template),
    Case("reporting:slide_template_use_default", get=NO_GET, post=TEMPLATE_CHANGE),
    Case(
        "reporting:slide_template_activate",
        get=NO_GET,
        post="L 302 302 403 403 403 403 403",
        kwargs=slide_template,
    ),
    Case(
        "reporting:slide_template_delete",
        get=NO_GET,
        post="L 302 302 403 403 403 403 403",
        kwargs=slide_template,
    ),
]


def a_pack(o):
    """Last month's executive pack (the PMO's and administrators' only: 403 for everyone else)."""
    from reporting.models import ExecutivePack
    from reporting.packs import last_complete

    period = last_complete("monthly", timezone.localdate())
    return ExecutivePack.objects.get_or_create(kind="monthly", period=period.start)[0]


pack = lambda o: {"pk": a_pack(o).pk}  # noqa: E731
# An empty form is refused (400): no kind and period, no editor's rows, no confirmation's revision.
PACK_FORM = "L 400 400 403 403 403 403 403"
CASES += [
    Case("reporting:packs", get=MANAGE, post=PACK_FORM),
    # Two boxes left empty: nothing is waited for.
    Case("reporting:pack_policy", get=NO_GET, post="L 302 302 403 403 403 403 403"),
    Case("reporting:pack_edit", get=MANAGE, post=PACK_FORM, kwargs=pack),
    # The draft's PDF, rendered in the request.
    Case("reporting:pack_preview", get=MANAGE, post=PACK_FORM, kwargs=pack),
    Case("reporting:pack_publish", get=NO_GET, post=PACK_FORM, kwargs=pack),
]

# --- Imports: the PMO's and administrators'; an import is its author's (another PMO gets 404) ---------
IMPORTER = "L 200 200 403 403 403 403 403"
upload = lambda o: {"pk": o.upload.pk}  # noqa: E731
CASES += [
    # An empty upload form is shown again with its message.
    Case("imports:start", get=IMPORTER, post=IMPORTER),
    Case("imports:step", get=IMPORTER, post=NO_GET, kwargs=upload),
    Case("imports:progress", get=IMPORTER, post=NO_GET, kwargs=upload),
    # Columns all ignored: refused with the reason, the form shown again.
    Case("imports:columns", get=IMPORTER, post=IMPORTER, kwargs=upload),
    # The values as they are: the dry run runs, then its page.
    Case("imports:values", get=IMPORTER, post="L 302 302 403 403 403 403 403", kwargs=upload),
    Case("imports:dry_run", get=IMPORTER, post="L 302 302 403 403 403 403 403", kwargs=upload),
    # No dry run yet: the commit is refused, its page says why.
    Case("imports:commit", get=IMPORTER, post=IMPORTER, kwargs=upload),
    Case("imports:mapping_json", get=IMPORTER, post=NO_GET, kwargs=lambda o: {"pk": o.mapping.pk}),
]


# --- Exports, the calendar feed, the API token ------------------------------------------------------------
CASES += [
    Case("portfolio:status_history", get="L 200 200 200 200 200 200 200", post=NO_GET),
    Case(
        "portfolio:status_policy", get="L 200 200 403 403 403 403 403", post="L 200 200 403 403 403 403 403"
    ),
    Case("api_token", get="L 200 200 200 200 200 200 200", post="L 200 200 200 200 200 200 200"),
    Case("governance:calendar", get="L 200 200 200 200 200 200 200", post=NO_GET),
    Case("governance:calendar_rotate", get=NO_GET, post="L 302 302 302 302 302 302 302"),
    # The feed's address is its credential: the same answer whoever asks, signed in or not.
    Case(
        "governance:calendar_feed",
        get="200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
        kwargs=lambda o: {"token": CalendarFeed.objects.get_or_create(user=o.member_action.owner)[0].token},
    ),
]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES.append(
        Case(
            "portfolio:project_status_history",
            get=see("L 200 200 200 200 200 200 200"),
            post=NO_GET,
            kwargs=project(of),
            variant=variant,
        )
    )

# A dependency belongs to its consumer: its manager and the PMO change it, who does not see the consumer
# gets 404. The provider's manager (`pm` for the confidential one's; nobody asked for the open one's) or
# the PMO accepts it: never the consumer's manager as such.
dependency = lambda o: {"pk": o.dependency.pk}  # noqa: E731
secret_dependency = lambda o: {"pk": o.secret_dependency.pk}  # noqa: E731
CASES += [
    Case("planning:dependency_map", get="L 200 200 200 200 200 200 200", post=NO_GET),
    *(
        Case(name, get=see("L 200 200 200 403 403 403 403"), post=post, kwargs=kwargs, variant=variant)
        for variant, kwargs, see in (
            ("open", dependency, lambda e: e),
            ("confidential", secret_dependency, hidden),
        )
        for name, post in (
            ("portfolio:dependency_edit", see("L 200 200 200 403 403 403 403")),
            ("portfolio:dependency_delete", see("L 302 302 302 403 403 403 403")),
        )
    ),
    Case("portfolio:dependency_accept", get=NO_GET, post="L 302 302 403 403 403 403 403", kwargs=dependency),
    Case(
        "portfolio:dependency_accept",
        get=NO_GET,
        post="L 302 302 302 403 403 403 403",
        kwargs=secret_dependency,
        variant="confidential",
    ),
]

# --- The REST API: 401 without credentials (JSON, as every answer of the API); the documentation page is
# a page like the others. An empty POST is a form post, which the API refuses (415, it speaks JSON), once
# the user is known to be allowed to write there; a method an endpoint does not take is a 405.
API_ALL = "401 200 200 200 200 200 200 200"
API_NO = "401 405 405 405 405 405 405 405"
API_FORM = "401 415 415 415 415 415 415 415"
CASES += [
    Case("api:schema", get=API_ALL, post=API_NO),
    Case("api:docs", get="L 200 200 200 200 200 200 200", post="L 405 405 405 405 405 405 405"),
    *(
        Case(f"api:{name}-list", get=API_ALL, post=API_NO)
        for name in ("project", "status-report", "committee", "meeting", "decision", "kpi")
    ),
    *(Case(f"api:{name}-list", get=API_ALL, post=API_NO) for name in ("change-request", "baseline")),
    *(
        Case(f"api:{name}-list", get=API_ALL, post=API_FORM)
        for name in ("milestone", "dependency", "planned-phase")
    ),
    Case("api:kpi-measurement-list", get=API_ALL, post=API_NO),
    *(Case(f"api:{name}-list", get=API_ALL, post=API_FORM) for name in ("risk", "issue", "action")),
    # The committee's readers: the PMO, administrators, executives and its members.
    Case("api:committee-detail", get="401 200 200 404 404 200 200 404", post=API_NO, kwargs=committee),
    Case("api:meeting-detail", get="401 200 200 404 404 200 200 404", post=API_NO, kwargs=meeting()),
    Case("api:kpi-detail", get="401 200 200 404 404 200 404 404", post=API_NO, kwargs=kpi),
    Case(
        "api:kpi-measurement-detail",
        get="401 200 200 404 404 200 404 404",
        post=API_NO,
        kwargs=lambda o: {"pk": a_measurement(o).pk},
    ),
]
# Money by month and people by role (api.views.money, api.views.figures, the data exports): capacity is
# read by the oversight roles, roles and capacity written by the PMO and administrators (403 before the
# body is read).
PMO_WRITES = "401 415 415 403 403 403 403 403"
CASES += [
    Case("api:cost-category-list", get=API_ALL, post=API_NO),
    Case("api:cost-category-detail", get=API_ALL, post=API_NO, kwargs=lambda o: {"code": "CAPEX"}),
    Case("api:resource-role-list", get=API_ALL, post=PMO_WRITES),
    Case("api:resource-role-detail", get=API_ALL, post=API_NO, kwargs=lambda o: {"code": a_role().code}),
    Case("api:monthly-amount-list", get=API_ALL, post=API_FORM),
    Case("api:capacity-list", get=API_ALL, post=PMO_WRITES),
    Case(
        "api:capacity-detail",
        get="401 200 200 404 404 200 404 404",
        post=API_NO,
        kwargs=lambda o: {"pk": a_capacity(o).pk},
    ),
    Case("api:demand-list", get=API_ALL, post=API_FORM),
    Case("api:finance-view", get=API_ALL, post=API_NO),
    Case("api:resources-allocation", get=API_ALL, post=API_NO),
    Case("finance:data_export", get=SIGNED_IN, post=GET_ONLY),
    Case("resources:data_export", get=SIGNED_IN, post=GET_ONLY),
]
# Delivery confidence assessments: listed for whoever sees their project, recorded by the PMO and
# administrators (403 before the body is read).
CASES += [Case("api:confidence-assessment-list", get=API_ALL, post=PMO_WRITES)]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        Case(
            "api:confidence-assessment-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": an_assessment(getattr(o, of)).pk},
            variant=variant,
        )
    ]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        Case(
            "api:monthly-amount-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": an_amount(getattr(o, of)).pk},
            variant=variant,
        ),
        Case(
            "api:demand-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": a_demand(getattr(o, of)).pk},
            variant=variant,
        ),
    ]
for variant, of, see in (("open", "", lambda e: e), ("confidential", "secret", hidden)):
    code = project(of or "project")
    CASES += [
        Case("api:project-detail", get=see(API_ALL), post=API_NO, kwargs=code, variant=variant),
        # Its earned value at the latest status (AgileEVM for an agile project): whoever reads it.
        Case("api:project-earned-value", get=see(API_ALL), post=API_NO, kwargs=code, variant=variant),
        # Submitting this week's status: its manager, the PMO and administrators (then 415 for a form).
        Case(
            "api:project-submit-status",
            get=API_NO,
            post=see("401 415 415 415 403 403 403 403"),
            kwargs=code,
            variant=variant,
        ),
        Case(
            "api:status-report-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": getattr(o, of or "project").last_report_id},
            variant=variant,
        ),
        Case(
            "api:milestone-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": a_milestone(getattr(o, of or "project")).pk},
            variant=variant,
        ),
        Case(
            "api:dependency-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": a_dependency(o, of).pk},
            variant=variant,
        ),
        # Accepting: the provider's manager (another manager's project; the confidential one is the
        # manager's own), the PMO and administrators.
        Case(
            "api:dependency-accept",
            get=API_NO,
            post=see("401 200 200 200 403 403 403 403" if of else "401 200 200 403 200 403 403 403"),
            kwargs=lambda o, of=of: {"pk": a_dependency(o, of).pk},
            variant=variant,
        ),
        Case(
            "api:planned-phase-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": a_planned_phase(getattr(o, of or "project")).pk},
            variant=variant,
        ),
        Case(
            "api:change-request-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"reference": a_change_request(getattr(o, of or "project")).reference},
            variant=variant,
        ),
        Case(
            "api:baseline-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=lambda o, of=of: {"pk": a_baseline(getattr(o, of or "project")).pk},
            variant=variant,
        ),
        Case(
            "portfolio:project_plan_export",
            get=see("L 200 200 200 200 200 200 200"),
            post=NO_GET,
            kwargs=code,
            variant=variant,
        ),
        Case(
            "api:risk-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=reference(f"{of}_risk".lstrip("_")),
            variant=variant,
        ),
        Case(
            "api:issue-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=reference(f"{of}_issue".lstrip("_")),
            variant=variant,
        ),
        Case(
            "api:decision-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=reference(f"{of}_decision".lstrip("_")),
            variant=variant,
        ),
        Case(
            "api:action-detail",
            get=see(API_ALL),
            post=API_NO,
            kwargs=reference(f"{of}_action".lstrip("_")),
            variant=variant,
        ),
    ]


# --- People by role: the roles catalogue is everyone's, the PMO's to change; capacity and the heatmap are
# the oversight roles' and project managers' (docs/resources.md), the capacity the PMO's to change; a
# project's demand follows its project (read by who sees it, changed by who edits it).
ALLOCATION = "L 200 200 200 200 200 403 403"


def a_role():
    from resources.models import ResourceRole

    return ResourceRole.objects.get_or_create(
        code="DEV", defaults={"name": "Développeur", "name_en": "Developer"}
    )[0]


def a_capacity(o):
    from resources.models import Capacity

    month = timezone.localdate().replace(day=1)
    return Capacity.objects.get_or_create(
        directorate=o.project.directorate, role=a_role(), month=month, fte=2
    )[0]


def a_demand(of):
    from resources.models import Demand

    month = timezone.localdate().replace(day=1)
    return Demand.objects.get_or_create(project=of, role=a_role(), month=month, fte=1)[0]


def an_amount(of):
    from finance.models import CostCategory, MonthlyAmount

    month = timezone.localdate().replace(day=1)
    category = CostCategory.objects.get(code="CAPEX")
    return MonthlyAmount.objects.get_or_create(
        project=of, category=category, kind="budget", month=month, amount=5
    )[0]


CASES += [
    Case("resources:roles", get=SIGNED_IN, post=GET_ONLY),
    # An empty form is shown again with its messages.
    Case("resources:role_create", get=MANAGE, post=MANAGE),
    Case("resources:role_edit", get=MANAGE, post=MANAGE, kwargs=lambda o: {"pk": a_role().pk}),
    # A POST that is not the grid (no version) is refused: 400.
    Case("resources:capacity", get=ALLOCATION, post="L 400 400 403 403 403 403 403"),
    Case("resources:heatmap", get=ALLOCATION, post=GET_ONLY),
    # The drill-down without its directorate, role and month names no cell: 404 for a reader.
    Case("resources:cell", get="L 404 404 404 404 404 403 403", post=GET_ONLY),
]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        Case(
            "resources:project_demand",
            get=see("L 200 200 200 200 200 200 200"),
            post=see("L 400 400 400 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
    ]

# Benefits realisation: read by whoever sees the project; profiles added and edited by who may edit the
# project, approved by the PMO, actuals recorded by the owner, the project's manager or the PMO.
CASES += [Case("benefits:overview", get=SIGNED_IN, post=GET_ONLY)]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        Case(
            "benefits:project_benefits",
            get=see(SIGNED_IN),
            post=GET_ONLY,
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "benefits:benefit_new",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "benefits:benefit_edit",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=lambda o, of=of: {"pk": a_benefit(getattr(o, of)).pk},
            variant=variant,
        ),
        Case(
            "benefits:benefit_approve",
            get=GET_ONLY,
            post=see("L 302 302 403 403 403 403 403"),
            kwargs=lambda o, of=of: {"pk": a_benefit(getattr(o, of)).pk},
            variant=variant,
        ),
        Case(
            "benefits:actual_new",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=lambda o, of=of: {"pk": a_benefit(getattr(o, of)).pk},
            variant=variant,
        ),
    ]

# Compliance with the standard: a project's page read by whoever sees the project; the chase page read by
# the PMO, administrators and executives (with its exports); a reminder sent by the PMO and administrators.
COMPLIANCE_READERS = "L 200 200 403 403 200 403 403"
CASES += [
    Case("standards:compliance", get=COMPLIANCE_READERS, post=GET_ONLY),
    Case("standards:compliance", get=COMPLIANCE_READERS, post=GET_ONLY, variant="csv", query="export=csv"),
    Case("standards:compliance", get=COMPLIANCE_READERS, post=GET_ONLY, variant="xlsx", query="export=xlsx"),
]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        Case(
            "standards:project_compliance",
            get=see(SIGNED_IN),
            post=GET_ONLY,
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "standards:compliance_remind",
            get=GET_ONLY,
            post=see("L 302 302 403 403 403 403 403"),
            kwargs=project(of),
            variant=variant,
        ),
    ]


def a_benefit(of):
    from datetime import date

    from benefits.models import BenefitProfile

    return BenefitProfile.objects.get_or_create(
        project=of,
        title="Économies",
        defaults={"target_value": 100, "starts_on": date(2026, 1, 1), "target_date": date(2027, 1, 1)},
    )[0]


def an_assessment(of):
    from portfolio.models import DeliveryConfidence

    day = timezone.localdate()
    return DeliveryConfidence.objects.get_or_create(project=of, rating="amber", assessed_on=day)[0]


def a_milestone(of) -> Milestone:
    day = timezone.localdate()
    return Milestone.objects.get_or_create(project=of, name="Recette", baseline_date=day, forecast_date=day)[
        0
    ]


def a_dependency(o, of: str) -> ProjectDependency:
    """The project depends on another manager's open project, or on the confidential one."""
    if of:
        provider = o.secret
    else:
        manager = User.objects.get(username="other_pm")
        provider = Project.objects.filter(code="DSI-002").first() or ProjectFactory(
            code="DSI-002", project_manager=manager, directorate=o.project.directorate
        )
    return ProjectDependency.objects.get_or_create(from_project=o.project, to_project=provider)[0]


def a_planned_phase(of) -> ProjectPhase:
    return ProjectPhase.objects.get_or_create(project=of, phase=Phase.objects.order_by("order").first())[0]


def a_change_request(of) -> ChangeRequest:
    reference = f"CR-2026-{of.pk:04d}"
    return ChangeRequest.objects.get_or_create(
        reference=reference, defaults={"project": of, "title": "Décaler la recette", "reason": "Retard"}
    )[0]


def a_baseline(of) -> Baseline:
    return Baseline.objects.get_or_create(
        project=of, number=1, defaults={"origin": Baseline.Origin.GATE, "currency": "MAD"}
    )[0]


def a_measurement(o) -> Measurement:
    period = o.kpi.period_of(timezone.localdate()).previous().start
    return Measurement.objects.get_or_create(kpi=o.kpi, period=period, defaults={"value": 12})[0]


def application_urls() -> set[str]:
    """The name of every URL the resolver knows, outside the administration site."""

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue  # the administration site's own rule: see below
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"the URL {entry.pattern} has no name: the matrix cannot name it"
                yield f"{namespace}{entry.name}"

    return set(walk(get_resolver().url_patterns))


# --- What-if scenarios (resources) -------------------------------------------------------------------------
# The PMO and administrators only: the what-if (an empty save is a refused form), the scenarios, bringing
# one to the portfolio committee (an empty choice: back to its page with a message) and withdrawing it.
scenario = lambda o: {"pk": o.scenario.pk}  # noqa: E731
CASES += [
    Case("resources:whatif", get="L 200 200 403 403 403 403 403", post="L 400 400 403 403 403 403 403"),
    Case("resources:scenarios", get="L 200 200 403 403 403 403 403", post="L 405 405 405 405 405 405 405"),
    Case(
        "resources:scenario_detail",
        get="L 200 200 403 403 403 403 403",
        post="L 405 405 405 405 405 405 405",
        kwargs=scenario,
    ),
    Case(
        "resources:scenario_propose",
        get="L 405 405 405 405 405 405 405",
        post="L 302 302 403 403 403 403 403",
        kwargs=scenario,
    ),
    Case(
        "resources:scenario_withdraw",
        get="L 405 405 405 405 405 405 405",
        post="L 302 302 403 403 403 403 403",
        kwargs=scenario,
    ),
]

# --- The G0 (demand) ----------------------------------------------------------------------------------------
# Bringing a request to a portfolio committee: POST only; the PMO and administrators (an empty choice: back
# to the request's page with a message); a reader of the request 403 (its requester, the executive, the
# portfolio committee's member); who may not read it 404.
CASES += [
    Case(
        "demand:request_propose",
        get="L 405 405 405 405 405 405 405",
        post="L 302 302 403 404 403 403 404",
        kwargs=lambda o: {"code": o.g0_request.code},
    ),
]


# --- Portfolio scenarios (demand) -------------------------------------------------------------------------
# The PMO and administrators create and change them; executives and the people of a portfolio committee
# (none here: `member` sits on a steering committee) read them; others 403. An empty POST to the new
# scenario shows the form again, an empty forced choice is refused (400); empty caps are no caps (saved).
def a_portfolio_scenario():
    from demand.models import CriteriaSet, PortfolioScenario

    return PortfolioScenario.objects.get_or_create(
        name="Scénario de base",
        defaults={"first_year": timezone.localdate().year, "criteria_set": CriteriaSet.objects.current()},
    )[0]


SCENARIO_READERS = "L 200 200 403 403 200 200 403"
SCENARIO_CHANGE = "L 302 302 403 403 403 403 403"
portfolio_scenario = lambda o: {"pk": a_portfolio_scenario().pk}  # noqa: E731
CASES += [
    Case("demand:scenario_list", get=SCENARIO_READERS, post=GET_ONLY),
    Case("demand:scenario_new", get="L 200 200 403 403 403 403 403", post="L 200 200 403 403 403 403 403"),
    Case("demand:scenario_compare", get=SCENARIO_READERS, post=GET_ONLY),
    Case("demand:scenario_detail", get=SCENARIO_READERS, post=SCENARIO_CHANGE, kwargs=portfolio_scenario),
    Case("demand:scenario_compute", get=GET_ONLY, post=SCENARIO_CHANGE, kwargs=portfolio_scenario),
    Case(
        "demand:scenario_force", get=GET_ONLY, post="L 400 400 403 403 403 403 403", kwargs=portfolio_scenario
    ),
    Case("demand:scenario_archive", get=GET_ONLY, post=SCENARIO_CHANGE, kwargs=portfolio_scenario),
    Case("demand:scenario_export", get=SCENARIO_READERS, post=GET_ONLY, kwargs=portfolio_scenario),
    Case(
        "demand:scenario_export",
        get=SCENARIO_READERS,
        post=GET_ONLY,
        kwargs=portfolio_scenario,
        variant="xlsx",
        query="export=xlsx",
    ),
]


# --- Demand intake: a request of the DSI project manager `pm` (submitted); who sees it reads it (the
# oversight roles, its requester; the others, of another directorate and on no portfolio committee, get
# 404); its requester and the PMO change it; the PMO qualifies it. Anyone with a role and a directorate
# submits one (the executive has none).
def a_request(o):
    from demand.models import ProjectRequest
    from demand.services import request_submit

    found = ProjectRequest.objects.filter(title="Portail client").first()
    if found is None:
        found = request_submit(
            by=o.project.project_manager,
            values={
                "title": "Portail client",
                "objectives": "En ligne.",
                "directorate": o.project.directorate,
            },
            costs={},
            needs={},
        )
    return found


def an_attachment(o):
    from django.core.files.base import ContentFile

    from demand.models import RequestAttachment

    project_request = a_request(o)
    found = RequestAttachment.objects.filter(request=project_request).first()
    if found is None:
        found = RequestAttachment(request=project_request, name="note.txt", content_type="text/plain", size=5)
        found.file.save("note.txt", ContentFile(b"notes"), save=True)
    return found


demand_request = lambda o: {"code": a_request(o).code}  # noqa: E731
attachment = lambda o: {"pk": an_attachment(o).pk}  # noqa: E731
SEES_REQUEST = "L 200 200 200 404 200 404 404"
SUBMITTER = "L 200 200 200 200 403 200 200"
CASES += [
    Case("demand:request_list", get=SIGNED_IN, post=GET_ONLY),
    Case("demand:request_list", get=SIGNED_IN, post=GET_ONLY, query="export=csv", variant="csv"),
    Case("demand:request_list", get=SIGNED_IN, post=GET_ONLY, query="export=xlsx", variant="xlsx"),
    # An empty form is shown again with its messages.
    Case("demand:request_new", get=SUBMITTER, post=SUBMITTER),
    Case("demand:request_detail", get=SEES_REQUEST, post=GET_ONLY, kwargs=demand_request),
    Case(
        "demand:request_edit",
        get="L 200 200 200 404 403 404 404",
        post="L 200 200 200 404 403 404 404",
        kwargs=demand_request,
    ),
    # No verdict: refused (400) with the page.
    Case("demand:request_qualify", get=NO_GET, post="L 400 400 403 404 403 404 404", kwargs=demand_request),
    Case("demand:request_withdraw", get=NO_GET, post="L 302 302 302 404 403 404 404", kwargs=demand_request),
    # No file: refused (400) with the page.
    Case("demand:attachment_upload", get=NO_GET, post="L 400 400 400 404 403 404 404", kwargs=demand_request),
    Case("demand:attachment_download", get=SEES_REQUEST, post=GET_ONLY, kwargs=attachment),
    Case("demand:attachment_delete", get=NO_GET, post="L 302 302 302 404 403 404 404", kwargs=attachment),
]


# --- Governance documents (standards) ---------------------------------------------------------------------
# The governance framework is not confidential: every signed-in user reads the register, a document and its
# versions' files. The PMO and administrators create and edit documents (an empty form is shown again); the
# document's owner (`pm`) and the PMO add versions (an empty form: 400), approve or propose the latest
# (back to the document's page, with a message when the step does not apply); the others 403.
def a_governance_document(o):
    from django.core.files.base import ContentFile

    from standards import services_document
    from standards.models import DocumentVersion, GovernanceDocument

    found = GovernanceDocument.objects.filter(title="Procédure de décision").first()
    if found is None:
        found = services_document.document_create(
            values={"title": "Procédure de décision", "kind": "decision", "owner": o.project.project_manager},
            by=None,
        )
        version = DocumentVersion(
            document=found, number=1, changes="v1", file_name="p.txt", content_type="text/plain"
        )
        version.file.save("p.txt", ContentFile(b"procedure"), save=True)
    return found


governance_document = lambda o: {"pk": a_governance_document(o).pk}  # noqa: E731
document_version = lambda o: {"pk": a_governance_document(o).versions.get().pk}  # noqa: E731
PMO_ONLY = "L 200 200 403 403 403 403 403"
CASES += [
    Case("standards:document_list", get=SIGNED_IN, post=GET_ONLY),
    Case("standards:document_list", get=SIGNED_IN, post=GET_ONLY, query="export=csv", variant="csv"),
    Case("standards:document_list", get=SIGNED_IN, post=GET_ONLY, query="export=xlsx", variant="xlsx"),
    Case("standards:document_create", get=PMO_ONLY, post=PMO_ONLY),
    Case("standards:document_detail", get=SIGNED_IN, post=GET_ONLY, kwargs=governance_document),
    Case("standards:document_edit", get=PMO_ONLY, post=PMO_ONLY, kwargs=governance_document),
    Case(
        "standards:document_new_version",
        get="L 200 200 200 403 403 403 403",
        post="L 400 400 400 403 403 403 403",
        kwargs=governance_document,
    ),
    Case(
        "standards:document_version_approve",
        get=NO_GET,
        post="L 302 302 302 403 403 403 403",
        kwargs=document_version,
    ),
    Case(
        "standards:document_version_propose",
        get=NO_GET,
        post="L 302 302 302 403 403 403 403",
        kwargs=document_version,
    ),
    Case("standards:document_version_download", get=SIGNED_IN, post=GET_ONLY, kwargs=document_version),
]


def a_due_deliverable(of):
    """A requirement of the project's phase (its methodology's) and the deliverable submitted for it,
    with its file."""
    from django.core.files.base import ContentFile

    from standards.models import (
        Deliverable,
        DeliverableRequirement,
        DeliverableType,
        Methodology,
        ProjectMethodology,
    )

    methodology = Methodology.objects.get_or_create(
        code="matrix", defaults={"name": "Matrice", "name_en": "Matrix"}
    )[0]
    ProjectMethodology.objects.get_or_create(project=of, defaults={"methodology": methodology})
    kind = DeliverableType.objects.get_or_create(name="Charte", defaults={"name_en": "Charter"})[0]
    requirement = DeliverableRequirement.objects.get_or_create(
        methodology=methodology, phase=of.phase, deliverable_type=kind
    )[0]
    deliverable = Deliverable.objects.filter(project=of, deliverable_type=kind, phase=of.phase).first()
    if deliverable is None:
        deliverable = Deliverable(
            project=of, deliverable_type=kind, phase=of.phase, state=Deliverable.State.SUBMITTED,
            file_name="charte.txt", content_type="text/plain", size=5,
        )  # fmt: skip
        deliverable.file.save("charte.txt", ContentFile(b"notes"), save=True)
    return requirement, deliverable


def a_template():
    from django.core.files.base import ContentFile

    from standards.models import DeliverableType, Template

    kind = DeliverableType.objects.get_or_create(name="Charte", defaults={"name_en": "Charter"})[0]
    found = Template.objects.filter(deliverable_type=kind).first()
    if found is None:
        found = Template(deliverable_type=kind, version=1, file_name="modele.txt", content_type="text/plain")
        found.file.save("modele.txt", ContentFile(b"modele"), save=True)
    return found


# Standards' templates: every signed-in user lists and downloads them, the PMO (and administrators)
# publish; a project's deliverables: read by whoever sees the project, provided by who may edit it,
# reviewed by their approver or the PMO, waived by the PMO; an empty form is refused (400).
PMO_ONLY = "L 400 400 403 403 403 403 403"
CASES += [
    Case("standards:template_list", get=SIGNED_IN, post=GET_ONLY),
    # An empty form re-renders.
    Case("standards:template_new", get="L 200 200 403 403 403 403 403", post="L 200 200 403 403 403 403 403"),
    Case(
        "standards:template_download", get=SIGNED_IN, post=GET_ONLY, kwargs=lambda o: {"pk": a_template().pk}
    ),
]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    due = lambda o, of=of: {  # noqa: E731
        "code": getattr(o, of).code,
        "requirement": a_due_deliverable(getattr(o, of))[0].pk,
    }
    CASES += [
        Case(
            "standards:project_deliverables",
            get=see(SIGNED_IN),
            post=GET_ONLY,
            kwargs=project(of),
            variant=variant,
        ),
        Case(
            "standards:deliverable",
            get=see(SIGNED_IN),
            # The deliverable has its file already: an empty form saves it back as a draft.
            post=see("L 302 302 302 403 403 403 403"),
            kwargs=due,
            variant=variant,
        ),
        Case("standards:deliverable_review", get=GET_ONLY, post=see(PMO_ONLY), kwargs=due, variant=variant),
        Case("standards:deliverable_waive", get=GET_ONLY, post=see(PMO_ONLY), kwargs=due, variant=variant),
        # The file: 404 for who may not see the project, like the project itself.
        Case(
            "standards:deliverable_file",
            get=see(SIGNED_IN),
            post=GET_ONLY,
            kwargs=lambda o, of=of: {"pk": a_due_deliverable(getattr(o, of))[1].pk},
            variant=variant,
        ),
    ]


# --- The standard: methodologies (standards) ---------------------------------------------------------------
# Everyone signed in reads the methodologies and deliverable types; the PMO and administrators change them
# (an empty form is shown again). A project's methodology is read by whoever sees the project and changed
# by the PMO and administrators (an empty choice: the form again).
PMO_SHEET = "L 200 200 403 403 403 403 403"
PMO_REMOVES = "L 302 302 403 403 403 403 403"
methodology = lambda o: {"code": "classic"}  # noqa: E731  # from standards' data migration


def a_requirement():
    from standards.models import DeliverableRequirement, DeliverableType, Methodology

    return DeliverableRequirement.objects.get_or_create(
        methodology=Methodology.objects.get(code="classic"),
        phase=Phase.objects.order_by("order").first(),
        deliverable_type=DeliverableType.objects.order_by("order").first(),
    )[0]


def a_methodology_criterion():
    from governance.models import GateCriterion

    return GateCriterion.objects.get_or_create(
        scope="methodology:classic",
        defaults={"phase": Phase.objects.order_by("order").first(), "text": "Revue", "text_en": "Review"},
    )[0]


def a_deliverable_type():
    from standards.models import DeliverableType

    return DeliverableType.objects.order_by("order").first()


CASES += [
    Case("standards:methodology_list", get=SIGNED_IN, post=GET_ONLY),
    Case("standards:methodology_create", get=PMO_SHEET, post=PMO_SHEET),
    Case("standards:methodology_detail", get=SIGNED_IN, post=GET_ONLY, kwargs=methodology),
    Case("standards:methodology_edit", get=PMO_SHEET, post=PMO_SHEET, kwargs=methodology),
    Case("standards:methodology_requirement_add", get=PMO_SHEET, post=PMO_SHEET, kwargs=methodology),
    Case("standards:methodology_criterion_add", get=PMO_SHEET, post=PMO_SHEET, kwargs=methodology),
    Case("standards:methodology_tolerances", get=PMO_SHEET, post=PMO_SHEET, kwargs=methodology),
    Case(
        "standards:requirement_delete",
        get=GET_ONLY,
        post=PMO_REMOVES,
        kwargs=lambda o: {"pk": a_requirement().pk},
    ),
    Case(
        "standards:criterion_edit",
        get=PMO_SHEET,
        post=PMO_SHEET,
        kwargs=lambda o: {"pk": a_methodology_criterion().pk},
    ),
    Case(
        "standards:criterion_delete",
        get=GET_ONLY,
        post=PMO_REMOVES,
        kwargs=lambda o: {"pk": a_methodology_criterion().pk},
    ),
    Case("standards:deliverable_type_list", get=SIGNED_IN, post=GET_ONLY),
    Case("standards:deliverable_type_create", get=PMO_SHEET, post=PMO_SHEET),
    Case(
        "standards:deliverable_type_edit",
        get=PMO_SHEET,
        post=PMO_SHEET,
        kwargs=lambda o: {"pk": a_deliverable_type().pk},
    ),
]
for variant, of, see in (("open", "project", lambda e: e), ("confidential", "secret", hidden)):
    CASES += [
        Case(
            "standards:project_methodology",
            get=see(SIGNED_IN),
            post=see(PMO_SHEET),
            kwargs=project(of),
            variant=variant,
        ),
    ]
# --- Standards: exception reports (a PM's own in the list; a report is its project's to read) -------------
# The list and its export: the PMO, executives and administrators, a PM their projects'. The report reads as
# its project; its manager and the PMO write it (an empty form is shown again); the PMO closes or withdraws
# it (an empty note: refused with a message, 302); who runs a meeting records the committee's choice (an
# empty form: 400).
CASES += [
    Case("standards:exception_list", get="L 200 200 200 200 200 403 403", post=GET_ONLY),
    Case("standards:exception_export", get="L 200 200 200 200 200 403 403", post=GET_ONLY),
]
for variant, of, see in (("open", "exception", lambda e: e), ("confidential", "secret_exception", hidden)):
    CASES += [
        Case(
            "standards:exception_detail", get=see(SIGNED_IN), post=GET_ONLY,
            kwargs=reference(of), variant=variant,
        ),
        Case(
            "standards:exception_edit",
            get=see("L 200 200 200 403 403 403 403"),
            post=see("L 200 200 200 403 403 403 403"),
            kwargs=reference(of),
            variant=variant,
        ),
        Case(
            "standards:exception_close", get=NO_GET, post=see("L 302 302 403 403 403 403 403"),
            kwargs=reference(of), variant=variant,
        ),
        Case(
            "standards:exception_withdraw", get=NO_GET, post=see("L 302 302 403 403 403 403 403"),
            kwargs=reference(of), variant=variant,
        ),
        Case(
            "standards:exception_decide", get=NO_GET, post=see("L 400 400 403 403 403 403 403"),
            kwargs=reference(of), variant=variant,
        ),
    ]  # fmt: skip


def test_every_url_has_an_expected_answer():
    covered = {case.name for case in CASES}

    assert application_urls() - covered == set(), "add these URLs to CASES, with each role's answer"
    assert covered - application_urls() == set(), "these cases name URLs that no longer exist"


def answer(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "L"
    return str(response.status_code)


def row_counts() -> dict[str, int]:
    """Rows per table, sessions and sign-in records aside (signing each role in writes those)."""
    skipped = {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"}
    with connection.cursor() as cursor:
        counts = {}
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in skipped and not model._meta.proxy:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the models
                counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def things(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_CHARTS = False  # a pack's preview renders its PDF: its charts' data as tables is enough
    return objects.build(world)


def clients(world) -> dict[str, Client]:
    signed_in = {}
    for role in ROLES:
        signed_in[role] = Client()
        if role != "anonymous":
            signed_in[role].force_login(getattr(world, role))
    return signed_in


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_role_gets_the_answer_the_matrix_gives(case, world, things):
    url = reverse(case.name, kwargs=case.kwargs(things)) + (f"?{case.query}" if case.query else "")
    before = row_counts()
    got = {"get": [], "post": []}
    for role, client in clients(world).items():
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            got[method].append(answer(response))
            if method == "get" and response.status_code == 200 and "html" in response.get("Content-Type", ""):
                assert "script-src 'self'" in response["Content-Security-Policy"], f"{url} for {role}"
        assert row_counts() == before, f"a GET of {url} as {role} changed the database"

    assert " ".join(got["get"]) == case.get, f"GET {url}, one answer per role: {ROLES}"
    assert " ".join(got["post"]) == case.post, f"POST {url}, one answer per role: {ROLES}"


def admin_urls() -> list[tuple[str, URLPattern]]:
    site = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "admin"
    )

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif entry.name:  # the unnamed ones redirect an old URL form to a named one
                yield f"admin:{entry.name}", entry

    return sorted(walk(site.url_patterns), key=lambda pair: pair[0])


MODEL_ADMINS = {
    f"{model._meta.app_label}_{model._meta.model_name}": (model, ma)
    for model, ma in admin.site._registry.items()
}
OBJECT_VIEWS = {"change": "change", "delete": "delete", "history": "view"}


def admin_kwargs(name: str, pattern: URLPattern, superuser) -> tuple[dict | list, str]:
    """The URL's arguments (keyword, or positional as a list), and what the superuser gets there: 200,
    302 when the object does not exist, 403 when the model's admin refuses that (no adding computed
    rows, say)."""
    short = name.removeprefix("admin:")
    keys = set(pattern.pattern.regex.groupindex)
    if short == "app_list":
        return {"app_label": "portfolio"}, "200"
    if short == "view_on_site":
        return {"content_type_id": 1, "object_id": 1}, "404"
    special = {
        "logout": ({}, "405"),
        "login": ({}, "302"),  # already signed in: on to the index
        "autocomplete": ({}, "403"),  # without the field it completes
        "auth_user_password_change": ({"id": str(superuser.pk)}, "200"),
    }
    if short in special:
        return special[short]
    if short.endswith("_simple_history"):
        # An object's version page (django-simple-history), read-only: its URL takes positional ids.
        model, _model_admin = MODEL_ADMINS[short.removesuffix("_simple_history")]
        first = model._default_manager.order_by("pk").first()
        record = first.history.order_by("history_id").first() if first else None
        if record is None:
            return ["0", "0"], "404"
        return [str(first.pk), str(record.history_id)], "200"
    model_key, _, view = short.rpartition("_")
    model, model_admin = MODEL_ADMINS.get(model_key, (None, None))
    if model is None:
        return {}, "200"
    request = RequestFactory().get("/")
    request.user = superuser
    if view == "add":
        return {}, "200" if model_admin.has_add_permission(request) else "403"
    if view == "changelist":
        return {}, "200"
    first = model._default_manager.order_by("pk").first()
    if first is None:
        refused = view == "delete" and not model_admin.has_delete_permission(request)
        return {"object_id": "0"}, "403" if refused else "302"
    allowed = {
        "change": model_admin.has_view_or_change_permission(request, first),
        "delete": model_admin.has_delete_permission(request, first),
        "history": model_admin.has_view_or_change_permission(request, first),
    }.get(view, True)
    assert keys == {"object_id"}, name
    return {"object_id": str(first.pk)}, "200" if allowed else "403"


ADMIN_URLS = admin_urls()


@pytest.mark.parametrize(("name", "pattern"), ADMIN_URLS, ids=[name for name, _ in ADMIN_URLS])
def test_the_administration_site_is_for_administrators_only(name, pattern, world, things):
    arguments, superuser = admin_kwargs(name, pattern, world.admin)
    url = reverse(name, args=arguments) if isinstance(arguments, list) else reverse(name, kwargs=arguments)
    admin_login = reverse("admin:login")
    before = row_counts()

    for role, client in clients(world).items():
        response = client.get(url)
        if role == "admin":
            assert str(response.status_code) == superuser, url
        elif name in {"admin:login", "admin:logout"}:
            assert response.status_code in {200, 302, 405}, url
        else:
            assert response.status_code == 302, f"{url} for {role}"
            assert response["Location"].startswith(admin_login), f"{url} for {role}"
    assert row_counts() == before, f"a GET of {url} changed the database"
