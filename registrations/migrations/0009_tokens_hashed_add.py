from django.db import migrations, models


class Migration(migrations.Migration):
    """Issue 9: the tokens' hashed and sealed columns (filled by 0010, made unique by 0011)."""

    dependencies = [
        ("registrations", "0008_text_hygiene"),
    ]

    # The sealed columns default to "" in the database until 0011, so processes still
    # running the old code (which knows only ``token``) can insert rows meanwhile.
    operations = [
        # No longer unique nor generated: only 0010 reads it, and so a reversal
        # can bring the column back empty for 0010 to fill.
        migrations.AlterField(
            model_name="registration",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="registration",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="registration",
            name="token_sealed",
            field=models.TextField(db_default="", editable=False),
        ),
        migrations.AddField(
            model_name="registration",
            name="feed_token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="registration",
            name="feed_token_sealed",
            field=models.TextField(db_default="", editable=False),
        ),
    ]
