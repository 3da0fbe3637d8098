from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.staticfiles)
def front_end_packages_installed(app_configs, **kwargs):
    """The pages need Bootstrap, its icons and htmx from node_modules (no CDN on the intranet)."""
    missing = [
        str(path)
        for prefix, path in (d for d in settings.STATICFILES_DIRS if isinstance(d, tuple))
        if prefix.startswith("vendor/") and not Path(path).is_dir()
    ]
    if not missing:
        return []
    return [
        Error(
            "Front-end packages are missing: " + ", ".join(missing),
            hint="Run `npm ci` in the project directory.",
            id="pmo.E001",
        )
    ]


@register()
def celery_visibility_outlasts_time_limit(app_configs, **kwargs):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    if timeout > settings.CELERY_TASK_TIME_LIMIT:
        return []
    return [
        Error(
            f"Celery visibility timeout ({timeout}s) must exceed the hard time limit "
            f"({settings.CELERY_TASK_TIME_LIMIT}s), or a long task is delivered twice.",
            id="pmo.E002",
        )
    ]
