"""Each views module of the app declares its own `urlpatterns`; this joins them under one namespace."""

from reporting.views import dashboard, kpis

app_name = "reporting"
urlpatterns = [
    *dashboard.urlpatterns,
    *kpis.urlpatterns,
]
