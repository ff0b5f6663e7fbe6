"""Shared helpers every app may use: encrypted fields, time, request helpers."""
