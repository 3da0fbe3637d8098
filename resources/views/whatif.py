"""The what-if page: pick consuming projects, shift each by N months or pause it from a month on, and see
the heatmap and the fiscal year's money before and after, before anything is saved (a GET: htmx swaps the
page's body, a plain form submit does the same without JavaScript). "Save as scenario" (a POST) records
it (resources.scenarios.scenario_create); `?scenario=<pk>` reopens a saved one, its changes prefilled.

PMO and administrators only. Queries, whatever the number of projects and changes: the options, the
chosen projects, the comparison's (resources.whatif), and the scenario reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio.adjustments import Adjustment
from portfolio.models import Project
from resources.allocation import CONSUMING_STATES
from resources.models import Scenario
from resources.models.scenario import MAX_SHIFT_MONTHS
from resources.scenarios import ScenarioError, scenario_create
from resources.views.access import require_planner
from resources.whatif import compare, next_month

OPTIONS_MAX = 200


@dataclass
class Choice:
    project: Project
    shift: int = 0
    pause: bool = False

    @property
    def adjustment(self) -> Adjustment:
        return Adjustment(shift_months=0 if self.pause else self.shift, pause=self.pause)


def _int(value, default: int = 0) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _month(value: str | None, default: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return default


def read_choices(request, params, *, problems: list[str]) -> tuple[date, list[Choice], Scenario | None]:
    """The month and the projects' changes asked for (the reopened scenario's when none are asked for)."""
    today = timezone.localdate()
    from_month = _month(params.get("from"), next_month(today))
    scenario = None
    wanted: dict[int, tuple[int, bool]] = {}
    reopen = _int(params.get("scenario"), None)
    if reopen and not params.getlist("project"):
        scenario = Scenario.objects.filter(pk=reopen).prefetch_related("changes").first()
        if scenario is not None:
            from_month = scenario.from_month
            wanted = {c.project_id: (c.shift_months, c.pause) for c in scenario.changes.all()}
    for raw in params.getlist("project"):
        pk = _int(raw, None)
        if pk is None or params.get(f"remove-{pk}"):
            continue
        shift = _int(params.get(f"shift-{pk}"), 0)
        if abs(shift) > MAX_SHIFT_MONTHS:
            problems.append(_("A shift is at most %(max)d months.") % {"max": MAX_SHIFT_MONTHS})
            shift = max(-MAX_SHIFT_MONTHS, min(MAX_SHIFT_MONTHS, shift))
        wanted[pk] = (shift, bool(params.get(f"pause-{pk}")))
    added = _int(params.get("add"), None)
    if added and added not in wanted:
        wanted[added] = (0, False)
    projects = (
        Project.objects.visible_to(request.user)
        .filter(pk__in=list(wanted), state__in=CONSUMING_STATES)
        .select_related("directorate")
        .order_by("code")
        if wanted
        else []
    )
    return from_month, [Choice(p, *wanted[p.pk]) for p in projects], scenario


def _options(request, q: str, chosen: list[Choice]):
    projects = Project.objects.visible_to(request.user).filter(state__in=CONSUMING_STATES)
    if q:
        projects = projects.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return list(
        projects.exclude(pk__in=[c.project.pk for c in chosen])
        .order_by("code")
        .only("pk", "code", "name")[:OPTIONS_MAX]
    )


@login_required
@require_http_methods(["GET", "POST"])
def whatif(request):
    require_planner(request.user)
    params = request.POST if request.method == "POST" else request.GET
    problems: list[str] = []
    from_month, chosen, reopened = read_choices(request, params, problems=problems)
    adjustments = {c.project.pk: c.adjustment for c in chosen}
    name, description = params.get("name", ""), params.get("description", "")
    if request.method == "POST":
        try:
            scenario = scenario_create(
                name=name,
                description=description,
                from_month=from_month,
                changes=adjustments,
                by=request.user,
            )
        except ScenarioError as error:
            problems.extend(error.messages)
        else:
            return redirect("resources:scenario_detail", pk=scenario.pk)
    q = params.get("q", "").strip()
    comparison = None
    if any(a.is_change for a in adjustments.values()):
        comparison = compare(
            user=request.user,
            adjustments=adjustments,
            directorate_ids={c.project.directorate_id for c in chosen} - {None},
            from_month=from_month,
            today=timezone.localdate(),
        )
    context = {
        "from_month": from_month,
        "chosen": chosen,
        "options": _options(request, q, chosen),
        "options_max": OPTIONS_MAX,
        "q": q,
        "comparison": comparison,
        "problems": problems,
        "reopened": reopened,
        "name": name or (reopened.name if reopened else ""),
        "description": description or (reopened.description if reopened else ""),
        "max_shift": MAX_SHIFT_MONTHS,
    }
    template = "resources/_whatif_body.html" if request.htmx else "resources/whatif.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)
