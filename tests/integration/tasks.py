"""A task for the integration tests only: the worker imports it with --include."""

from celery import shared_task

from pmo.models import Directorate


@shared_task(name="tests.integration.rename_directorate")
def rename_directorate(directorate_id: int, name: str) -> None:
    Directorate.objects.filter(pk=directorate_id).update(name=name)
