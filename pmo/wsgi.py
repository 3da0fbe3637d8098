import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
application = get_wsgi_application()

# Without a broker (the embedded default), the report builds run in background threads of this web
# process, never in the request that asked for them (pmo/background.py, docs/report-builds.md).
from pmo import background  # noqa: E402

background.start()
