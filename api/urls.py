"""The REST API under /api/: one route per resource, the schema and its documentation page."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.views import assurance, docs, figures, governance, money, plan, portfolio, reporting, risks

app_name = "api"

# No root view and no format suffixes (`projects.json`): one URL per resource, JSON only.
router = SimpleRouter(trailing_slash=True)
router.register("projects", portfolio.ProjectViewSet, basename="project")
router.register("status-reports", portfolio.StatusReportViewSet, basename="status-report")
router.register("milestones", plan.MilestoneViewSet, basename="milestone")
router.register("dependencies", plan.DependencyViewSet, basename="dependency")
router.register("planned-phases", plan.PlannedPhaseViewSet, basename="planned-phase")
router.register("change-requests", plan.ChangeRequestViewSet, basename="change-request")
router.register("baselines", plan.BaselineViewSet, basename="baseline")
router.register("risks", risks.RiskViewSet, basename="risk")
router.register("issues", risks.IssueViewSet, basename="issue")
router.register("committees", governance.CommitteeViewSet, basename="committee")
router.register("meetings", governance.MeetingViewSet, basename="meeting")
router.register("decisions", governance.DecisionViewSet, basename="decision")
router.register("actions", governance.ActionViewSet, basename="action")
router.register("cost-categories", money.CostCategoryViewSet, basename="cost-category")
router.register("monthly-amounts", money.MonthlyAmountViewSet, basename="monthly-amount")
router.register("resource-roles", money.ResourceRoleViewSet, basename="resource-role")
router.register("capacities", money.CapacityViewSet, basename="capacity")
router.register("demands", money.DemandViewSet, basename="demand")
router.register(
    "confidence-assessments", assurance.ConfidenceAssessmentViewSet, basename="confidence-assessment"
)
router.register("kpis", reporting.KpiViewSet, basename="kpi")
router.register("kpi-measurements", reporting.MeasurementViewSet, basename="kpi-measurement")

urlpatterns = [
    path("schema/", docs.schema, name="schema"),
    path("docs/", docs.docs, name="docs"),
    path("finance/view/", figures.finance_view, name="finance-view"),
    path("resources/allocation/", figures.resources_allocation, name="resources-allocation"),
    *router.urls,
]
