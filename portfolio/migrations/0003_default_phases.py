from django.db import migrations

# The usual lifecycle of a PMO's projects; the PMO edits the list in the admin.
PHASES = [
    ("Cadrage", "Scoping"),
    ("Conception", "Design"),
    ("Réalisation", "Build"),
    ("Recette", "Testing"),
    ("Déploiement", "Deployment"),
    ("Clôture", "Closure"),
]


def create_phases(apps, schema_editor):
    Phase = apps.get_model("portfolio", "Phase")
    if not Phase.objects.exists():
        Phase.objects.bulk_create(
            Phase(name=french, name_en=english, order=(index + 1) * 10)
            for index, (french, english) in enumerate(PHASES)
        )


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0002_project_details_status_milestones")]

    operations = [migrations.RunPython(create_phases, migrations.RunPython.noop)]
