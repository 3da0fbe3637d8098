from django.db import migrations

from finance.models.amounts import DEFAULT_CATEGORIES as CATEGORIES


def create(apps, schema_editor):
    CostCategory = apps.get_model("finance", "CostCategory")
    for code, name, name_en, order, receives in CATEGORIES:
        CostCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order, "receives_status_spend": receives}
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_monthly_amounts")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
