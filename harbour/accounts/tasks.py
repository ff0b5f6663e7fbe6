"""Background work of the accounts app, run by `harbour worker`."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from harbour.accounts.models import Organisation, User


@task()
def send_welcome_email(user_id: int, organisation_id: int) -> None:
    """Tell a new staff user they have an account, with a link to choose a password.
    Nothing about any victim is ever in it."""
    user = User.objects.get(pk=user_id)
    org = Organisation.objects.get(pk=organisation_id)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "organisation": org, "link": settings.SITE_ROOT + path}
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/welcome_body.txt", context)
    send_mail(subject, body, None, [user.email])
