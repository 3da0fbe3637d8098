"""The main menu: which pages each role sees, and the home page of each role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pmo.roles import Role

# Each role's home, as a URL name owned by the app that owns the page.
HOME_BY_ROLE = {
    Role.PMO: "reporting:dashboard",
    Role.EXECUTIVE: "reporting:dashboard",
    Role.PROJECT_MANAGER: "portfolio:my_projects",
    Role.COMMITTEE_MEMBER: "governance:committee_list",
    Role.ADMINISTRATOR: "organisation",
}
DEFAULT_HOME = "portfolio:project_list"


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    icon: str  # a bootstrap-icons name
    roles: frozenset[Role] | None = None  # None: every signed-in user
    section: str = ""  # a URL namespace whose every page lights this entry up
    prefix: str = ""  # view names starting with it light this entry up, not their namespace's entry
    unless: frozenset[Role] = frozenset()  # roles that do not see it, though they hold one of `roles`
    compact: bool = False  # icon alone on laptop screens, where the menu is full (label still read out)
    group: str = ""  # a key of GROUPS: the entry is in that drop-down menu


@dataclass(frozen=True)
class Group:
    label: str
    icon: str


# The menu groups pages by the question a user asks (DESIGN.md, navigation): a group a role sees one page of
# is drawn as that page's plain entry.
GROUPS = {
    "portfolio": Group(_("Portfolio"), "kanban"),
    "governance": Group(_("Governance"), "bank"),
    "value": Group(_("Value"), "gem"),
    "standards": Group(pgettext_lazy("menu", "Standard"), "journal-bookmark"),
}


MENU = [
    Entry(
        "reporting:dashboard",
        _("Dashboard"),
        "speedometer2",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR}),
        section="reporting",  # its lists behind the tiles and the KPI pages
    ),
    # The PMO's and the administrator's menus are full (in French they no longer fit between 1200 and
    # 1300 px with one more entry): they reach the reports from the dashboard's header, and the Dashboard
    # entry stays lit. The administrator's menu is the PMO's, entry for entry.
    Entry(
        "reporting:reports",
        _("Reports"),
        "file-earmark-pdf",
        frozenset({Role.EXECUTIVE}),
        prefix="reporting:report",
        unless=frozenset({Role.PMO, Role.ADMINISTRATOR}),
    ),
    Entry("portfolio:my_projects", _("My projects"), "person-workspace", frozenset({Role.PROJECT_MANAGER})),
    Entry("portfolio:project_list", _("Projects"), "kanban", group="portfolio"),
    Entry("planning:roadmap", _("Roadmap"), "calendar-range", group="portfolio", prefix="planning:roadmap"),
    Entry(
        "planning:dependency_map",
        _("Dependencies"),
        "diagram-2",
        group="portfolio",
        prefix="planning:dependency_map",
    ),
    Entry(
        "finance:view",
        _("Finances"),
        "cash-stack",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR}),
        group="portfolio",
        section="finance",  # the view, its project list and each project's money page
    ),
    Entry(
        "resources:heatmap",
        _("Resources"),
        "people-fill",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR, Role.PROJECT_MANAGER}),
        group="portfolio",
        section="resources",  # capacity, roles, demand, the what-if and its scenarios
    ),
    Entry(
        "governance:committee_list",
        _("Committees"),
        "people",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR}),
        group="governance",
    ),
    Entry("governance:decision_list", _("Decisions"), "journal-check", group="governance"),
    Entry(
        "planning:change_request_list",
        _("Change requests"),
        "arrow-left-right",
        group="governance",
        prefix="planning:change_request",
    ),
    Entry(
        "governance:action_tracker",
        _("Actions"),
        "list-check",
        frozenset({Role.PMO, Role.ADMINISTRATOR}),
        group="governance",
    ),
    Entry("governance:my_actions", _("My actions"), "check2-square", group="governance"),
    # The PMO's review of the weekly statuses and the follow-up reviews its assessments called for.
    Entry(
        "portfolio:review_queue",
        _("Status reviews"),
        "clipboard-check",
        frozenset({Role.PMO, Role.ADMINISTRATOR}),
        group="governance",
        prefix="portfolio:review",
    ),
    Entry("risks:register", _("Risks"), "exclamation-triangle", section="risks"),
    # Value: from the demand to the benefits. Everyone with a role may submit a request; the ranking, its
    # criteria and the scenarios are the oversight roles' (portfolio committee members reach them from the
    # requests and the live meeting, since the menu knows roles, not committees).
    Entry("demand:request_list", _("Project requests"), "inbox", group="value", prefix="demand:request"),
    Entry(
        "demand:ranking",
        _("Prioritisation"),
        "sort-down",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR}),
        group="value",
        section="demand",  # the ranking, the criteria, a project's score
    ),
    Entry(
        "demand:scenario_list",
        _("Scenarios"),
        "diagram-3-fill",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR}),
        group="value",
        prefix="demand:scenario",
    ),
    Entry("benefits:overview", _("Benefits"), "graph-up-arrow", group="value", prefix="benefits:overview"),
    Entry("benefits:lessons", _("Lessons learned"), "lightbulb", group="value", prefix="benefits:lesson"),
    # The PMO's standard: how projects are run (methodologies, their deliverables and templates), how far
    # they follow it (compliance), what happens when one drifts beyond its tolerance (exception reports), and
    # the governance framework's own documents. Everyone reads the standard; the PMO keeps it.
    Entry(
        "standards:methodology_list",
        _("Methodologies"),
        "diagram-2-fill",
        group="standards",
        prefix="standards:methodology",
    ),
    Entry("standards:template_list", _("Templates"), "file-earmark-richtext", group="standards"),
    Entry(
        "standards:compliance",
        _("Compliance"),
        "patch-check",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR}),
        group="standards",
        prefix="standards:compliance",
    ),
    Entry(
        "standards:exception_list",
        _("Exception reports"),
        "exclamation-octagon",
        frozenset({Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR, Role.PROJECT_MANAGER}),
        group="standards",
        prefix="standards:exception",
    ),
    Entry(
        "standards:document_list",
        _("Governance documents"),
        "journal-text",
        group="standards",
        prefix="standards:document",
    ),
    Entry("organisation", _("Organisation"), "diagram-3", frozenset({Role.ADMINISTRATOR, Role.PMO})),
    # The PMO's menu is full on laptop screens: this entry shows its icon alone there (pmo.css).
    Entry(
        "imports:start",
        _("Import"),
        "upload",
        frozenset({Role.PMO, Role.ADMINISTRATOR}),
        section="imports",
        compact=True,
    ),
]


def home_url_for(user) -> str:
    role = user.primary_role
    return reverse(HOME_BY_ROLE.get(role, DEFAULT_HOME))


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = request.resolver_match
    current = match.view_name if match else ""
    namespace = match.namespace if match else ""
    entries = [
        entry
        for entry in MENU
        if (entry.roles is None or user.has_role(*entry.roles))
        and not (entry.unless and user.has_role(*entry.unless))
    ]
    claimed = any(entry.prefix and current.startswith(entry.prefix) for entry in entries)

    def active(entry: Entry) -> bool:
        if entry.prefix:
            return current.startswith(entry.prefix)
        return entry.url_name == current or bool(entry.section == namespace and entry.section and not claimed)

    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for entry in entries:
        item = {
            "url": reverse(entry.url_name),
            "label": entry.label,
            "icon": entry.icon,
            "active": active(entry),
            "compact": entry.compact,
        }
        if not entry.group:
            menu.append(item)
        elif entry.group in groups:
            groups[entry.group]["children"].append(item)
        else:
            group = GROUPS[entry.group]
            groups[entry.group] = {
                "label": group.label,
                "icon": group.icon,
                "key": entry.group,
                "children": [item],
            }
            menu.append(groups[entry.group])
    for position, item in enumerate(menu):
        children = item.get("children")
        if children is None:
            continue
        if len(children) == 1:
            menu[position] = children[0]
        else:
            item["active"] = any(child["active"] for child in children)
            item["compact"] = False
            item["url"] = children[0]["url"]
    return menu
