"""The permission matrix: for every route, what each persona must get.

Personas: an anonymous visitor, a user holding each single role in the unit, and the
outsider (admin, coordinator and caseworker of *another* organisation), who must get 404 on
anything that is not theirs. API operations are also tried with integration keys.

Adding a route without a row here fails test_permission_matrix. Expected outcomes:
an int status code, LOGIN (302 to the sign-in page), or "302" (any redirect).
"""

from harbour.accounts.constants import Role

LOGIN = "login"
REDIRECT = "302"
ROLES = list(Role.values)
ANON = "anonymous"
OUTSIDER = "outsider"
PERSONAS = [ANON, *ROLES, OUTSIDER]


def only(*allowed: str, ok=200, denied=403, anon=LOGIN, outsider=None) -> dict:
    """Roles in `allowed` get `ok`, other roles `denied`. The outsider holds admin,
    coordinator and caseworker elsewhere: for pages about an object it gets 404; for
    pages about "my organisation" it gets whatever its own roles give."""
    out = {ANON: anon}
    for role in ROLES:
        out[role] = ok if role in allowed else denied
    if outsider is None:
        outsider_roles = {Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER}
        outsider = ok if outsider_roles & set(allowed) else denied
    out[OUTSIDER] = outsider
    return out


def everyone(status, anon=None) -> dict:
    out = dict.fromkeys(PERSONAS, status)
    if anon is not None:
        out[ANON] = anon
    return out


def signed_in(status) -> dict:
    """Any signed-in user (every role, the outsider) gets `status`; anonymous → sign-in."""
    return everyone(status, anon=LOGIN)


CASE = (Role.CASEWORKER, Role.COORDINATOR)

