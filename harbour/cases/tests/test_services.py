"""Services provided: recorded from the taxonomy in cases/data/services.json, which is
checked on load; and the per-category totals the reports use."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AccessEvent
from harbour.cases import services
from harbour.cases.actions import CaseError, record_service
from harbour.cases.models import Contact, ServiceProvided, TimelineEvent
from harbour.cases.tests.helpers import case, person, request_as


@pytest.fixture
def c(unit, users):
    return case(unit, users["caseworker"])


def new_url(c):
    return reverse("cases:service_new", kwargs={"case_id": c.pk})


def local(unit, **delta):
    at = timezone.localtime(timezone.now(), unit.tz) - timedelta(minutes=1) + timedelta(**delta)
    return at.strftime("%Y-%m-%dT%H:%M")


def post(client, c, unit, **fields):
    data = {"service": "safety_planning", "at": local(unit), "minutes": "45", "notes": "Plan A"}
    data.update(fields)
    return client.post(new_url(c), data)


def test_a_caseworker_records_a_service(client, users, unit, c):
    contact = Contact.objects.create(
        case=c,
        channel="phone",
        direction="outgoing",
        outcome="reached",
        recorded_by=users["caseworker"],
    )
    client.force_login(users["caseworker"])
    assert post(client, c, unit, contact=str(contact.pk)).status_code == 302
    service = ServiceProvided.objects.get()
    assert (service.service, service.minutes, service.contact, service.notes) == (
        "safety_planning",
        45,
        contact,
        "Plan A",
    )
    event = TimelineEvent.objects.get(case=c, kind="service")
    assert event.data == {"service": "safety_planning", "minutes": 45}
    assert AccessEvent.objects.filter(action="service.record").exists()
    url = reverse("cases:service", kwargs={"case_id": c.pk, "service_id": service.pk})
    page = client.get(url).content.decode()
    assert "Safety planning" in page and "Plan A" in page
    assert AccessEvent.objects.filter(action="service.view", object_id=str(service.pk)).exists()


def test_the_form_offers_the_taxonomy_in_groups(client, users, c):
    client.force_login(users["caseworker"])
    page = client.get(new_url(c)).content.decode()
    assert '<optgroup label="Information">' in page
    assert "Information: charges" in page and "Help with a victim impact statement" in page


def test_it_refuses_a_service_not_in_the_taxonomy(client, users, unit, c):
    client.force_login(users["caseworker"])
    response = post(client, c, unit, service="astrology")
    assert "service" in response.context["form"].errors
    with pytest.raises(CaseError, match="Choose a service from the list"):
        record_service(request_as(users["caseworker"]), c, service="astrology", at=timezone.now())
    assert not ServiceProvided.objects.exists()


def test_it_refuses_a_service_in_the_future(client, users, unit, c):
    client.force_login(users["caseworker"])
    response = post(client, c, unit, at=local(unit, days=1))
    assert response.context["form"].errors["at"] == ["The service cannot be in the future."]
    assert not ServiceProvided.objects.exists()


def test_it_refuses_a_contact_of_another_case(users, unit, c):
    other = case(unit, users["caseworker"], person(unit, "Alex"))
    theirs = Contact.objects.create(
        case=other,
        channel="phone",
        direction="outgoing",
        outcome="reached",
        recorded_by=users["caseworker"],
    )
    with pytest.raises(CaseError, match="contact of this case"):
        record_service(
            request_as(users["caseworker"]),
            c,
            service="follow_up",
            at=timezone.now(),
            contact=theirs,
        )
    assert not ServiceProvided.objects.exists()


def test_another_organisation_gets_404(client, users, unit, c, outsider):
    service = ServiceProvided.objects.create(
        case=c, service="follow_up", provided_by=users["caseworker"], notes="secret"
    )
    client.force_login(outsider)
    assert post(client, c, unit).status_code == 404
    url = reverse("cases:service", kwargs={"case_id": c.pk, "service_id": service.pk})
    assert client.get(url).status_code == 404
    assert ServiceProvided.objects.count() == 1


# The taxonomy file.


def test_the_installed_taxonomy_has_the_programs_services():
    tax = services.taxonomy()
    for code in (
        "emotional_support",
        "crisis_intervention",
        "safety_planning",
        "info_case_status",
        "info_charges",
        "info_investigating_officer",
        "referral_community",
        "practical_assistance",
        "needs_assessment",
        "enhanced_support",
        "follow_up",
        "court_preparation",
        "court_accompaniment",
        "impact_statement",
    ):
        assert code in tax.services, code
        assert tax.services[code].label.fr and tax.services[code].reporting


def write(tmp_path, data) -> str:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def good() -> dict:
    return {
        "version": 1,
        "reporting_categories": [{"code": "support", "en": "Support", "fr": "Soutien"}],
        "services": [
            {"code": "listening", "en": "Listening", "fr": "Écoute", "reporting": ["support"]}
        ],
    }


def test_a_good_file_loads(tmp_path):
    tax = services.load(write(tmp_path, good()))
    assert list(tax.services) == ["listening"]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda d: d["services"][0].pop("fr"),
            "services.json: services[0] (code “listening”): field “fr” (the label) is missing",
        ),
        (
            lambda d: d["services"][0].update(reporting=["nowhere"]),
            "services[0] (code “listening”): field “reporting” names “nowhere”, which is not "
            "one of the reporting_categories",
        ),
        (
            lambda d: d["services"][0].update(reporting=[]),
            "services[0] (code “listening”): field “reporting” must list at least one",
        ),
        (
            lambda d: d["services"].append(dict(d["services"][0])),
            "services[1] (code “listening”): field “code” repeats an earlier entry",
        ),
        (
            lambda d: d["services"][0].update(code="Has Spaces"),
            "services[0] (code “Has Spaces”): field “code” must be lower-case letters",
        ),
        (
            lambda d: d["services"][0].update(group="court"),
            "field “group” names “court”, which is not a group",
        ),
        (
            lambda d: d["services"][0].update(colour="blue"),
            "services[0] (code “listening”): unknown field “colour”",
        ),
        (
            lambda d: d["reporting_categories"][0].update(en=""),
            "reporting_categories[0] (code “support”): field “en” (the label) is missing",
        ),
        (lambda d: d.update(version="one"), "field “version” must be a whole number"),
        (lambda d: d.pop("services"), "“services” must be a non-empty list"),
    ],
)
def test_a_broken_file_is_refused_with_a_message_naming_the_entry_and_field(
    tmp_path, breakage, message
):
    data = good()
    breakage(data)
    with pytest.raises(services.TaxonomyError) as error:
        services.load(write(tmp_path, data))
    assert message in str(error.value)


def test_a_file_that_is_not_json_says_where(tmp_path):
    path = tmp_path / "services.json"
    path.write_text('{"version": 1,\n "services": [}', encoding="utf-8")
    with pytest.raises(services.TaxonomyError, match="not valid JSON at line 2"):
        services.load(str(path))


def test_a_retired_service_still_reads_but_is_no_longer_offered(tmp_path):
    data = good()
    data["services"].append(
        {"code": "old", "en": "Old", "fr": "Ancien", "reporting": ["support"], "retired": True}
    )
    tax = services.load(write(tmp_path, data))
    assert tax.label("old") == "Old"
    assert [code for code, _label in tax.choices()] == ["listening"]


# Reporting totals.


def test_reporting_totals_count_each_service_under_each_of_its_categories(users, unit, c):
    worker = users["caseworker"]
    for code in ("emotional_support", "crisis_intervention", "info_charges", "info_charges"):
        ServiceProvided.objects.create(case=c, service=code, provided_by=worker)
    totals = services.reporting_totals(ServiceProvided.objects.all())
    assert list(totals) == list(services.taxonomy().categories)
    assert totals["emotional_support"] == 2  # emotional support + crisis intervention
    assert totals["crisis"] == 1
    assert totals["information"] == 2
    assert totals["justice_participation"] == 0
    assert services.UNCLASSIFIED not in totals


def test_reporting_totals_keep_services_no_longer_in_the_taxonomy(users, c):
    ServiceProvided.objects.create(case=c, service="withdrawn", provided_by=users["caseworker"])
    totals = services.reporting_totals(ServiceProvided.objects.all())
    assert totals[services.UNCLASSIFIED] == 1


def test_reporting_totals_follow_the_queryset_given(users, c):
    worker = users["caseworker"]
    ServiceProvided.objects.create(case=c, service="follow_up", provided_by=worker)
    ServiceProvided.objects.create(
        case=c,
        service="follow_up",
        provided_by=worker,
        at=timezone.now() - timedelta(days=400),
    )
    recent = ServiceProvided.objects.filter(at__gte=timezone.now() - timedelta(days=365))
    assert services.reporting_totals(recent)["case_management"] == 1
