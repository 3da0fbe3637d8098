"""Each views module of the app declares its own `urlpatterns`; this joins them under one namespace."""

from risks.views import history, issues, register, risks

app_name = "risks"
urlpatterns = [
    *register.urlpatterns,
    *risks.urlpatterns,
    *issues.urlpatterns,
    *history.urlpatterns,
]
