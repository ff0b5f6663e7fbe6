"""Intake's lines on a case's timeline (registered into cases.timeline when the app is
ready): the referral a case came from, and a link back to it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.cases.constants import TimelineKind
from harbour.cases.timeline import label, line, link
from harbour.intake.constants import IntakeChannel, Source


@line(TimelineKind.REFERRAL, "accepted")
def _accepted(event, refs):
    return _("Referral accepted: %(source)s, by %(channel)s.") % {
        "source": label(Source, event.data["source"]),
        "channel": label(IntakeChannel, event.data["channel"]).lower(),
    }


@link("intake.referral")
def _referral_url(event):
    return reverse("intake:detail", kwargs={"referral_id": event.object_id})
