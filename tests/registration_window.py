"""One unsaved meeting with a registration window, shared by the registration-phase tests.

A published meeting in Madrid on 10–11 April 2030 (CEST, UTC+2), registration
open from 1 March 09:00 UTC to 1 April 09:00 UTC.
"""

import datetime as dt

from events.models import Meeting

UTC = dt.UTC
OPENS = dt.datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
CLOSES = dt.datetime(2030, 4, 1, 9, 0, tzinfo=UTC)
# The meeting's first instant: midnight of 10 April in Madrid.
STARTS = dt.datetime(2030, 4, 9, 22, 0, tzinfo=UTC)
# Midnight after the last day (11 April) in Madrid: from here on the meeting is over.
ENDS = dt.datetime(2030, 4, 11, 22, 0, tzinfo=UTC)


def meeting(**fields) -> Meeting:
    """The unsaved meeting, with ``fields`` changed."""
    values = {
        "status": Meeting.Status.PUBLISHED,
        "timezone": "Europe/Madrid",
        "starts_on": dt.date(2030, 4, 10),
        "ends_on": dt.date(2030, 4, 11),
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
    }
    return Meeting(**(values | fields))
