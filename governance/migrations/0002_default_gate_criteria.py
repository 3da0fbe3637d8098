from django.db import migrations

# A usual checklist per phase (the gate at the end of the phase); the PMO edits it in the admin.
CRITERIA = {
    "Cadrage": [
        ("Business case validé par le sponsor", "Business case approved by the sponsor"),
        ("Périmètre, objectifs et bénéfices attendus décrits", "Scope, objectives and expected benefits described"),
        ("Budget et planning de référence établis", "Baseline budget and schedule set"),
    ],
    "Conception": [
        ("Dossier de conception validé", "Design documents signed off"),
        ("Architecture validée par le comité technique", "Architecture approved by the technical committee"),
        ("Risques majeurs identifiés et traités", "Major risks identified and addressed"),
    ],
    "Réalisation": [
        ("Développements terminés", "Build complete"),
        ("Plan de recette validé", "Test plan approved"),
        ("Environnement de recette disponible", "Test environment available"),
    ],
    "Recette": [
        ("Aucune anomalie bloquante ouverte", "No blocking defect open"),
        ("PV de recette signé par le métier", "Acceptance signed by the business"),
        ("Plan de déploiement et de retour arrière prêt", "Deployment and rollback plan ready"),
    ],
    "Déploiement": [
        ("Mise en production réussie", "Go-live successful"),
        ("Utilisateurs formés", "Users trained"),
        ("Transfert au support effectué", "Handover to support done"),
    ],
}


def create_criteria(apps, schema_editor):
    Phase = apps.get_model("portfolio", "Phase")
    GateCriterion = apps.get_model("governance", "GateCriterion")
    if GateCriterion.objects.exists():
        return
    for phase in Phase.objects.filter(name__in=CRITERIA):
        GateCriterion.objects.bulk_create(
            GateCriterion(phase=phase, text=french, text_en=english, order=(index + 1) * 10)
            for index, (french, english) in enumerate(CRITERIA[phase.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("portfolio", "0003_default_phases"),
    ]

    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
