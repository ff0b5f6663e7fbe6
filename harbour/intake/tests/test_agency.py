"""The agency's referral form: the officer's form without a required occurrence number,
sent by a partner agency's worker to the unit they choose."""

import pytest
from django.urls import reverse

from harbour.accounts.constants import OrganisationKind, Role
from harbour.intake.constants import IntakeChannel, Source
from harbour.intake.models import Referral
from harbour.intake.tests.helpers import org, staff_form
from harbour.testing.fixtures import make_user

URL = reverse("intake:agency_new")


@pytest.fixture
def shelter(db):
    return org("Harbour Shelter", OrganisationKind.AGENCY)


@pytest.fixture
def worker(shelter):
    return make_user("sky@shelter.test", shelter, Role.PARTNER)


def test_an_agency_worker_refers_a_victim_without_an_occurrence_number(
    client, worker, shelter, unit
):
    client.force_login(worker)
    form = client.get(URL).context["form"]
    assert not form.fields["occurrence_number"].required
    response = client.post(
        URL, staff_form(to=str(unit.pk), occurrence_number="", referrer_role="Shelter worker")
    )
    made = Referral.objects.get()
    assert response["Location"] == reverse("intake:sent_detail", kwargs={"referral_id": made.pk})
    assert (made.source, made.channel) == (Source.AGENCY, IntakeChannel.AGENCY_FORM)
    assert (made.organisation, made.sender_organisation, made.sent_by) == (unit, shelter, worker)
    assert (made.occurrence_number, made.referrer_role) == ("", "Shelter worker")


def test_the_agency_must_say_whether_the_victim_agreed(client, worker, unit):
    client.force_login(worker)
    response = client.post(URL, staff_form(to=str(unit.pk), victim_consented=None))
    assert "victim_consented" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_the_agency_worker_sees_what_they_sent(client, worker, unit):
    client.force_login(worker)
    client.post(URL, staff_form(to=str(unit.pk)))
    made = Referral.objects.get()
    page = client.get(reverse("intake:sent")).content.decode()
    assert made.reference in page
    detail = client.get(reverse("intake:sent_detail", kwargs={"referral_id": made.pk}))
    assert detail.status_code == 200


def test_an_officer_cannot_use_the_agency_form(client, users):
    client.force_login(users["officer"])
    assert client.get(URL).status_code == 403
