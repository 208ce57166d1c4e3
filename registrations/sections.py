"""Sections that apps above registrations add to the private link page.

The private link is the participant's home at a meeting. An app above this one
(matchmaking's B2B meetings) adds its part without registrations importing it:
in its ``AppConfig.ready()`` it registers a ``PrivateLinkSection``, whose
``context(registration)`` says what to show (or None: nothing for this person)
and whose ``template`` shows it. The page includes each in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from registrations.models import Registration


@dataclass(frozen=True)
class PrivateLinkSection:
    template: str
    context: Callable[[Registration], dict | None]


private_link_sections: list[PrivateLinkSection] = []


def private_link_section_register(section: PrivateLinkSection) -> None:
    if section not in private_link_sections:
        private_link_sections.append(section)


def private_link_sections_for(registration: Registration) -> list[tuple[str, dict]]:
    """(template, context) of each section that has something for this person."""
    shown = []
    for section in private_link_sections:
        context = section.context(registration)
        if context is not None:
            shown.append((section.template, context))
    return shown
