from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`): the top layer, free to use every app below."""

    name = "demo"
