"""What-if scenarios and their way to the portfolio committee (resources app, mounted at /resources/)."""

from django.urls import path

from resources.views import scenarios, whatif

urlpatterns = [
    path("what-if/", whatif.whatif, name="whatif"),
    path("scenarios/", scenarios.scenario_list, name="scenarios"),
    path("scenarios/<int:pk>/", scenarios.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/propose/", scenarios.scenario_propose_view, name="scenario_propose"),
    path("scenarios/<int:pk>/withdraw/", scenarios.scenario_withdraw_view, name="scenario_withdraw"),
]
