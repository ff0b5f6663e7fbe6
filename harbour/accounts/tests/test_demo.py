"""`harbour demo` seeds the synthetic region and is idempotent."""

from django.core.management import call_command

from harbour.accounts.constants import OrganisationKind, Role
from harbour.accounts.models import Membership, Organisation, User
from harbour.people.models import Person


def seed():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_it_seeds_two_police_services_a_unit_three_partners_and_a_monitoring_centre(db):
    seed()
    kinds = sorted(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count(OrganisationKind.POLICE) == 2
    assert kinds.count(OrganisationKind.VSU) == 1
    assert kinds.count(OrganisationKind.MONITORING) == 1
    partners = [k for k in kinds if k in (OrganisationKind.AGENCY, OrganisationKind.HOSPITAL)]
    assert len(partners) == 3


def test_there_is_a_user_for_every_role_who_can_sign_in(db):
    seed()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    user = User.objects.get(email="caseworker@vsu.demo")
    assert user.check_password("harbour-demo-2026")


def test_running_it_twice_changes_nothing(db):
    seed()
    counts = (Organisation.objects.count(), User.objects.count(), Person.objects.count())
    seed()
    assert (Organisation.objects.count(), User.objects.count(), Person.objects.count()) == counts


def test_demo_people_have_encrypted_fictional_safe_phones(db):
    seed()
    person = Person.objects.order_by("created").first()
    assert person.safe_phone.startswith("+1 902 555 01")
