"""Signals other apps listen to, so that governance does not depend on them.

`meeting_closed` is sent after a meeting is closed and its transaction has
committed; the reporting app answers it by asking its workers for the minutes.
"""

from django.dispatch import Signal

meeting_closed = Signal()  # sender=Meeting, meeting=..., by=...
