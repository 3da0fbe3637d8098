"""For the worker-kill test only (the worker imports it with --include): every report build in THAT
worker process first sleeps REPORT_TEST_SLOW_BUILD seconds, long enough to kill the worker mid-build."""

import os
import time

from reporting.pdf import kinds

_build = kinds.build


def _slow_build(report):
    time.sleep(float(os.environ.get("REPORT_TEST_SLOW_BUILD", "60")))
    return _build(report)


kinds.build = _slow_build
