"""Request-wide safety rules: no caching of any page, site data cleared on sign-out,
multi-factor authentication enrolled before a staff user sees anything, and the idle
timeout kept alive by activity (DESIGN §4.8–4.9)."""

import time

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'

# Paths a signed-in user without MFA may still reach: to enrol, to sign out, to change
# language, and the public pages.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/exit/", "/healthz", "/api/")


def privacy_middleware(get_response):
    logout_path = reverse("account_logout")

    def middleware(request):
        response = get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            # Nothing Harbour serves may sit in a browser or proxy cache.
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        if request.path == logout_path and request.method == "POST":
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    return middleware


def needs_mfa_enrolment(user) -> bool:
    if settings.DEMO_MODE:
        return False
    if not user.is_authenticated:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# How long a session's finding that its user has TOTP enrolled stands before it is looked
# up again, in seconds: the same minute as TOUCH_EVERY, so the session is written at most
# once a minute for both.
MFA_SEEN_FOR = 60
MFA_SEEN_KEY = "_harbour_mfa_seen"


def require_mfa_middleware(get_response):
    """Send a signed-in staff user without TOTP to enrol before anything else.

    A session that was found enrolled is trusted for MFA_SEEN_FOR seconds before the next
    look-up, so most requests make no query for it; a user who removes their authenticator
    is sent to enrol again within that minute, on every device."""

    def middleware(request):
        if (
            request.user.is_authenticated
            and request.path != "/"
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not _recently_enrolled(request)
        ):
            if needs_mfa_enrolment(request.user):
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            request.session[MFA_SEEN_KEY] = int(time.time())
        return get_response(request)

    return middleware


def _recently_enrolled(request) -> bool:
    if settings.DEMO_MODE:
        return True
    seen = request.session.get(MFA_SEEN_KEY, 0)
    return int(time.time()) - seen < MFA_SEEN_FOR


# How often a signed-in session is re-saved (its expiry pushed 30 minutes on) and its
# usersessions "last seen" recorded. Seconds.
TOUCH_EVERY = 60
SEEN_KEY = "_harbour_seen"


def session_activity_middleware(get_response):
    """Keep a signed-in session alive while it is used, writing at most once a minute.

    Marking the session modified makes SessionMiddleware save it with a fresh expiry
    (SESSION_COOKIE_AGE from now). Between touches the stored expiry is at most
    TOUCH_EVERY seconds behind, so the idle timeout can come up to a minute early, never
    late."""

    def middleware(request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= TOUCH_EVERY:
                session[SEEN_KEY] = now
                UserSession.objects.create_from_request(request)
        return get_response(request)

    return middleware
