"""The report schedules, as django-celery-beat rows the PMO edits in the admin (Periodic tasks):
weekly on Monday 07:00, monthly on the 1st, quarterly on the first day of a quarter (Africa/Casablanca)."""

import json

from django.db import migrations

SCHEDULES = [
    ("Weekly flash (Monday 07:00)", "weekly", {"day_of_week": "1", "day_of_month": "*", "month_of_year": "*"}),
    ("Monthly portfolio report (1st, 07:00)", "monthly", {"day_of_week": "*", "day_of_month": "1", "month_of_year": "*"}),
    (
        "Quarterly report (first day of the quarter, 07:00)",
        "quarterly",
        {"day_of_week": "*", "day_of_month": "1", "month_of_year": "1,4,7,10"},
    ),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, kind, fields in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="7", timezone="Africa/Casablanca", **fields
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": "reporting.scheduled_report", "crontab": crontab, "kwargs": json.dumps({"kind": kind})},
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _kind, _fields in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
