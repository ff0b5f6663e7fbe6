"""Test environment, set before Django reads its settings.

Loaded as a pytest plugin with `-p harbour.testing.env` (pyproject addopts), which pytest
imports before pytest-django configures Django: a conftest.py would be too late.
"""

import os
import tempfile

# Before Django reads settings: tests must not touch the developer's var/ keys or database.
_var = tempfile.mkdtemp(prefix="harbour-test-var-")
os.environ.setdefault("HARBOUR_VAR_DIR", _var)
os.environ["HARBOUR_DEMO"] = "0"
os.environ["HARBOUR_HTTPS"] = "0"
os.environ.setdefault(
    "HARBOUR_FIELD_KEYS",
    "test2:q5ZxA0R1dLz8b3GmYV0cQxk0s6mT1oQ2cJw9kV7nP2E=,test1:3h2Xo9Yx1mVt8S0qL4bC7dE6fG5hJ2kL9nP0rT3uV6w=",
)
os.environ.setdefault("HARBOUR_BLIND_INDEX_KEY", "test-blind-index-key-not-for-production")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("HARBOUR_QUICK_EXIT_URL", "http://127.0.0.1:9/neutral")
# Playwright's sync API runs an event loop in the test thread; Django's guard against ORM
# calls from async code would otherwise refuse the test's own database work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
