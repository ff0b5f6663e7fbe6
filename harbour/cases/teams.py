"""Team pages: the organisation's teams, and (for coordinators) making and changing one.
A team's members share its caseload and follow-ups, and are the only ones who see its
restricted cases without breaking the glass."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.accounts.access import Acting, staff_required
from harbour.accounts.constants import Role
from harbour.accounts.models import User
from harbour.cases import actions
from harbour.cases.access import may_manage_teams, team_candidates, team_for_manager, teams_of
from harbour.cases.models import Team

CASE = (Role.CASEWORKER, Role.COORDINATOR)


class MemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class TeamForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        error_messages={
            "required": gettext_lazy("Give the team a name."),
            "max_length": gettext_lazy("Give the team a name of 100 characters or fewer."),
        },
    )
    members = MemberField(
        label=gettext_lazy("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Caseworkers, coordinators and volunteers of the unit. Members see the team’s "
            "restricted cases."
        ),
        error_messages={"invalid_choice": gettext_lazy("Choose members from the list.")},
    )

    def __init__(self, *args, acting: Acting, **kwargs):
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = team_candidates(acting)


@staff_required(*CASE)
def team_list(request):
    on_team = Team.members.through.objects.filter(team=OuterRef("pk"), user=request.user)
    teams = teams_of(request.acting).annotate(
        member_count=Count("members", distinct=True), is_member=Exists(on_team)
    )
    manager = may_manage_teams(request.user, request.acting)
    return render(request, "cases/team_list.html", {"teams": teams, "manager": manager})


@staff_required(Role.COORDINATOR)
def team_new(request):
    form = TeamForm(request.POST or None, acting=request.acting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_team(
                request,
                request.acting.organisation,
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Team created."))
            return redirect("cases:teams")
    return render(request, "cases/team_form.html", {"form": form})


@staff_required(Role.COORDINATOR)
def team_edit(request, team_id):
    team = team_for_manager(request.user, request.acting, team_id)
    form = TeamForm(
        request.POST or None,
        acting=request.acting,
        initial={"name": team.name, "members": list(team.members.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_team(
                request, team, name=form.cleaned_data["name"], members=form.cleaned_data["members"]
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Team saved."))
            return redirect("cases:teams")
    return render(request, "cases/team_form.html", {"form": form, "team": team})
