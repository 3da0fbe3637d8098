"""Compliance pages: a project's score with what is missing (whoever reads the project; 404 otherwise), the
PMO's chase page over every visible active project (PMO, administrators and executives read it, with its
CSV / XLSX export) and the reminder the PMO sends a project's manager (POST; PMO and administrators).

Every figure comes from `standards.compliance` (the one function), as at the chosen date."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pmo import spreadsheets
from pmo.models import Directorate
from pmo.roles import Role
from pmo.spreadsheets import COUNT_FORMAT, Column
from portfolio.access import project_for
from portfolio.models import Portfolio, Project
from standards.compliance import (
    AMBER_FROM,
    LABELS,
    SHORT_LABELS,
    compliance,
    portfolio_compliance,
    portfolio_score,
)
from standards.compliance_reminders import ReminderRefused, send_reminder
from standards.models import ComplianceReminder, Methodology
from standards.selectors import methodologies_of

READERS = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)
CHASERS = (Role.ADMINISTRATOR, Role.PMO)
PAGE_SIZE = 50
DATE_INPUT = {"type": "date"}


def can_read_chase(user) -> bool:
    return user.is_authenticated and user.has_role(*READERS)


def can_remind(user) -> bool:
    return user.is_authenticated and user.has_role(*CHASERS)


def deliverables_url(project: Project) -> str:
    """The project's deliverables page (the deliverables part's), else the project page."""
    try:
        return reverse("standards:project_deliverables", args=[project.code])
    except NoReverseMatch:
        return project.get_absolute_url()


@login_required
@require_GET
def project_compliance(request, code: str):
    project = project_for(request.user, code)
    today = timezone.localdate()
    form = AsAtForm(request.GET or None)
    on = form.cleaned_data.get("as_at") or today if form.is_valid() else today
    on = min(on, today)
    result = compliance(
        [Project.objects.select_related("phase", "project_manager").get(pk=project.pk)], on=on
    )[project.pk]
    return render(
        request,
        "standards/compliance_project.html",
        {
            "project": project,
            "compliance": result,
            "on": on,
            "today": today,
            "form": form if form.is_bound else AsAtForm(initial={"as_at": on}),
            "deliverables_url": deliverables_url(project),
            "amber_from": AMBER_FROM,
        },
    )


class AsAtForm(forms.Form):
    as_at = forms.DateField(
        label=gettext_lazy("As at"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


SORTS = {
    "score": gettext_lazy("Score"),
    "code": gettext_lazy("Code"),
    **SHORT_LABELS,  # the column headers: short enough for 1366 px; the full label is each cell's title
    "missing": gettext_lazy("Missing"),
}


class ChaseFilterForm(AsAtForm):
    directorate = forms.ModelChoiceField(
        label=gettext_lazy("Directorate"), required=False, queryset=Directorate.objects.none(),
        empty_label=gettext_lazy("All directorates"),
    )  # fmt: skip
    portfolio = forms.ModelChoiceField(
        label=gettext_lazy("Portfolio"), required=False, queryset=Portfolio.objects.none(),
        empty_label=gettext_lazy("All portfolios"),
    )  # fmt: skip
    methodology = forms.ModelChoiceField(
        label=gettext_lazy("Methodology"), required=False, queryset=Methodology.objects.none(),
        empty_label=gettext_lazy("All methodologies"),
    )  # fmt: skip
    below = forms.BooleanField(label=gettext_lazy("Below the threshold only"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = Directorate.objects.order_by("code")
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("code")
        self.fields["methodology"].queryset = Methodology.objects.order_by("name")


def _sort_key(name: str):
    def score(row, value):
        # n/a last whichever the direction: nothing to chase.
        return (value is None, value if value is not None else 0, row.project.code)

    if name == "code":
        return lambda row: row.project.code
    if name == "missing":
        return lambda row: (-row.missing_count, row.project.code)
    if name == "score":
        return lambda row: score(row, row.score)
    return lambda row: score(row, c.percent if (c := row.components.get(name)) else None)


def chase_rows(request, form: ChaseFilterForm, on: date):
    """The filtered rows of the chase page and the portfolio's score over them."""
    projects = Project.objects.visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("directorate"):
        projects = projects.filter(directorate=data["directorate"])
    if data.get("portfolio"):
        projects = projects.filter(portfolio=data["portfolio"])
    rows, score = portfolio_compliance(projects, on=on)
    methodologies = methodologies_of([row.project for row in rows])
    for row in rows:
        row.methodology = methodologies[row.project.pk]
    if data.get("methodology"):
        rows = [row for row in rows if row.methodology == data["methodology"]]
        score = portfolio_score(rows)
    if data.get("below"):
        rows = [row for row in rows if row.score is not None and row.score < AMBER_FROM]
        score = portfolio_score(rows)
    return rows, score


