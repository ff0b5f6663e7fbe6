"""Permissions of the consent ledger: the unit's caseworkers and coordinators record
consents and disclosures for their organisation's people."""

import rules

from harbour.accounts.rules import is_caseworker, is_coordinator

rules.add_perm("consent.view_consent", is_caseworker | is_coordinator)
rules.add_perm("consent.record_consent", is_caseworker | is_coordinator)
rules.add_perm("consent.disclose", is_caseworker | is_coordinator)