# name: (method, kwargs-builder name or None, expectations)
# The kwargs builder names an attribute of the matrix context (see the test): "person",
# "target_user", "key", "reset_key", "confirm_key".
MATRIX: dict[str, tuple[str, str | None, dict]] = {
    # Shell
    "start": ("GET", None, everyone(REDIRECT, anon=200)),
    "home": ("GET", None, signed_in(200)),
    "quick_exit": ("GET", None, everyone(REDIRECT)),
    "healthz": ("GET", None, everyone(200)),
    "robots": ("GET", None, everyone(200)),
    "set_language": ("POST", None, everyone(REDIRECT)),
    # allauth: sign-in and account pages
    "account_login": ("GET", None, everyone(REDIRECT, anon=200)),
    "account_logout": ("POST", None, everyone(REDIRECT)),
    "account_inactive": ("GET", None, everyone(200)),
    # Sign-up is closed: staff accounts are made by their organisation's admin.
    "account_signup": ("GET", None, everyone(REDIRECT, anon=200)),
    "account_reauthenticate": ("GET", None, signed_in(200)),
    "account_email": ("GET", None, signed_in(200)),
    "account_email_verification_sent": ("GET", None, everyone(200)),
    "account_change_password": ("GET", None, signed_in(200)),
    "account_set_password": ("GET", None, signed_in(REDIRECT)),
    "account_reset_password": ("GET", None, everyone(200)),
    "account_confirm_login_code": ("GET", None, everyone(REDIRECT)),
    # An unknown confirmation key shows allauth's "link expired or invalid" page.
    "account_confirm_email": ("GET", "confirm_key", everyone(200)),
    "account_reset_password_from_key_done": ("GET", None, everyone(200)),
    # allauth moves the token into the session and redirects, so it never sits in a URL
    # that the next page's Referer could leak.
    "account_reset_password_from_key": ("GET", "reset_key", everyone(REDIRECT)),
    "account_reset_password_done": ("GET", None, everyone(200)),
    "mfa_index": ("GET", None, signed_in(200)),
    "mfa_authenticate": ("GET", None, everyone(REDIRECT)),
    "mfa_reauthenticate": ("GET", None, signed_in(200)),
    # Every fixture user already has TOTP, so activating again redirects to the index.
    "mfa_activate_totp": ("GET", None, signed_in(REDIRECT)),
    "mfa_deactivate_totp": ("GET", None, signed_in(REDIRECT)),
    # Fixture users have no recovery codes yet: there is nothing to view or download.
    "mfa_view_recovery_codes": ("GET", None, signed_in(404)),
    "mfa_generate_recovery_codes": ("GET", None, signed_in(REDIRECT)),
    "mfa_download_recovery_codes": ("GET", None, signed_in(404)),
    "usersessions_list": ("GET", None, signed_in(200)),
    # An admin manages the users and keys of their own organisation only.
    "accounts:users": ("GET", None, only(Role.ADMIN)),
    "accounts:user_new": ("GET", None, only(Role.ADMIN)),
    "accounts:user": ("GET", "target_user", only(Role.ADMIN, outsider=404)),
    "accounts:user_deactivate": (
        "POST",
        "target_user",
        only(Role.ADMIN, ok=REDIRECT, outsider=404),
    ),
    "accounts:user_unlock": ("POST", "target_user", only(Role.ADMIN, ok=REDIRECT, outsider=404)),
    "accounts:keys": ("GET", None, only(Role.ADMIN)),
    "accounts:key_new": ("GET", None, only(Role.ADMIN)),
    "accounts:key_revoke": ("POST", "key", only(Role.ADMIN, ok=REDIRECT, outsider=404)),
    # A bad organisation id is a 404 for everyone: the form posts the id of the unit.
    "accounts:switch_organisation": ("POST", None, only(*ROLES, ok=REDIRECT, outsider=404)),
    # People: caseworkers and coordinators of the person's organisation.
    "people:list": ("GET", None, only(*CASE)),
    "people:detail": ("GET", "person", only(*CASE, outsider=404)),
    "people:new": ("GET", None, only(*CASE)),
    "people:edit": ("GET", "person", only(*CASE, outsider=404)),
    "people:alias_new": ("GET", "person", only(*CASE, outsider=404)),
    "people:alias_remove": ("POST", "alias", only(*CASE, ok=REDIRECT, outsider=404)),
    "people:contact_new": ("GET", "person", only(*CASE, outsider=404)),
    "people:contact_edit": ("GET", "contact", only(*CASE, outsider=404)),
    # Revealing a code word or a confidential address is a POST: it is audited.
    "people:code_word_reveal": ("POST", "contact", only(*CASE, outsider=404)),
    "people:address_new": ("GET", "person", only(*CASE, outsider=404)),
    "people:address_edit": ("GET", "address", only(*CASE, outsider=404)),
    "people:address_reveal": ("POST", "address", only(*CASE, outsider=404)),
    "people:relationship_new": ("GET", "person", only(*CASE, outsider=404)),
    "people:relationship_remove": (
        "POST",
        "relationship",
        only(*CASE, ok=REDIRECT, outsider=404),
    ),
    "people:merge": ("GET", "person", only(*CASE, outsider=404)),
    "people:access_log": ("GET", "person", only(Role.COORDINATOR, Role.ADMIN, outsider=404)),
    # Consent ledger: the person's caseworkers and coordinators; another organisation's
    # person, consent or disclosures are a 404.
    "consent:list": ("GET", "person", only(*CASE, outsider=404)),
    "consent:new": ("GET", "person", only(*CASE, outsider=404)),
    "consent:detail": ("GET", "consent", only(*CASE, outsider=404)),
    # A POST without a reason shows the form again with the error.
    "consent:revoke": ("POST", "consent", only(*CASE, outsider=404)),
    "consent:disclosures": ("GET", "person", only(*CASE, outsider=404)),
    "consent:disclose": ("GET", "person", only(*CASE, outsider=404)),
    "audit:log": ("GET", None, only(Role.COORDINATOR, Role.ADMIN)),
    # Occurrence imports: coordinators and administrators of the organisation.
    "occurrence_imports:list": ("GET", None, only(Role.COORDINATOR, Role.ADMIN)),
    "occurrence_imports:detail": (
        "GET",
        "import_run",
        only(Role.COORDINATOR, Role.ADMIN, outsider=404),
    ),
    "occurrence_imports:progress": (
        "GET",
        "import_run",
        only(Role.COORDINATOR, Role.ADMIN, outsider=404),
    ),
    # Statistics: over the acting organisation's own occurrences (the outsider, coordinator
    # elsewhere, sees its own organisation's figures).
    "screening:stats": ("GET", None, only(Role.COORDINATOR, Role.ANALYST)),
    "screening:stats_csv": ("GET", None, only(Role.COORDINATOR, Role.ANALYST)),
    # Cases: the organisation's caseworkers and coordinators. The matrix's restricted case
    # has nobody of the matrix on its team: everyone meets the break-glass page (403).
    "cases:detail": ("GET", "restricted_case", only(*CASE, ok=403, outsider=404)),
    "cases:edit": ("GET", "case", only(*CASE, outsider=404)),
    # Posted without a new status: the form comes back with the error.
    "cases:status": ("POST", "case", only(*CASE, outsider=404)),
    "cases:contact_new": ("GET", "case", only(*CASE, outsider=404)),
    "cases:contact": ("GET", "case_contact", only(*CASE, outsider=404)),
    "cases:service_new": ("GET", "case", only(*CASE, outsider=404)),
    "cases:service": ("GET", "service", only(*CASE, outsider=404)),
    "cases:linked_new": ("GET", "case", only(*CASE, outsider=404)),
    # Posted with a reason (the test supplies one): in, then on to the case.
    "cases:break_glass": ("POST", "restricted_case", only(*CASE, ok=REDIRECT, outsider=404)),
    "cases:glass_review": ("GET", None, only(Role.COORDINATOR)),
    "cases:glass_reviewed": ("POST", "glass", only(Role.COORDINATOR, ok=REDIRECT, outsider=404)),
    # Intake. The public self-referral form is for anyone; a slug that is not a victim
    # services unit is a 404 (tested in intake/tests/test_public.py).
    "public:referral": ("GET", "unit_slug", everyone(200)),
    "public:referral_sent": ("GET", "unit_slug", everyone(200)),
    # Officers and agency workers send referrals and see those they sent themselves: the
    # matrix's referral was sent by the officer, so the partner gets 404 on it.
    "intake:police_new": ("GET", None, only(Role.OFFICER)),
    "intake:agency_new": ("GET", None, only(Role.PARTNER)),
    "intake:sent": ("GET", None, only(Role.OFFICER, Role.PARTNER)),
    "intake:sent_detail": (
        "GET",
        "referral",
        {**only(Role.OFFICER, Role.PARTNER), Role.PARTNER: 404},
    ),
    # Triage: the receiving unit's caseworkers and coordinators. A decision POSTed without
    # its answers shows the referral again with the errors.
    "intake:queue": ("GET", None, only(*CASE)),
    "intake:detail": ("GET", "referral", only(*CASE, outsider=404)),
    "intake:accept": ("POST", "referral", only(*CASE, outsider=404)),
    "intake:decline": ("POST", "referral", only(*CASE, outsider=404)),
    "intake:duplicate": ("POST", "referral", only(*CASE, outsider=404)),
    # Screening: the outreach queue for caseworkers and coordinators, the rules for
    # coordinators. Offering services redirects to the new referral in triage; the other
    # decisions POSTed without their answers show the victim again with the error (400).
    "screening:queue": ("GET", None, only(*CASE)),
    "screening:match": ("GET", "screening_match", only(*CASE, outsider=404)),
    "screening:assign": ("POST", "screening_match", only(*CASE, ok=400, outsider=404)),
    "screening:offer": ("POST", "screening_match", only(*CASE, ok=REDIRECT, outsider=404)),
    "screening:no_action": ("POST", "screening_match", only(*CASE, ok=400, outsider=404)),
    "screening:existing_client": ("POST", "screening_match", only(*CASE, ok=400, outsider=404)),
    "screening:attempt": ("POST", "screening_match", only(*CASE, ok=400, outsider=404)),
    "screening:rules": ("GET", None, only(Role.COORDINATOR)),
    "screening:rule_edit": ("GET", "screening_rule", only(Role.COORDINATOR, outsider=404)),
    # Caseloads and search: lists of the user's own organisation (the outsider sees its
    # own, empty). "All cases" is the coordinators'.
    "cases:caseload": ("GET", None, only(*CASE)),
    "cases:all_cases": ("GET", None, only(Role.COORDINATOR)),
    "cases:search": ("GET", None, only(*CASE)),
    # Follow-ups: on a case the user can see; completing is a POST.
    "cases:followup_new": ("GET", "case", only(*CASE, outsider=404)),
    "cases:followup_edit": ("GET", "task", only(*CASE, outsider=404)),
    "cases:followup_done": ("POST", "task", only(*CASE, ok=REDIRECT, outsider=404)),
    "cases:my_followups": ("GET", None, only(*CASE)),
    # Teams: listed for caseworkers and coordinators; a team's caseload and follow-ups for
    # its members (the matrix caseworker is one) and coordinators; changed by coordinators.
    "cases:teams": ("GET", None, only(*CASE)),
    "cases:team_new": ("GET", None, only(Role.COORDINATOR)),
    "cases:team_edit": ("GET", "team", only(Role.COORDINATOR, outsider=404)),
    "cases:team_caseload": ("GET", "team", only(*CASE, outsider=404)),
    "cases:team_followups": ("GET", "team", only(*CASE, outsider=404)),
    # API documents are public: the spec holds no data. Operations are in API_MATRIX.
    "api:openapi-json": ("GET", None, everyone(200)),
    "api:openapi-view": ("GET", None, everyone(200)),
    "api:api-root": ("GET", None, everyone(404)),
}

