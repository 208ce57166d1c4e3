from django.db import migrations

from registrations.tokens import new_token, seal, token_hash, unseal


def forwards(apps, schema_editor):
    """Each private link keeps working (its token is hashed and sealed, not changed);
    each registration gets its own new calendar-feed token."""
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.only("pk", "token").iterator(chunk_size=500):
        feed = new_token()
        Registration.objects.filter(pk=registration.pk).update(
            token_hash=token_hash(registration.token),
            token_sealed=seal(registration.token),
            feed_token_hash=token_hash(feed),
            feed_token_sealed=seal(feed),
        )


def backwards(apps, schema_editor):
    """Back to the clear-text column: the private links still work, the feeds use them again."""
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.only("pk", "token_sealed").iterator(chunk_size=500):
        Registration.objects.filter(pk=registration.pk).update(
            token=unseal(registration.token_sealed)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0009_tokens_hashed_add"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
