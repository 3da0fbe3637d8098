import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass_including_ours():
    call_command("check", fail_level="WARNING")


def test_a_visibility_timeout_shorter_than_the_time_limit_is_refused(settings):
    from pmo.checks import celery_visibility_outlasts_time_limit

    assert celery_visibility_outlasts_time_limit(None) == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": settings.CELERY_TASK_TIME_LIMIT - 1}

    assert [error.id for error in celery_visibility_outlasts_time_limit(None)] == ["pmo.E002"]


def test_missing_front_end_packages_are_reported(settings, tmp_path):
    from pmo.checks import front_end_packages_installed

    settings.STATICFILES_DIRS = [("vendor/htmx", tmp_path / "node_modules" / "htmx.org" / "dist")]

    errors = front_end_packages_installed(None)

    assert [error.id for error in errors] == ["pmo.E001"]
    assert "npm ci" in errors[0].hint