# API operations, tried with: no credentials, every session persona (a browser session is
# never an API credential), the unit's key with every scope, the unit's key with no scope,
# and another organisation's key with every scope.
KEY_ALL = "key:all-scopes"
KEY_NONE = "key:no-scope"
KEY_OTHER = "key:other-organisation"
API_PERSONAS = [ANON, *ROLES, OUTSIDER, KEY_ALL, KEY_NONE, KEY_OTHER]


def api(own: int, no_scope: int, other: int) -> dict:
    out = dict.fromkeys([ANON, *ROLES, OUTSIDER], 401)
    out.update({KEY_ALL: own, KEY_NONE: no_scope, KEY_OTHER: other})
    return out


API_MATRIX: dict[str, tuple[str, str | None, dict]] = {
    "api:whoami": ("GET", None, api(own=200, no_scope=200, other=200)),
    "api:get_person": ("GET", "person", api(own=200, no_scope=404, other=404)),
    # Any organisation's key may refer to any unit (the body names the unit: see the test's
    # POST body); a referral's status is for the organisation that sent it.
    "api:create_referral": ("POST", None, api(own=201, no_scope=404, other=201)),
    "api:get_referral": ("GET", "referral_ref", api(own=200, no_scope=404, other=404)),
    # Occurrences go into the key's own organisation (the POST body is a small NIBRS file);
    # an import's result is for the organisation it was made into.
    "api:import_occurrences": ("POST", None, api(own=201, no_scope=404, other=201)),
    "api:get_occurrence_import": ("GET", "import_run", api(own=200, no_scope=404, other=404)),
}
