from demand.models.request import ProjectRequest, RequestAttachment, RequestCapacity, RequestCost
from demand.models.scenario import PortfolioScenario, ScenarioBudget, ScenarioChoice
from demand.models.scoring import CriteriaSet, Criterion, Score, ScoreValue

__all__ = [
    "CriteriaSet",
    "Criterion",
    "PortfolioScenario",
    "ProjectRequest",
    "RequestAttachment",
    "RequestCapacity",
    "RequestCost",
    "ScenarioBudget",
    "ScenarioChoice",
    "Score",
    "ScoreValue",
]
