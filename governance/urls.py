"""Each views module of the app declares its own `urlpatterns`; this joins them under one namespace."""

from governance.views import actions, calendar, committees, decisions, gates, history, live, meetings

app_name = "governance"
urlpatterns = [
    *committees.urlpatterns,
    *meetings.urlpatterns,
    *live.urlpatterns,
    *decisions.urlpatterns,
    *actions.urlpatterns,
    *gates.urlpatterns,
    *history.urlpatterns,
    *calendar.urlpatterns,
]
