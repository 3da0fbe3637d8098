"""Signals other apps listen to, so that governance does not depend on them.

`meeting_closed` is sent after a meeting is closed and its transaction has
committed; the reporting app answers it by asking its workers for the minutes.
`minutes_amended` is sent, once committed, when the record of a closed meeting gained something (an
item not discussed withdrawn by the PMO): the reporting app builds a new version of its minutes.
"""

from django.dispatch import Signal

meeting_closed = Signal()  # sender=Meeting, meeting=..., by=...
minutes_amended = Signal()  # sender=Meeting, meeting=..., by=...
