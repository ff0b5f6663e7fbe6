"""ASGI entry point, served by uvicorn (`harbour serve`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
application = get_asgi_application()
