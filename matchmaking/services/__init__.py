"""Every write about B2B meetings, split along the domain.

- ``setup``: the organizers' settings, sectors, matchmaking sessions, slots and tables;
- ``profiles``: a person's profile, its marketplace entries, validation;
- ``requests``: meeting requests and the meetings they become;
- ``placing``: the organizers lock a meeting in place or place one at the first free place;
- ``refusals``: what a refused placement clashes with, in words (for the organizers);
- ``locking``: the one transaction that locks people and slots, in a fixed order.
"""
