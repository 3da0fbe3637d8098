"""What portfolio tells other apps when a project's forecast may have changed, without depending on them.

- `status_submitted` (sender=StatusReport, report=..., project=..., by=...): sent by
  `portfolio.services.submit_status_report` in its transaction, once the new revision is saved. A receiver
  may return a notice for the author (a string, safe HTML allowed): the status page shows it after saving
  (standards: "your forecast breaks the tolerance, an exception report is requested").
- `plan_changed` (sender=Project, project=..., by=..., source=...): sent in the transaction that saved the
  project's dates or budget: its sheet (`source="plan"`) or an approved change request (planning,
  `source="change"`). Receivers may return a notice, as above.
"""

from __future__ import annotations

from django.dispatch import Signal

status_submitted = Signal()
plan_changed = Signal()


def notices(responses: list) -> list:
    """The non-empty notices a signal's receivers returned, in order."""
    return [response for _receiver, response in responses if response]
