from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.views.token import api_token
from pmo import views

handler404 = "api.exceptions.page_not_found"
handler500 = "api.exceptions.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("healthz", views.healthz, name="healthz"),
    # Sign-in pages only: on an intranet without mail, administrators reset passwords.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/api-token/", api_token, name="api_token"),
    path("accounts/profile/", views.profile, name="profile"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portfolio/", include("portfolio.urls")),
    path("imports/", include("imports.urls")),
    path("governance/", include("governance.urls")),
    path("risks/", include("risks.urls")),
    path("planning/", include("planning.urls")),
    path("finance/", include("finance.urls")),
    path("resources/", include("resources.urls")),
    path("demand/", include("demand.urls")),
    path("benefits/", include("benefits.urls")),
    path("standards/", include("standards.urls")),
    path("dashboard/", include("reporting.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
