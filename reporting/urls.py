"""Each views module of the app declares its own `urlpatterns`; this joins them under one namespace."""

from reporting.views import dashboard, kpis, lists, packs, reports, slides

app_name = "reporting"
urlpatterns = [
    *dashboard.urlpatterns,
    *lists.urlpatterns,
    *kpis.urlpatterns,
    *reports.urlpatterns,
    *packs.urlpatterns,
    *slides.urlpatterns,
]
