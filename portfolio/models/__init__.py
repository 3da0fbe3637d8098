from portfolio.models.assurance import (
    Confidence,
    ConfidenceScale,
    DeliveryConfidence,
    ReviewState,
    StatusReview,
)
from portfolio.models.exchange_rate import ExchangeRate
from portfolio.models.milestone import Milestone, ProjectDependency
from portfolio.models.plan import ProjectPhase, ReleasePlan
from portfolio.models.project import Phase, Portfolio, Project
from portfolio.models.status import Rag, StatusPolicy, StatusReport

__all__ = [
    "Confidence",
    "ConfidenceScale",
    "DeliveryConfidence",
    "ExchangeRate",
    "Milestone",
    "Phase",
    "Portfolio",
    "Project",
    "ProjectDependency",
    "ProjectPhase",
    "Rag",
    "ReleasePlan",
    "ReviewState",
    "StatusPolicy",
    "StatusReport",
    "StatusReview",
]
