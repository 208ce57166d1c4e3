from django.db import migrations, models


class Migration(migrations.Migration):
    """The clear-text token column goes; the hashes become the unique lookups."""

    dependencies = [
        ("registrations", "0010_tokens_hashed_fill"),
    ]

    operations = [
        # Reversed, the column comes back empty; 0010's backwards writes each
        # registration's own token into it.
        migrations.RemoveField(model_name="registration", name="token"),
        migrations.AlterField(
            model_name="registration",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="registration",
            name="feed_token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
