"""What the reporting app does when other apps tell it something happened."""

from __future__ import annotations

from django.conf import settings


def minutes_when_closed(sender, *, meeting, by=None, **kwargs) -> None:
    """A closed meeting's minutes are asked for in every language, so the secretary finds them ready
    (the signal is sent after the closing transaction committed; the builds go to the workers)."""
    from reporting.models import Report
    from reporting.reports import report_request

    for language, _name in settings.LANGUAGES:
        report_request(kind=Report.Kind.MINUTES, meeting=meeting, language=language, by=by)


def minutes_when_amended(sender, *, meeting, by=None, **kwargs) -> None:
    """A closed meeting's record gained something: a new version of each of its minutes already built
    or asked for (the earlier versions stay)."""
    from reporting.models import Report
    from reporting.reports import report_regenerate

    latest: dict[str, Report] = {}
    for report in Report.objects.filter(kind=Report.Kind.MINUTES, meeting=meeting).order_by("version"):
        latest[report.language] = report
    for report in latest.values():
        report_regenerate(report, by=by)


def register() -> None:
    from governance.signals import meeting_closed, minutes_amended

    meeting_closed.connect(minutes_when_closed, dispatch_uid="reporting.minutes_when_closed")
    minutes_amended.connect(minutes_when_amended, dispatch_uid="reporting.minutes_when_amended")
