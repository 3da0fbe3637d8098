"""Each views module of the app declares its own `urlpatterns`; this joins them under one namespace."""

from reporting.views import dashboard, kpis, lists, meeting_reports

app_name = "reporting"
urlpatterns = [
    *dashboard.urlpatterns,
    *lists.urlpatterns,
    *kpis.urlpatterns,
    *meeting_reports.urlpatterns,
]
