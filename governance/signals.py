"""Signals other apps listen to, so that governance does not depend on them.

`meeting_closed` is sent after a meeting is closed and its transaction has
committed; the reporting app answers it by asking its workers for the minutes.
`minutes_amended` is sent, once committed, when the record of a closed meeting gained something (an
item not discussed withdrawn by the PMO): the reporting app builds a new version of its minutes.
`decision_recorded` is sent inside the transaction that records a decision (so what a listener writes
commits or rolls back with it): planning applies the change request the decision settles.
`gate_passed` is sent inside the transaction of a "go" at a stage gate, after the project moved to its
next phase: planning takes the first baseline at the gate into execution.
"""

from django.dispatch import Signal

meeting_closed = Signal()  # sender=Meeting, meeting=..., by=...
minutes_amended = Signal()  # sender=Meeting, meeting=..., by=...
decision_recorded = Signal()  # sender=Decision, decision=..., by=...
gate_passed = Signal()  # sender=GateReview, review=..., project=..., by=...
