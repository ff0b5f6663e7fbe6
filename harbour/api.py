"""The JSON API under /api/v1/: one NinjaAPI, integration-key authentication, and one error
shape for every failure.

Every error body is ``{"error": {"code": str, "message": str, "fields": [{"field", "message"}]}}``.
Apps add their routers here (``api.add_router("/people/", people_router)
api.add_router("/referrals", intake_router)
api.add_router("/occurrences", occurrences_router)``).
"""

import logging

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from harbour.accounts.models import KEY_PREFIX, IntegrationKey, hash_key_secret
from harbour.intake.api import router as intake_router
from harbour.lib.api_schema import ERROR_RESPONSES
from harbour.people.api import router as people_router
from harbour.screening.api import router as occurrences_router

log = logging.getLogger(__name__)


class IntegrationKeyAuth(HttpBearer):
    """``Authorization: Bearer hbk_<lookup>_<secret>``. Sets request.integration_key."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            return None
        key = (
            IntegrationKey.objects.select_related("organisation")
            .filter(lookup=parts[1], revoked__isnull=True)
            .first()
        )
        if key is None:
            return None
        if key.secret_hash != hash_key_secret(parts[2]):
            return None
        now = timezone.now()
        # One write a minute at most: last_used is for humans reviewing keys, not a log.
        if key.last_used is None or (now - key.last_used).total_seconds() > 60:
            IntegrationKey.objects.filter(pk=key.pk).update(last_used=now)
        request.integration_key = key  # type: ignore[attr-defined]
        return key


api = NinjaAPI(
    title="Harbour API",
    version="1",
    description=(
        "Integrations for police records systems, monitoring centres and partner agencies. "
        "Authenticate with an organisation's integration key as a bearer token."
    ),
    auth=IntegrationKeyAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, code: str, message: str, fields: list[dict] | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or []}}
    return api.create_response(request, body, status=status)


def _location(loc) -> str:
    # ninja reports ("body", "payload", "name"): drop the transport parts.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = [
        {"field": _location(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors
    ]
    return error(request, 422, "invalid", "The request is not valid; see fields.", fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error(request, 401, "unauthenticated", "A valid integration key is required.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


@api.exception_handler(Exception)
def on_server_error(request, exc):
    log.exception("API error on %s", request.path)
    return error(request, 500, "server_error", "Something went wrong; it has been logged.")


class Whoami(Schema):
    organisation: str
    organisation_kind: str
    key_name: str
    scopes: list[str]


@api.get("/whoami", response={200: Whoami, **ERROR_RESPONSES}, tags=["keys"])
def whoami(request):
    """The organisation and scopes of the key making the call: a first test of a new key."""
    key = request.integration_key
    return {
        "organisation": key.organisation.name,
        "organisation_kind": key.organisation.kind,
        "key_name": key.name,
        "scopes": key.scopes,
    }


api.add_router("/people/", people_router)
api.add_router("/referrals", intake_router)
api.add_router("/occurrences", occurrences_router)
