"""Tasks sent to the background: to the workers through the broker, or, without a broker (the embedded
default: no REDIS_URL, Celery's eager mode), to a small pool of threads of this process, so that a
report build never runs inside the web request that asked for it (docs/report-builds.md).

- `send(task, *args)` is `task.delay(*args)` with a broker; without one, the task runs in one of the
  BACKGROUND_THREADS threads (at a lower CPU priority than the requests), through Celery's `apply`: the
  same task body, retries and row states as on a worker. With BACKGROUND_THREADS=0 it runs in the
  caller, as eager mode does (the unit tests).
- `start()` is called by the web server's WSGI module: without a broker it starts the pool and runs
  what beat would (BACKGROUND_PERIODIC_TASKS: the reports' sweep), once at start, then periodically.
  Whatever the pool held when the process stopped is lost with it: the first sweep sends again every
  report still waiting, and starts again the builds whose heartbeat stopped.

The pool belongs to one process: a process forked from another (a pre-loading server) starts its own.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict = {"pid": None, "pool": None, "ticker": None, "stop": None}
NICENESS = 10  # builds yield the CPU to the requests of the same machine


def without_broker() -> bool:
    """True when tasks run in this process (no broker: Celery's eager mode)."""
    from pmo.celery import app

    return bool(app.conf.task_always_eager)


def in_threads() -> bool:
    return without_broker() and settings.BACKGROUND_THREADS > 0


def send(task, *args, **kwargs) -> None:
    """Hand `task` to the workers, or to this process's background threads when there is no broker."""
    if in_threads():
        _pool().submit(_run, task, args, kwargs)
    else:
        task.delay(*args, **kwargs)


def _run(task, args: tuple, kwargs: dict) -> None:
    try:
        task.apply(args=args, kwargs=kwargs)
    except Exception:  # a task records its own failure; this only keeps the thread alive
        logger.exception("Background task %s failed", task.name)
    finally:
        connections.close_all()  # this thread's connections: a thread may wait long for the next task


def _lower_priority() -> None:
    try:  # Linux: a thread's nice value is its own
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    except (AttributeError, OSError):
        logger.debug("Could not lower the priority of a background thread", exc_info=True)


def _pool() -> ThreadPoolExecutor:
    with _lock:
        if _state["pid"] != os.getpid() or _state["pool"] is None:
            _state["pid"] = os.getpid()
            _state["pool"] = ThreadPoolExecutor(
                max_workers=settings.BACKGROUND_THREADS,
                thread_name_prefix="background",
                initializer=_lower_priority,
            )
        return _state["pool"]


def start() -> bool:
    """In the web process without a broker: start the pool and the periodic tasks (the reports' sweep,
    the first time at once, sending again whatever a stopped process left waiting). True if started."""
    if not in_threads():
        return False
    _pool()
    with _lock:
        if _state["ticker"] is not None and _state["ticker"].is_alive():
            return True
        stop = threading.Event()
        ticker = threading.Thread(target=_tick, args=(stop,), name="background-periodic", daemon=True)
        _state["ticker"], _state["stop"] = ticker, stop
    ticker.start()
    return True


def _tick(stop: threading.Event) -> None:
    from pmo.celery import app

    periodic = dict(settings.BACKGROUND_PERIODIC_TASKS)
    if not periodic:
        return
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker imports them at start
    # The first sweep sends again every report still waiting: this process's queue starts empty.
    first = {name: {"lost_after": 0} for name in periodic if name == "reporting.send_waiting_reports"}
    elapsed = dict.fromkeys(periodic, 0)
    step = min(periodic.values())
    while not stop.is_set():
        for name, every in periodic.items():
            if elapsed[name] <= 0:
                try:
                    send(app.tasks[name], **first.pop(name, {}))
                except Exception:  # never stop the ticker: the next round tries again
                    logger.exception("Could not run %s in the background", name)
                elapsed[name] = every
            elapsed[name] -= step
        stop.wait(step)


def shutdown(*, wait: bool = True) -> None:
    """Stop this process's periodic tasks and pool (tests, between cases); the next `send` starts a new
    pool."""
    with _lock:
        pool, _state["pool"] = _state["pool"], None
        stop, ticker = _state["stop"], _state["ticker"]
        _state["ticker"] = _state["stop"] = None
    if stop is not None:
        stop.set()
        ticker.join(timeout=10)
    if pool is not None:
        pool.shutdown(wait=wait)
