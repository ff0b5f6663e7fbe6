"""Pages about people: the list, one person's record, and who has accessed it."""

from django.core.paginator import Paginator
from django.shortcuts import render

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.access import events_about_person
from harbour.audit.actions import record_access
from harbour.lib.fields import blind_lookup, digits_only
from harbour.people.access import person_for_access_review, person_for_user, visible_people
from harbour.people.models import Person


@staff_required(Role.CASEWORKER, Role.COORDINATOR)
def person_list(request):
    query = request.GET.get("q", "").strip()
    people = visible_people(request.user, request.acting)
    if query and len(digits_only(query)) >= 7:
        # A phone number: exact match through the blind index (the number itself is
        # encrypted and cannot be searched).
        people = people.filter(**blind_lookup(Person, "safe_phone", query))
        record_access(request, "person.search", reason="search by phone")
    elif query:
        people = people.filter(family_name__icontains=query) | people.filter(
            given_name__icontains=query
        )
        record_access(request, "person.search", reason=f"search: {len(query)} characters")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/list.html", {"page": page, "query": query})


@staff_required(Role.CASEWORKER, Role.COORDINATOR)
def person_detail(request, person_id):
    person = person_for_user(request.user, request.acting, person_id)
    record_access(request, "person.view", obj=person, person=person, reason="casework")
    return render(request, "people/detail.html", {"person": person})


@staff_required(Role.COORDINATOR, Role.ADMIN)
def person_access_log(request, person_id):
    """Who accessed this person's information, when, and why."""
    person = person_for_access_review(request.user, request.acting, person_id)
    events = events_about_person(request.user, request.acting, person)
    record_access(request, "person.view_access_log", obj=person, person=person, reason="review")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": person, "page": page})
