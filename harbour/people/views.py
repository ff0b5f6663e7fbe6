"""Pages about people: the list, one person's record, creating (duplicates first), editing,
contact points, addresses, relationships, merging, and who has accessed the record."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.access import events_about_person
from harbour.audit.actions import record_access
from harbour.cases.access import cases_of_person
from harbour.people import actions
from harbour.people.access import (
    address_for_user,
    alias_for_user,
    contact_point_for_user,
    looks_like_phone,
    people_named,
    people_with_phone,
    person_for_access_review,
    person_for_user,
    relationship_for_user,
    relationships_of,
    survivor_of_merged,
    visible_people,
)
from harbour.people.forms import (
    AddressForm,
    AliasForm,
    ContactPointForm,
    MergeForm,
    NewPersonForm,
    PersonForm,
    RelationshipForm,
)
from harbour.people.matching import Name, Profile, likely_duplicates, phone_tokens, profile_of
from harbour.people.models import Address, ContactPoint, Person

CASE = (Role.CASEWORKER, Role.COORDINATOR)


def search_people(request, people, query: str):
    """Filter `people` by a typed query: a phone number (exact, through the blind indexes)
    or words of a name or alias. Audited as a search; never logs the query itself."""
    if query and looks_like_phone(query):
        record_access(request, "person.search", reason="search by phone")
        return people_with_phone(people, query)
    if query:
        record_access(request, "person.search", reason=f"search: {len(query)} characters")
        return people_named(people, query, request.acting.organisation)
    return people


@staff_required(*CASE)
def person_list(request):
    query = request.GET.get("q", "").strip()
    people = search_people(request, visible_people(request.user, request.acting), query)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/list.html", {"page": page, "query": query})


@staff_required(*CASE)
def person_new(request):
    """Step 1: the details. Step 2 (when anyone may be the same person): the likely
    duplicates with the reasons, to open one of them or confirm a new record."""
    form = NewPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["confirmed"]:
            proposal = Profile(
                names=(Name(data["given_name"], data["family_name"]),),
                date_of_birth=data["date_of_birth"],
                birth_year=form.person_fields()["estimated_birth_year"],
                phones=phone_tokens(data["phone"]),
            )
            people = visible_people(request.user, request.acting)
            matches = likely_duplicates(people, proposal)
            record_access(request, "person.search", reason="duplicate check before creating")
            if matches:
                return render(
                    request, "people/new_duplicates.html", {"form": form, "matches": matches}
                )
        person = actions.create_person(
            request, request.acting, phone=data["phone"], **form.person_fields()
        )
        messages.success(request, _("Record created. Now record how it is safe to reach them."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "creating": True})


@staff_required(*CASE)
def person_detail(request, person_id):
    try:
        person = person_for_user(request.user, request.acting, person_id)
    except Http404:
        survivor = survivor_of_merged(request.user, request.acting, person_id)
        if survivor is None:
            raise
        messages.info(request, _("That record was merged into this one."))
        return redirect("people:detail", person_id=survivor.pk)
    record_access(request, "person.view", obj=person, person=person, reason="casework")
    relationships = [rel.seen_from(person) + (rel,) for rel in relationships_of(person)]
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "aliases": person.aliases.all(),
            "contacts": person.contact_points.all(),
            "addresses": person.addresses.all(),
            "relationships": relationships,
            # Restricted cases the viewer cannot open show as their number only.
            "cases": cases_of_person(request.user, request.acting, person),
        },
    )


@staff_required(*CASE)
def person_edit(request, person_id):
    person = person_for_user(request.user, request.acting, person_id)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        actions.update_person(request, person, **form.person_fields())
        messages.success(request, _("Changes saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@staff_required(*CASE)
def alias_new(request, person_id):
    person = person_for_user(request.user, request.acting, person_id)
    form = AliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_alias(request, person, **form.cleaned_data)
        messages.success(request, _("Alias added."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/alias_form.html", {"form": form, "person": person})


@require_POST
@staff_required(*CASE)
def alias_remove(request, person_id, alias_id):
    alias = alias_for_user(request.user, request.acting, person_id, alias_id)
    actions.remove_alias(request, alias)
    messages.success(request, _("Alias removed."))
    return redirect("people:detail", person_id=person_id)


def _contact_form(request, person: Person, contact: ContactPoint | None):
    initial = {}
    if contact is not None:
        initial = {name: getattr(contact, name) for name in actions.CONTACT_FIELDS}
        record_access(request, "contact.view", obj=contact, person=person, reason="edit")
    form = ContactPointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_contact_point(request, person, contact, **form.cleaned_data)
        messages.success(request, _("Contact point saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/contact_form.html", {"form": form, "person": person, "contact": contact}
    )


@staff_required(*CASE)
def contact_new(request, person_id):
    person = person_for_user(request.user, request.acting, person_id)
    return _contact_form(request, person, None)


@staff_required(*CASE)
def contact_edit(request, person_id, contact_id):
    contact = contact_point_for_user(request.user, request.acting, person_id, contact_id)
    return _contact_form(request, contact.person, contact)


@require_POST
@staff_required(*CASE)
def code_word_reveal(request, person_id, contact_id):
    contact = contact_point_for_user(request.user, request.acting, person_id, contact_id)
    code_word = actions.reveal_code_word(request, contact)
    return render(
        request,
        "people/code_word.html",
        {"person": contact.person, "contact": contact, "code_word": code_word},
    )


def _address_form(request, person: Person, address: Address | None):
    initial = {"current": True}
    if address is not None:
        initial = {name: getattr(address, name) for name in actions.ADDRESS_FIELDS}
        record_access(request, "address.view", obj=address, person=person, reason="edit")
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_address(request, person, address, **form.cleaned_data)
        messages.success(request, _("Address saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/address_form.html", {"form": form, "person": person, "address": address}
    )


@staff_required(*CASE)
def address_new(request, person_id):
    person = person_for_user(request.user, request.acting, person_id)
    return _address_form(request, person, None)


@staff_required(*CASE)
def address_edit(request, person_id, address_id):
    address = address_for_user(request.user, request.acting, person_id, address_id)
    return _address_form(request, address.person, address)


@require_POST
@staff_required(*CASE)
def address_reveal(request, person_id, address_id):
    address = address_for_user(request.user, request.acting, person_id, address_id)
    actions.reveal_address(request, address)
    return render(
        request, "people/address_reveal.html", {"person": address.person, "address": address}
    )


def _pick_list(request, person: Person, query: str):
    """People to choose from on the relationship and merge pages: a search, or nothing."""
    if not query:
        return []
    people = visible_people(request.user, request.acting).exclude(pk=person.pk)
    return list(search_people(request, people, query)[:20])


@staff_required(*CASE)
def relationship_new(request, person_id):
    person = person_for_user(request.user, request.acting, person_id)
    query = request.GET.get("q", "").strip()
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            other = person_for_user(request.user, request.acting, form.cleaned_data["other"])
        except Http404:
            other = None
        if other is None or other.pk == person.pk:
            form.add_error("other", _("Choose a person from the search results."))
        else:
            actions.add_relationship(request, person, other, form.cleaned_data["kind"])
            messages.success(request, _("Relationship added."))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/relationship_form.html",
        {
            "form": form,
            "person": person,
            "query": query,
            "found": _pick_list(request, person, query),
        },
    )


@require_POST
@staff_required(*CASE)
def relationship_remove(request, person_id, relationship_id):
    relationship = relationship_for_user(request.user, request.acting, person_id, relationship_id)
    actions.remove_relationship(request, relationship)
    messages.success(request, _("Relationship removed."))
    return redirect("people:detail", person_id=person_id)


@staff_required(*CASE)
def person_merge(request, person_id):
    """Merge a duplicate record with this one. Offers the likely duplicates first, and a
    search for anyone else."""
    person = person_for_user(request.user, request.acting, person_id)
    query = request.GET.get("q", "").strip()
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            other = person_for_user(request.user, request.acting, form.cleaned_data["other"])
        except Http404:
            other = None
        if other is None or other.pk == person.pk:
            form.add_error("other", _("Choose the duplicate record."))
        else:
            keep_this = form.cleaned_data["keep"] == MergeForm.KEEP_THIS
            survivor, merged = (person, other) if keep_this else (other, person)
            actions.merge_people(request, survivor, merged)
            messages.success(
                request,
                _("%(merged)s was merged into %(survivor)s.")
                % {"merged": merged, "survivor": survivor},
            )
            return redirect("people:detail", person_id=survivor.pk)
    people = visible_people(request.user, request.acting)
    matches = likely_duplicates(people, profile_of(person), exclude=person.pk)
    record_access(request, "person.search", reason="duplicate check before merging")
    return render(
        request,
        "people/merge.html",
        {
            "form": form,
            "person": person,
            "matches": matches,
            "query": query,
            "found": _pick_list(request, person, query),
        },
    )


@staff_required(Role.COORDINATOR, Role.ADMIN)
def person_access_log(request, person_id):
    """Who accessed this person's information, when, and why."""
    person = person_for_access_review(request.user, request.acting, person_id)
    events = events_about_person(request.user, request.acting, person)
    record_access(request, "person.view_access_log", obj=person, person=person, reason="review")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": person, "page": page})
