"""Settings of the benchmark server: Harbour's own, with a URL map that adds the floor view.

Used only by bench/casework.py (DJANGO_SETTINGS_MODULE=bench.settings), never deployed.
"""

from harbour.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
