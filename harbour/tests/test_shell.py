"""The shell's safety rules on every response: no caching, a strict Content-Security-Policy,
quick exit that clears the browser's copy of the site, Clear-Site-Data on sign-out."""

import os
import subprocess
import sys

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client
from django.urls import reverse

from harbour.accounts.models import IntegrationKey


def test_every_page_forbids_caching(client, users):
    assert client.get("/")["Cache-Control"] == "no-store, max-age=0"
    client.force_login(users["caseworker"])
    assert client.get("/home/")["Cache-Control"] == "no-store, max-age=0"


def test_the_content_security_policy_allows_nothing_inline_or_foreign(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_carry_no_inline_script_or_style(client, users):
    client.force_login(users["admin"])
    for path in ["/", "/home/", "/manage/users/", "/manage/keys/new/", "/accounts/login/"]:
        client.logout() if path in ("/", "/accounts/login/") else client.force_login(users["admin"])
        html = client.get(path).content.decode()
        assert "<script>" not in html, path
        assert " style=" not in html, path
        assert "<style" not in html, path


def test_the_public_page_has_a_quick_exit_and_a_neutral_title(client, db):
    html = client.get("/").content.decode()
    assert "data-quick-exit" in html
    assert "<title>Support services</title>" in html
    assert "Harbour" not in html.split("<title>")[1].split("</title>")[0]


def test_quick_exit_clears_site_data_ends_the_session_and_leaves(client, users):
    client.force_login(users["caseworker"])
    response = client.get(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.HARBOUR_QUICK_EXIT_URL
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/home/").status_code == 302  # signed out


def test_signing_out_clears_site_data(client, users):
    client.force_login(users["caseworker"])
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_a_user_lists_and_ends_their_own_other_sessions(client, users):
    # Two devices signed in as the same user.
    other_device = Client()
    client.force_login(users["caseworker"])
    other_device.force_login(users["caseworker"])
    client.get("/home/")
    other_device.get("/home/")
    listing = client.get(reverse("usersessions_list"))
    assert listing.status_code == 200
    assert UserSession.objects.filter(user=users["caseworker"]).count() == 2
    response = client.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert UserSession.objects.filter(user=users["caseworker"]).count() == 1
    assert other_device.get("/home/").status_code == 302  # the other device is signed out
    assert client.get("/home/").status_code == 200


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "harbour.settings",
        "SECRET_KEY": "a-production-like-secret-" + "k" * 40,
        "HARBOUR_FIELD_KEYS": os.environ["HARBOUR_FIELD_KEYS"],
        "HARBOUR_BLIND_INDEX_KEY": os.environ["HARBOUR_BLIND_INDEX_KEY"],
        "ALLOWED_HOSTS": "harbour.example.org",
        "HARBOUR_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "HARBOUR_HTTPS": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "harbour", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_form_without_its_token_gets_a_plain_explanation_and_changes_nothing(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response = client.post(reverse("accounts:key_new"), {"name": "x", "scopes": ["people:read"]})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "<style" not in page
    assert not IntegrationKey.objects.exists()
