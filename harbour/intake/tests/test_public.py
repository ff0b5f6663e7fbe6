"""The public self-referral form, over HTTP with no account: for oneself or on a victim's
behalf, the safe-contact answers, neutral pages that leave nothing behind, the rate limit
and the honeypot."""

import re

import pytest
from django.urls import reverse

from harbour.accounts.constants import OrganisationKind
from harbour.audit.models import AccessEvent
from harbour.intake.constants import PUBLIC_FORM_LIMIT, IntakeChannel, ReferralRole, Source
from harbour.intake.models import Referral, ReferralPerson
from harbour.intake.tests.helpers import org, public_form


@pytest.fixture
def url(unit):
    return reverse("public:referral", kwargs={"org_slug": unit.slug})


@pytest.fixture
def sent_url(unit):
    return reverse("public:referral_sent", kwargs={"org_slug": unit.slug})


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_the_form_is_neutral_uncached_and_offers_the_quick_exit(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert title(response) == "Support services"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "data-quick-exit" in page
    assert 'autocomplete="off"' in page
    # No session: nothing of the visit is kept on the server side either.
    assert "sessionid" not in response.cookies


def test_a_slug_that_is_not_a_unit_is_a_404(client, db):
    police = org("Harbour Regional Police")
    assert client.get(reverse("public:referral", kwargs={"org_slug": "nowhere"})).status_code == 404
    assert (
        client.get(reverse("public:referral", kwargs={"org_slug": police.slug})).status_code == 404
    )
    sent = reverse("public:referral_sent", kwargs={"org_slug": "nowhere"})
    assert client.get(sent).status_code == 404


def test_a_person_refers_themselves(client, url, sent_url, unit):
    response = client.post(url, public_form())
    assert response.status_code == 302
    assert response["Location"] == sent_url
    made = Referral.objects.get()
    assert (made.organisation, made.source, made.channel) == (
        unit,
        Source.SELF,
        IntakeChannel.WEB_FORM,
    )
    assert made.victim_consented is True
    assert (made.sender_organisation, made.sent_by, made.referrer_name) == (None, None, None)
    assert made.narrative == "I would like to talk to someone."
    victim = ReferralPerson.objects.get()
    assert (victim.role, victim.given_name, victim.family_name) == ("victim", "Sam", "Rivers")
    assert (victim.phone, victim.safe_to_text, victim.safe_to_call) == ("+19025550177", True, False)
    assert (victim.safe_times, victim.language) == ("After 6 pm", "en")
    assert AccessEvent.objects.filter(action="referral.receive", organisation=unit).exists()


def test_do_not_contact_me_is_recorded(client, url):
    data = public_form(phone=None, safe_to_text=None, safe_times=None, no_contact="on")
    assert client.post(url, data).status_code == 302
    victim = ReferralPerson.objects.get()
    assert victim.no_contact and victim.phone is None


def test_a_friend_refers_on_a_victims_behalf(client, url, sent_url):
    data = public_form(
        **{
            "for": "other",
            "referrer_name": "Jo Friend",
            "referrer_relationship": ReferralRole.FRIEND,
            "referrer_phone": "902 555 0111",
            "victim_knows": "not_sure",
            "phone": None,
            "safe_to_text": None,
        }
    )
    response = client.post(url, data)
    assert response["Location"] == sent_url
    made = Referral.objects.get()
    assert made.source == Source.FAMILY_FRIEND
    assert (made.referrer_name, made.referrer_relationship, made.referrer_phone) == (
        "Jo Friend",
        "friend",
        "+19025550111",
    )
    assert made.victim_consented is None
    assert ReferralPerson.objects.get().given_name == "Sam"


def test_the_friend_form_asks_about_the_friend_too(client, url):
    page = client.get(url, {"for": "other"}).content.decode()
    assert "Your name" in page and "Their first name" in page
    assert "Do they know, and agree, that you are contacting us?" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"given_name": ""}, "given_name", "Enter a first name"),
        ({"phone": "555-12"}, "phone", "not a phone number we can call"),
        ({"phone": "", "safe_to_text": "on"}, "phone", "Give the phone number"),
        ({"no_contact": "on"}, "no_contact", "cannot go with a safe way"),
        ({"email": "me@", "safe_to_email": "on"}, "email", "Enter an email address"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client, url, overrides, field, message):
    response = client.post(url, public_form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Referral.objects.exists()
    # The error never repeats what was typed.
    assert "555-12" not in str(response.context["form"].errors)


def test_someone_who_wants_contact_must_say_how_it_is_safe(client, url):
    response = client.post(url, public_form(safe_to_text=None))
    assert "Tell us how it is safe to reach you" in response.context["form"].non_field_errors()[0]
    assert not Referral.objects.exists()


def test_a_friend_must_say_how_to_reach_them(client, url):
    data = public_form(
        **{
            "for": "other",
            "referrer_name": "Jo",
            "referrer_relationship": ReferralRole.FAMILY,
            "victim_knows": "yes",
        }
    )
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert errors["referrer_phone"] == ["Give a phone number or an email address for you."]
    assert not Referral.objects.exists()


def test_the_confirmation_reveals_nothing(client, url, sent_url, unit):
    response = client.post(url, public_form(), follow=True)
    assert response.redirect_chain == [(sent_url, 302)]
    page = response.content.decode()
    assert title(response) == "Support services"
    for secret in ("Sam", "Rivers", "0177", "talk to someone", unit.name, "victim", "Victim"):
        assert secret not in page, secret
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_more_than_the_limit_in_an_hour_is_refused_with_a_message(client, url):
    for _ in range(PUBLIC_FORM_LIMIT):
        assert client.post(url, public_form()).status_code == 302
    response = client.post(url, public_form(given_name="Late"))
    assert response.status_code == 429
    assert "Too many messages have been sent from this connection" in response.content.decode()
    assert Referral.objects.count() == PUBLIC_FORM_LIMIT
    assert "Late" not in [p.given_name for p in ReferralPerson.objects.all()]


def test_the_limit_is_per_client_address(client, url):
    for _ in range(PUBLIC_FORM_LIMIT):
        client.post(url, public_form(), REMOTE_ADDR="192.0.2.1")
    assert client.post(url, public_form(), REMOTE_ADDR="192.0.2.2").status_code == 302
    assert client.post(url, public_form(), REMOTE_ADDR="192.0.2.1").status_code == 429


def test_a_filled_honeypot_looks_sent_but_saves_nothing(client, url, sent_url):
    response = client.post(url, public_form(website="http://spam.example"))
    assert response["Location"] == sent_url
    assert not Referral.objects.exists()


def test_the_unit_name_never_appears_in_the_title(client, url, unit):
    unit.name = "Harbour Victim Services"
    unit.save(update_fields=["name"])
    response = client.get(url)
    assert "victim" not in title(response).lower()
    assert "victim" not in title(client.get(url, {"for": "other"})).lower()


def test_a_police_service_cannot_receive_self_referrals(client, db):
    police = org("Harbour Regional Police", OrganisationKind.POLICE)
    url = reverse("public:referral", kwargs={"org_slug": police.slug})
    assert client.post(url, public_form()).status_code == 404
    assert not Referral.objects.exists()


def test_the_form_speaks_french(client, url):
    response = client.get(url, headers={"Accept-Language": "fr"})
    page = response.content.decode()
    assert title(response) == "Services de soutien"
    assert "Demander du soutien" in page and "Sortie rapide" in page
    response = client.post(url, public_form(given_name=""), headers={"Accept-Language": "fr"})
    assert "Entrez un prénom" in response.content.decode()
