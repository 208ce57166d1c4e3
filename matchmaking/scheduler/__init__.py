"""The automatic scheduler's core: pure Python, no Django (the service reads the database
into a ``Problem`` and writes the ``Result`` back: ``matchmaking/services/scheduling.py``).

- ``problem``: what an instance is (sessions, slots, tables, requests, fixed meetings,
  where people are busy), and what a schedule is (``Placement``);
- ``greedy``: the "first free slot" pass, always valid, the fallback and the baseline;
- ``solver``: OR-Tools CP-SAT, most meetings first, then fewer idle gaps and the
  preferred sessions, with a proven upper bound;
- ``check``: an independent checker of every rule, for the tests and the benchmark.
"""
