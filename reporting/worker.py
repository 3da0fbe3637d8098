"""What a Celery worker does for the reports as it connects to the broker.

A report asked for while the broker did not answer is kept waiting, marked as not sent
(`reporting.reports`). The moment the broker is known to be back is when a worker's consumer connects to
it: at the worker's start, and again after each lost connection (the consumer's blueprint restarts, and
with it this step). The step only sends the `reporting.send_waiting_reports` task, to a queue this
worker consumes: the database work is done by the pool like any task's, not in the consumer.
"""

from __future__ import annotations

import logging

from celery import bootsteps

logger = logging.getLogger(__name__)


class SendWaitingReports(bootsteps.StartStopStep):
    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer) -> None:
        queue = next(iter(consumer.app.amqp.queues.consume_from), None)
        try:
            consumer.app.send_task("reporting.send_waiting_reports", queue=queue)
        except Exception:  # never keep a worker from consuming for this: beat asks again later
            logger.warning("Could not ask for the waiting reports to be sent.", exc_info=True)
