from governance.models.calendar import CalendarFeed
from governance.models.committee import Committee, Membership
from governance.models.decision import Action, Decision
from governance.models.gate import GateCheck, GateCriterion, GateReview
from governance.models.meeting import AgendaItem, Attendance, Meeting
from governance.models.reference import ReferenceCounter, next_reference

__all__ = [
    "Action",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "Committee",
    "Decision",
    "GateCheck",
    "GateCriterion",
    "GateReview",
    "Meeting",
    "Membership",
    "ReferenceCounter",
    "next_reference",
]
