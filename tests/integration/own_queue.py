"""For the report workers of the integration tests (imported with --include): the tasks this worker sends
(the sweep's builds) go to the test's own queue, PMO_TEST_QUEUE, which this worker consumes, as the
default queue is the one every worker consumes in production."""

import os

from pmo.celery import app

app.conf.task_default_queue = os.environ["PMO_TEST_QUEUE"]
