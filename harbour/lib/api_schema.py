"""The API's shared error shape, importable by every app's api.py without a cycle."""

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldError] = []


class Error(Schema):
    error: ErrorBody


ERROR_RESPONSES = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
