from standards.models.compliance import ComplianceReminder
from standards.models.deliverable import Deliverable, Template
from standards.models.document import DocumentVersion, GovernanceDocument
from standards.models.exception import ExceptionOption, ExceptionReport, RecoveryAction
from standards.models.methodology import (
    DeliverableRequirement,
    DeliverableType,
    Methodology,
    ProjectMethodology,
    Tolerance,
)

__all__ = [
    "ComplianceReminder",
    "Deliverable",
    "DeliverableRequirement",
    "DeliverableType",
    "DocumentVersion",
    "ExceptionOption",
    "ExceptionReport",
    "GovernanceDocument",
    "Methodology",
    "ProjectMethodology",
    "RecoveryAction",
    "Template",
    "Tolerance",
]
