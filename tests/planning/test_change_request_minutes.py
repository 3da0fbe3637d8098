"""The minutes PDF records the committee's decision on a change request under the request's item, in the
reader's language, like any other decision."""

import pytest

from governance import services
from tests.planning.scenarios import change_control, on_agenda, raise_change, record_decision
from tests.reporting.test_minutes_record import minutes_text, sections

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reports_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False


def test_the_minutes_give_the_decision_under_the_change_request_s_item(client, world):
    plan = change_control(world)
    change_request = raise_change(world, plan)
    meeting, item = on_agenda(client, world, plan, change_request)
    services.meeting_start(meeting=meeting, by=world.pmo)
    record_decision(client, meeting, item, "approved", title="Feu vert au report")
    services.agenda_add(meeting=meeting, title="Questions diverses")
    services.meeting_close(meeting=meeting, by=world.pmo)

    text = minutes_text(meeting, "fr")

    (decided, _other) = sections(
        text,
        [f"{change_request.reference} Décaler la mise en production (demande de changement)", "Questions"],
    )
    assert f"{change_request.reference} Feu vert au report" in decided
    assert "APPROUVÉE" in decided  # the outcome, in capitals in the PDF
