"""Version 1 of the scoring criteria, published, so that requests can be scored from the first day; the
PMO changes them by publishing a new version."""

from django.db import migrations
from django.utils import timezone

CRITERIA = [
    # code, French, English, weight, inverted, French guidance, English guidance
    ("strategy", "Alignement stratégique", "Strategic alignment", 25, False,
     "1 : sans lien avec les objectifs stratégiques ; 5 : au cœur d'un objectif stratégique.",
     "1: unrelated to the strategic objectives; 5: at the heart of one."),
    ("value", "Valeur", "Value", 25, False,
     "1 : bénéfices faibles ou incertains ; 5 : bénéfices élevés et mesurables.",
     "1: small or uncertain benefits; 5: large, measurable benefits."),
    ("urgency", "Urgence", "Urgency", 15, False,
     "1 : peut attendre un an ; 5 : à lancer ce trimestre.",
     "1: can wait a year; 5: must start this quarter."),
    ("regulatory", "Obligation réglementaire", "Regulatory obligation", 15, False,
     "1 : aucune ; 5 : obligation légale avec une échéance.",
     "1: none; 5: a legal obligation with a deadline."),
    ("feasibility", "Faisabilité", "Feasibility", 10, False,
     "1 : compétences et technologies à trouver ; 5 : maîtrisées.",
     "1: skills and technology still to find; 5: mastered."),
    ("risk", "Risque", "Risk", 10, True,
     "1 : risque faible ; 5 : risque très élevé (compte contre la demande).",
     "1: low risk; 5: very high risk (counts against the request)."),
]


def create(apps, schema_editor):
    CriteriaSet = apps.get_model("demand", "CriteriaSet")
    Criterion = apps.get_model("demand", "Criterion")
    if CriteriaSet.objects.exists():
        return
    version = CriteriaSet.objects.create(number=1, note="", published_at=timezone.now())
    Criterion.objects.bulk_create(
        Criterion(criteria_set=version, code=code, name=name, name_en=name_en, weight=weight,
                  inverted=inverted, guidance=guidance, guidance_en=guidance_en, order=order, scale_max=5)
        for order, (code, name, name_en, weight, inverted, guidance, guidance_en) in enumerate(CRITERIA)
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("demand", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
