"""OutboxMessage now belongs to the mail app (mail.0001): drop it from this app's state only.

The table, its rows, index and constraint stay as they are (mail's model
names the same table).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mail', '0001_initial'),
        ('registrations', '0013_registration_meeting_holds_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='OutboxMessage')],
            database_operations=[],
        ),
    ]
