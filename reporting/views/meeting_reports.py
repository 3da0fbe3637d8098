"""A meeting's pack and minutes as PDF, asked for from the meeting's page.

Whoever may see the meeting may ask for them (the reports are the committee's, in the reader's language);
asking again gives the same report (reporting.reports.report_request), so a second click costs nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.models import Meeting
from reporting.models import Report
from reporting.reports import report_request


class MeetingReportForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, Report.Kind(kind).label) for kind in Report.FOR_MEETING])


@login_required
@require_POST
def report_meeting(request, pk):
    # Those who run the meeting see it too: `visible_to` is the one rule for both.
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("committee"), pk=pk)
    form = MeetingReportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown kind of meeting report."))
    kind = form.cleaned_data["kind"]
    if kind == Report.Kind.MINUTES and not meeting.is_closed:
        messages.error(request, _("The minutes can be produced once the meeting is closed."))
        return redirect(meeting)
    report, _created = report_request(
        kind=kind, meeting=meeting, language=request.LANGUAGE_CODE, by=request.user
    )
    return redirect(report.get_absolute_url())


urlpatterns = [
    path("meetings/<int:pk>/report/", report_meeting, name="report_meeting"),
]
