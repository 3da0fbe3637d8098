"""The standard a new installation starts from: three methodologies (one default per approach), the
usual deliverable types and a tolerance of +10 % cost and +4 weeks for each methodology. The PMO edits
them on the methodologies page; which deliverables each phase requires depends on its phases, set there."""

from decimal import Decimal

from django.db import migrations

METHODOLOGIES = [
    ("classic", "Classique (cycle en V)", "Classic (waterfall)", "classic"),
    ("agile", "Agile", "Agile", "agile"),
    ("hybrid", "Hybride", "Hybrid", "hybrid"),
]
DELIVERABLES = [
    ("Charte projet", "Project charter"),
    ("Business case", "Business case"),
    ("Plan de management de projet", "Project management plan"),
    ("Rapport de tests", "Test report"),
    ("Rapport de clôture", "Closure report"),
]


def forwards(apps, schema_editor):
    Methodology = apps.get_model("standards", "Methodology")
    DeliverableType = apps.get_model("standards", "DeliverableType")
    Tolerance = apps.get_model("standards", "Tolerance")
    for code, name, name_en, approach in METHODOLOGIES:
        methodology, created = Methodology.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "approach": approach, "is_default": True}
        )
        if created:
            Tolerance.objects.create(
                methodology=methodology, cost_percent=Decimal("10"), schedule_days=28, scope_percent=Decimal("10")
            )
    if not DeliverableType.objects.exists():
        for order, (name, name_en) in enumerate(DELIVERABLES, start=1):
            DeliverableType.objects.create(name=name, name_en=name_en, order=order * 10)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
