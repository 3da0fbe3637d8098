from planning.models.baseline import Baseline, BaselineMilestone
from planning.models.change import ChangeRequest, ChangeRequestMilestone, PlanPolicy

__all__ = ["Baseline", "BaselineMilestone", "ChangeRequest", "ChangeRequestMilestone", "PlanPolicy"]
