"""Helpers shared by the tests of registrations/services/ (imported by name, not fixtures)."""

import datetime as dt

from django.utils import timezone

from mail.models import OutboxMessage
from registrations.models import Registration
from registrations.services import registration_create
from tests.factories import RegistrationFactory

Status = Registration.Status


def register(meeting, email="ane@example.org", **extra):
    data = {
        "meeting": meeting,
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": email,
        "consent_processing": True,
    }
    data.update(extra)
    return registration_create(**data)


def kinds(**filters):
    return list(OutboxMessage.objects.filter(**filters).values_list("kind", flat=True))


def waitlisted(meeting, minutes_ago, **extra):
    return RegistrationFactory(
        meeting=meeting,
        status=Status.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **extra,
    )
