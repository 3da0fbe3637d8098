from django.contrib import admin
from django.urls import include, path

from pmo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portfolio/", include("portfolio.urls")),
    path("dashboard/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
