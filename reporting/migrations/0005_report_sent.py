from django.db import migrations, models


def mark_existing_as_sent(apps, schema_editor):
    # Every report asked for before this field existed was handed to the broker as it was asked for:
    # none is to be sent again.
    apps.get_model("reporting", "Report").objects.update(sent=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_report_subscriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="sent",
            field=models.BooleanField(default=False, verbose_name="sent to the workers"),
        ),
        migrations.RunPython(mark_existing_as_sent, migrations.RunPython.noop),
    ]
