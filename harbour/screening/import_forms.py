from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.screening.constants import SourceFormat


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File from the records system"),
        error_messages={
            "required": _("Choose the file to import."),
            "empty": _("The file is empty."),
        },
    )
    source_format = forms.ChoiceField(
        label=_("Format"),
        choices=SourceFormat.choices,
        error_messages={"required": _("Choose the file’s format.")},
        help_text=_("docs/format-occurrences.md describes Harbour’s CSV and JSON formats."),
    )
