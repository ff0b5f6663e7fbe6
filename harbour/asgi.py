"""ASGI entry point, served by uvicorn (`harbour serve`).

Ordinary requests go to Django's WSGI handler on a long-lived thread, in one hop; only the
routes that stream from the event loop go to Django's ASGI handler (harbour.lib.bridge says
why and how).
"""

import os

from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

from harbour.lib.bridge import Bridge  # noqa: E402 (after the settings module is named)

application = Bridge(get_wsgi_application(), get_asgi_application())
