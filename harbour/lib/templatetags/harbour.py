"""Template helpers for rendering forms in the design system's markup."""

from django import forms, template

register = template.Library()

CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
}


@register.simple_tag
def usa_widget(field):
    """Render a bound field's widget with USWDS classes and its hint and error wired to it
    for screen readers (aria-describedby, aria-invalid)."""
    widget = field.field.widget
    css = next((c for kind, c in CLASSES.items() if isinstance(widget, kind)), "usa-input")
    if field.errors:
        css += " usa-input--error"
    attrs = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
