"""Merging two records of one person, with an audit trail."""

from datetime import date

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.actions import index_names
from harbour.people.models import (
    Address,
    ContactPoint,
    NameToken,
    Person,
    PersonAlias,
    Relationship,
)


def test_merging_moves_everything_and_keeps_the_old_names_as_aliases(client, users, unit):
    keep = Person.objects.create(organisation=unit, given_name="Catherine", family_name="Tremblay")
    dup = Person.objects.create(
        organisation=unit,
        given_name="Kathy",
        family_name="Tremblay",
        date_of_birth=date(1990, 4, 2),
        languages=["fr"],
    )
    friend = Person.objects.create(organisation=unit, given_name="Lea")
    ContactPoint.objects.create(person=dup, kind="phone", value="+19025550142", is_primary=True)
    Address.objects.create(person=dup, city="Halifax")
    Relationship.objects.create(person=friend, other=dup, kind="friend")
    Relationship.objects.create(person=keep, other=dup, kind="family")
    client.force_login(users["coordinator"])
    url = reverse("people:merge", kwargs={"person_id": keep.pk})
    response = client.post(url, {"other": dup.pk, "keep": "this"})
    assert response.status_code == 302
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into == keep and dup.merged_at is not None
    assert keep.date_of_birth == date(1990, 4, 2) and keep.languages == ["fr"]
    assert [(a.given_name, a.from_merge) for a in PersonAlias.objects.filter(person=keep)] == [
        ("Kathy", True)
    ]
    assert ContactPoint.objects.get().person == keep
    assert Address.objects.get().person == keep
    # The friend now knows the survivor; the family link between the two records is gone.
    assert list(Relationship.objects.values_list("person", "other")) == [(friend.pk, keep.pk)]
    events = AccessEvent.objects.filter(action="person.merge")
    assert {e.person_id for e in events} == {str(keep.pk), str(dup.pk)}
    assert all(str(dup.pk) in e.reason and str(keep.pk) in e.reason for e in events)


def test_the_merged_record_is_hidden_and_its_page_leads_to_the_survivor(client, users, unit):
    keep = Person.objects.create(organisation=unit, given_name="Catherine", family_name="Tremblay")
    dup = Person.objects.create(organisation=unit, given_name="Kathy", family_name="Tremblay")
    client.force_login(users["caseworker"])
    client.post(
        reverse("people:merge", kwargs={"person_id": dup.pk}), {"other": keep.pk, "keep": "other"}
    )
    listed = client.get(reverse("people:list")).context["page"]
    assert [p.pk for p in listed] == [keep.pk]
    response = client.get(reverse("people:detail", kwargs={"person_id": dup.pk}))
    assert response["Location"] == reverse("people:detail", kwargs={"person_id": keep.pk})
    assert Person.objects.count() == 2


def test_the_merge_page_offers_likely_duplicates(client, users, unit):
    keep = Person.objects.create(
        organisation=unit,
        given_name="Catherine",
        family_name="Tremblay",
        given_name_key="K0RN",
        family_name_key="TRMBL",
    )
    dup = Person.objects.create(
        organisation=unit,
        given_name="Katherine",
        family_name="Tremblay",
        given_name_key="K0RN",
        family_name_key="TRMBL",
    )
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:merge", kwargs={"person_id": keep.pk}))
    assert [m.person for m in response.context["matches"]] == [dup]


def test_it_refuses_to_merge_a_person_of_another_organisation(client, users, unit, other_unit):
    keep = Person.objects.create(organisation=unit, given_name="Catherine")
    stranger = Person.objects.create(organisation=other_unit, given_name="Catherine")
    client.force_login(users["caseworker"])
    url = reverse("people:merge", kwargs={"person_id": keep.pk})
    response = client.post(url, {"other": stranger.pk, "keep": "this"})
    assert response.status_code == 200 and response.context["form"].errors["other"]
    stranger.refresh_from_db()
    assert stranger.merged_into is None


def test_it_refuses_to_merge_without_choosing_which_record_stays(client, users, unit):
    keep = Person.objects.create(organisation=unit, given_name="Catherine")
    dup = Person.objects.create(organisation=unit, given_name="Kathy")
    client.force_login(users["caseworker"])
    url = reverse("people:merge", kwargs={"person_id": keep.pk})
    response = client.post(url, {"other": dup.pk})
    assert response.context["form"].errors["keep"]
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_another_organisation_cannot_merge(client, outsider, unit):
    a = Person.objects.create(organisation=unit, given_name="Catherine")
    b = Person.objects.create(organisation=unit, given_name="Kathy")
    client.force_login(outsider)
    url = reverse("people:merge", kwargs={"person_id": a.pk})
    assert client.post(url, {"other": b.pk, "keep": "this"}).status_code == 404
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_after_a_merge_the_survivor_is_found_by_the_merged_records_name(client, users, unit):
    keep = Person.objects.create(organisation=unit, given_name="Catherine", family_name="Roy")
    dup = Person.objects.create(organisation=unit, given_name="Kathy", family_name="Leblanc")
    index_names(keep)
    index_names(dup)
    client.force_login(users["coordinator"])
    url = reverse("people:merge", kwargs={"person_id": keep.pk})
    assert client.post(url, {"other": dup.pk, "keep": "this"}).status_code == 302
    found = client.get(reverse("people:list"), {"q": "leblanc"}).context["page"]
    assert [p.pk for p in found] == [keep.pk]
    assert not NameToken.objects.filter(person=dup).exists()
