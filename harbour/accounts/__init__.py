"""Organisations, staff users, memberships and roles, sign-in, integration keys."""
