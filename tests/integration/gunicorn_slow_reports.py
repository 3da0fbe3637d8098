"""A gunicorn configuration for the embedded-mode test only
(`-c python:tests.integration.gunicorn_slow_reports`): the worker process, once it has loaded the app,
makes every report build slow (tests/integration/slow_reports.py)."""


def post_worker_init(worker) -> None:
    import tests.integration.slow_reports  # noqa: F401 (patches the report builds of this process)
