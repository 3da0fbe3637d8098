"""Rows written before generated texts had keys: a title or reason equal to a text the application (or
its demo) writes, in either language, gets its key, so that it is worded in each reader's language."""

import re

from django.db import migrations
from django.utils import timezone

ACTION_REVIEW = {
    "Suivi des actions de la séance précédente",
    "Follow-up of the previous meeting's actions",
    "Suivi des actions",
    "Follow-up of actions",
}
ANY_OTHER_BUSINESS = {"Questions diverses", "Any other business"}
GATE_PREFIXES = ("Passage de phase ", "Stage gate ")
GATE_REQUESTED = ("Revue de passage demandée le ", "Gate review requested on ")
OPEN_ACTIONS = re.compile(
    r"^(?P<open>\d+) (?:open actions?|actions? ouvertes?)(?:, (?P<overdue>\d+) (?:overdue|en retard))?$"
)


def _gate(review) -> dict:
    return {
        "project": review.project.code,
        "from_phase": {"fr": review.from_phase.name, "en": review.from_phase.name_en},
        "to_phase": {"fr": review.to_phase.name, "en": review.to_phase.name_en},
    }


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    Decision = apps.get_model("governance", "Decision")
    items = AgendaItem.objects.filter(title_key="").select_related(
        "project", "gate_review__project", "gate_review__from_phase", "gate_review__to_phase"
    )
    for item in items.iterator():
        fields = {}
        review = item.gate_review
        if item.kind == "action_review" and item.title in ACTION_REVIEW:
            fields.update(title_key="governance.action_review", title_params={})
        elif item.kind == "other" and item.title in ANY_OTHER_BUSINESS:
            fields.update(title_key="governance.any_other_business", title_params={})
        elif (
            item.kind == "project_review"
            and item.project
            and item.title
            in (
                f"Revue du projet {item.project.name}",
                f"Project review {item.project.name}",
            )
        ):
            fields.update(title_key="governance.project_review", title_params={"project": item.project.name})
        elif item.kind == "stage_gate" and review is not None and item.title.startswith(GATE_PREFIXES):
            fields.update(title_key="governance.stage_gate", title_params=_gate(review))
        if review is not None and item.reason.startswith(GATE_REQUESTED):
            requested = timezone.localtime(review.requested_at).date()
            fields.update(
                reason_key="governance.gate_requested", reason_params={"date": requested.isoformat()}
            )
        elif match := OPEN_ACTIONS.match(item.reason):
            counts = {"open": int(match["open"]), "overdue": int(match["overdue"] or 0)}
            fields.update(reason_key="governance.open_actions", reason_params=counts)
        if fields:
            AgendaItem.objects.filter(pk=item.pk).update(**fields)
    decisions = Decision.objects.filter(title_key="", gate_review__isnull=False).select_related(
        "gate_review__project", "gate_review__from_phase", "gate_review__to_phase"
    )
    for decision in decisions.iterator():
        if decision.title.startswith(GATE_PREFIXES):
            Decision.objects.filter(pk=decision.pk).update(
                title_key="governance.stage_gate", title_params=_gate(decision.gate_review)
            )


class Migration(migrations.Migration):
    dependencies = [("governance", "0006_generated_texts_as_keys")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
