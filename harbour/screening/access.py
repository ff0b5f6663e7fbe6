"""Scoped reads of the screening app: the acting organisation's outreach matches, screening
rules and occurrence imports, and an integration key's imports. Anything of another
organisation is a 404, as if it did not exist."""

from django.db.models import QuerySet
from django.http import Http404

from harbour.accounts.access import Acting
from harbour.screening.models import ImportRun, ScreeningMatch, ScreeningRule


def matches_for(acting: Acting) -> QuerySet[ScreeningMatch]:
    return ScreeningMatch.objects.filter(organisation=acting.organisation)


def match_for(acting: Acting, match_id) -> ScreeningMatch:
    match = (
        matches_for(acting)
        .filter(pk=match_id)
        .select_related("assigned_to", "referral", "person", "occurrence")
        .first()
    )
    if match is None:
        raise Http404
    return match


def rules_for(acting: Acting) -> QuerySet[ScreeningRule]:
    return ScreeningRule.objects.filter(organisation=acting.organisation).select_related("current")


def rule_for(acting: Acting, rule_id) -> ScreeningRule:
    rule = rules_for(acting).filter(pk=rule_id).first()
    if rule is None or rule.current is None:
        raise Http404
    return rule


def imports_for(acting: Acting) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(organisation=acting.organisation).select_related("started_by")


def import_for(acting: Acting, run_id) -> ImportRun:
    try:
        return imports_for(acting).get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError):
        raise Http404 from None


def import_for_key(key, run_id) -> ImportRun:
    """An import into the key's organisation, for a key with occurrences:write."""
    from harbour.accounts.constants import KeyScope

    if not key.allows(KeyScope.OCCURRENCES_WRITE):
        raise Http404
    run = ImportRun.objects.filter(organisation=key.organisation, pk=run_id).first()
    if run is None:
        raise Http404
    return run
