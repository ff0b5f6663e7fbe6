"""Test-wide fixtures; the environment is set earlier, in harbour/testing/env.py."""

pytest_plugins = ["harbour.testing.fixtures", "harbour.testing.browser"]
