from risks.models.issue import Issue
from risks.models.policy import Impact, Probability, RiskCategory, RiskLevel, RiskPolicy
from risks.models.risk import Escalation, Risk, RiskAssessment

__all__ = [
    "Escalation",
    "Impact",
    "Issue",
    "Probability",
    "Risk",
    "RiskAssessment",
    "RiskCategory",
    "RiskLevel",
    "RiskPolicy",
]
