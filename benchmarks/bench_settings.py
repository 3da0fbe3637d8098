"""Settings of the processes `benchmarks/run` starts (gunicorn, the Celery worker): pmo.settings, as in
production (DEBUG off, the environment the script sets), with two changes that do not touch what is timed:

- each response carries `X-Queries`, the number of database queries the request made, counted by a
  middleware placed first (so that the session, the user and their roles count, as in the tests'
  pinned counts); it costs one function call per query;
- static files are served from the app's own folders (no collectstatic, which takes minutes with
  compression on this machine): the benchmark fetches pages, never their scripts or styles.
"""

from pmo.settings import *  # noqa: F403
from pmo.settings import MIDDLEWARE, STORAGES

MIDDLEWARE = ["querycount.QueryCountMiddleware", *MIDDLEWARE]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
