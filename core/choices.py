"""Labels of a field's choices, looked up in a dict made once per language.

Django's ``get_<field>_display()`` rebuilds a dict of the field's choices on every
call (hashing each lazy label); on pages and exports of thousands of rows that was a
sixth of the agenda page's render and half of the participants export.
"""

import functools

from django.db import models
from django.utils.translation import get_language


@functools.cache
def _labels(model: type[models.Model], field: str, language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def choice_label(model: type[models.Model], field: str, value) -> str:
    """What ``instance.get_<field>_display()`` says for ``value``, in the active language."""
    return _labels(model, field, get_language()).get(value, value)
