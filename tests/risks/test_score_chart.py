"""A risk's score history chart: its points on the organisation's days, ticked by the day in the page's
language, never by the hour in UTC."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from risks.models import RiskAssessment
from tests.factories import ProjectFactory, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def risk(world):
    project = ProjectFactory(code="PRJ-0101", project_manager=world.pm, directorate=world.it)
    return make_risk(project=project, probability=3, impact=4, by=world.pm)


def assessed(risk, day, hour: time) -> None:
    """A re-assessment at `hour` on the organisation's `day` (settings.TIME_ZONE)."""
    RiskAssessment.objects.create(
        risk=risk,
        probability=2,
        impact=4,
        score=8,
        assessed_at=timezone.make_aware(datetime.combine(day, hour)),
    )


def test_the_score_chart_puts_each_assessment_on_its_local_day_ticked_by_the_day_in_french(
    client, world, risk
):
    first = timezone.localdate() - timedelta(days=9)
    risk.assessments.update(assessed_at=timezone.make_aware(datetime.combine(first, time(0, 20))))
    # Just after midnight, local time: the day before in UTC wherever the zone is ahead of it.
    assessed(risk, first + timedelta(days=2), time(0, 30))
    assessed(risk, first + timedelta(days=2), time(16, 45))
    client.force_login(world.pm)

    response = client.get(risk.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")

    chart = response.context["score_chart"]
    days = [first, first + timedelta(days=2), first + timedelta(days=2)]
    assert chart["data"][0]["x"] == [day.isoformat() for day in days], "local dates, not UTC datetimes"
    axis = chart["layout"]["xaxis"]
    assert axis["type"] == "date" and axis["tickmode"] == "array"
    assert [datetime.fromisoformat(tick).date() for tick in axis["tickvals"]] == [
        first,
        first + timedelta(days=1),
        first + timedelta(days=2),
    ], "one tick a day at most, never hours or milliseconds"
    with translation.override("fr"):
        assert axis["ticktext"] == [date_format(first + timedelta(days=n), "j M Y") for n in range(3)]
    assert timezone.localtime(risk.assessments.last().assessed_at).strftime("%H:%M") == "16:45"
    assert "16:45" in chart["data"][0]["text"][-1], "the hover says the local time"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert html.index("js/plotly-locale-fr.js") < html.index("js/charts.js"), (
        "Plotly's French is loaded first"
    )


def test_the_ticks_stay_a_few_over_a_long_history(client, world, risk):
    first = timezone.localdate() - timedelta(days=400)
    risk.assessments.update(assessed_at=timezone.make_aware(datetime.combine(first, time(10))))
    assessed(risk, timezone.localdate(), time(9))
    client.force_login(world.pm)

    axis = client.get(risk.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").context["score_chart"]["layout"][
        "xaxis"
    ]

    assert 2 <= len(axis["tickvals"]) <= 7
    assert axis["ticktext"][0] == date_format(first, "j M Y")
    assert axis["range"][0] < first.isoformat() and axis["range"][1] > timezone.localdate().isoformat()
