"""Views of the workspace, one module per page family; each takes the meeting through
``events.decorators.organizer_required`` and calls selectors and services."""