@login_required
@require_GET
def chase(request):
    if not can_read_chase(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = ChaseFilterForm(request.GET or None)
    on = (form.cleaned_data.get("as_at") if form.is_valid() else None) or today
    on = min(on, today)
    rows, score = chase_rows(request, form, on)
    sort = request.GET.get("sort", "score")
    name, descending = sort.lstrip("-"), sort.startswith("-")
    if name not in SORTS:
        name, descending = "score", False
    rows.sort(key=_sort_key(name), reverse=descending)
    kind = spreadsheets.requested(request)
    if kind:
        return spreadsheets.export_response(
            kind,
            _columns(),
            _export_rows(rows),
            filename=f"compliance-{on.isoformat()}",
            title=_("Compliance"),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    reminded = dict(
        ComplianceReminder.objects.filter(project__in=[row.project.pk for row in page])
        .values("project")
        .annotate(last=Max("sent_at"))
        .values_list("project", "last")
    )
    for row in page:
        row.reminded_at = reminded.get(row.project.pk)
        row.reminded_today = row.reminded_at is not None and timezone.localdate(row.reminded_at) == today
    counts = {
        "projects": len(rows),
        "scored": sum(1 for row in rows if row.score is not None),
        "below": sum(1 for row in rows if row.score is not None and row.score < AMBER_FROM),
        "missing": sum(row.missing_count for row in rows),
    }
    headers = [
        {"label": label, "name": key, "direction": _direction(sort, key), "next": _next(sort, key)}
        for key, label in SORTS.items()
    ]
    return render(
        request,
        "standards/compliance_chase.html",
        {
            "form": form if form.is_bound else ChaseFilterForm(initial={"as_at": on}),
            "page": page,
            "score": score,
            "counts": counts,
            "on": on,
            "today": today,
            "headers": {h["name"]: h for h in headers},
            "may_remind": can_remind(request.user) and on == today,
            "amber_from": AMBER_FROM,
        },
    )


def _direction(sort: str, key: str) -> str:
    if sort == key:
        return "asc"
    return "desc" if sort == f"-{key}" else ""


def _next(sort: str, key: str) -> str:
    return f"-{key}" if sort == key else key


def _columns() -> list[Column]:
    percent = COUNT_FORMAT
    columns = [
        Column(_("Code"), 11),
        Column(_("Project name"), 40),
        Column(_("Directorate"), 25),
        Column(_("Portfolio"), 22),
        Column(_("Methodology"), 18),
        Column(_("Project manager"), 22),
        Column(_("Score (%)"), 9, percent),
    ]
    for label in LABELS.values():
        columns += [
            Column(f"{label}: {_('done')}", 9, COUNT_FORMAT),
            Column(f"{label}: {_('due')}", 9, COUNT_FORMAT),
            Column(f"{label} (%)", 9, percent),
        ]
    return [*columns, Column(_("Missing"), 9, COUNT_FORMAT)]


def _export_rows(rows):
    for row in rows:
        project = row.project
        values = [
            project.code,
            project.name,
            str(project.directorate),
            str(project.portfolio or ""),
            str(row.methodology or ""),
            project.project_manager.get_full_name() if project.project_manager else "",
            row.score,
        ]
        for _name, component in row.items():
            values += [component.done, component.due, component.percent] if component else [None, None, None]
        yield [*values, row.missing_count]


@login_required
@require_POST
def remind(request, code: str):
    project = project_for(request.user, code, queryset=Project.objects.select_related("project_manager"))
    if not can_remind(request.user):
        raise PermissionDenied
    try:
        reminder = send_reminder(project=project, by=request.user)
    except ReminderRefused as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(
            request,
            _("%(manager)s was reminded of what %(code)s lacks.")
            % {
                "manager": reminder.sent_to.get_full_name() or reminder.sent_to.username,
                "code": project.code,
            },
        )
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/standards/") else reverse("standards:compliance"))


urlpatterns = [
    path("compliance/", chase, name="compliance"),
    path("compliance/<str:code>/remind/", remind, name="compliance_remind"),
    path("projects/<str:code>/compliance/", project_compliance, name="project_compliance"),
]
