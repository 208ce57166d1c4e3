"""Text hygiene that every app shares: what a one-line field may hold, how long a long
text may be, and how text is made safe when an email or a calendar is built.

One-line fields (titles, names, job titles …) go into email subjects, calendar
properties and page titles, where a line break splits a header or a content line
and a direction override makes a subject read differently from its text. So they
refuse such characters when they are written (:func:`validate_one_line`), and the
builders still pass every one-line value through :func:`one_line`, because rows
written before the rule may hold them. Multi-line fields (descriptions, abstracts,
biographies, message bodies) keep their line breaks.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Line breaks and the other C0 and C1 controls (CR, LF, TAB, BEL, ESC, NEL …), DEL,
# and the Unicode line and paragraph separators.
_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
# Zero-width characters and marks (U+200B–U+200F, the word joiner and invisible
# operators U+2060–U+2064, the BOM U+FEFF) and the bidirectional marks, embeddings,
# overrides and isolates (U+061C, U+202A–U+202E, U+2066–U+2069).
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"

UNSAFE_ONE_LINE = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
# In multi-line text a line break and a tab are text; the other controls are not.
_UNSAFE_MULTI_LINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")

# The most a description, abstract or biography may hold: a long abstract is about
# 3,000 characters; a megabyte is an attack on every page and feed that shows it.
LONG_TEXT_MAX_LENGTH = 10_000


def validate_one_line(value: str) -> None:
    if UNSAFE_ONE_LINE.search(value):
        raise ValidationError(
            _(
                "Use one line of plain text: no line breaks, control characters or "
                "invisible direction marks."
            ),
            code="unsafe_characters",
        )


def long_text_validators() -> list:
    """The validators of a multi-line text field (``TextField`` does not check its max_length)."""
    return [MaxLengthValidator(LONG_TEXT_MAX_LENGTH)]


def nfc(value: str) -> str:
    """Unicode NFC: "é" typed as one character or as "e" plus an accent is the same text."""
    return unicodedata.normalize("NFC", value)


def one_line(value: str | None) -> str:
    """``value`` made safe for a header, a calendar property or a title, whatever it holds.

    Controls become spaces, invisible marks go, runs of whitespace become one space.
    """
    value = _CONTROL.sub(" ", nfc(value or ""))
    return " ".join(_INVISIBLE_CHAR.sub("", value).split())


def multi_line(value: str | None) -> str:
    """``value`` with its line breaks (as LF) and tabs, without other controls or marks."""
    value = nfc(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_MULTI_LINE.sub("", value.replace("\u2028", "\n").replace("\u2029", "\n\n"))


def is_ip_literal_email(email: str) -> bool:
    """True for "ana@[127.0.0.1]" or "ana@[IPv6:::1]": a domain literal, which Django accepts."""
    domain = email.rpartition("@")[2]
    return domain.startswith("[") and domain.endswith("]")


def validate_email_domain_name(value: str) -> None:
    if is_ip_literal_email(value):
        raise ValidationError(
            _("Use an email address with a domain name, not an IP address."),
            code="ip_literal",
        )
