"""Template context every page needs: acting organisation, roles, demo flag, navigation."""

from django.conf import settings

from harbour.accounts.access import acting_for, organisations_for
from harbour.accounts.navigation import navigation_for


def harbour(request):
    acting = acting_for(request) if hasattr(request, "user") else None
    return {
        "acting": acting,
        "my_organisations": (
            organisations_for(request.user, request._harbour_memberships) if acting else []
        ),
        "nav_items": navigation_for(request, acting),
        "demo_mode": settings.DEMO_MODE,
        "quick_exit_url": settings.HARBOUR_QUICK_EXIT_URL,
    }
