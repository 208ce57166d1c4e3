"""What every form page shows after a failed submit: the error summary.

Here, in the lowest app with templates, so that every app's pages (and the login page)
can load it. The fields themselves follow Django's own convention, which ``{{ field }}``
already points ``aria-describedby`` at: the help text's id is ``<field id>_helptext`` and
``{{ field.errors }}`` renders the error list with the id ``<field id>_error``.
"""

from django import template
from django.forms import BaseForm

register = template.Library()


def summary_items(form: BaseForm) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for each error of a bound form, in the form's field order
    and the form-wide ones first. ``anchor`` is the id of the control to go to (a group of
    boxes: its fieldset, which carries the field's id), empty when there is none."""
    items = [("", "", message) for message in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            items += [("", "", message) for message in field.errors]
            continue
        anchor = field.id_for_label or field.auto_id or ""
        # A label that is a sentence (a consent box) loses its full stop before the colon.
        label = str(field.label or "").rstrip(" .:")
        items += [(anchor, label, message) for message in field.errors]
    return items


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms) -> dict:
    """``{% error_summary form other_form %}``: one summary of the errors of whichever of
    the forms were submitted and refused. Each argument is a form, a list of forms (a page
    with a form per item), or anything else (a name missing from the context: skipped, as
    are unbound forms)."""
    items = []
    for argument in forms:
        for form in argument if isinstance(argument, list | tuple) else [argument]:
            if isinstance(form, BaseForm) and form.is_bound and form.errors:
                items += summary_items(form)
    return {"items": items}
