"""System checks that refuse a production set-up which would leak the private links."""

from django.conf import settings
from django.core.checks import Error, Tags, register

EMBEDDED_EMAIL_BACKEND = "config.mail.ConsoleAndFileBackend"


@register(Tags.security, deploy=True)
def email_is_delivered(app_configs, **kwargs) -> list[Error]:
    """``check --deploy`` fails with DEBUG off and no EMAIL_HOST: the embedded backend
    would keep every email, each with a private link, in files instead of sending it."""
    if settings.DEBUG or settings.EMAIL_BACKEND != EMBEDDED_EMAIL_BACKEND:
        return []
    return [
        Error(
            "EMAIL_HOST is not set while DEBUG is off: no email would be sent, and every "
            "email, with the participant's private link, would be written to the server's "
            "disk instead.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_USE_TLS, EMAIL_HOST_USER, "
            "EMAIL_HOST_PASSWORD) as docs/deployment.md shows, or DEBUG=1 for development.",
            id="registrations.E001",
        )
    ]
