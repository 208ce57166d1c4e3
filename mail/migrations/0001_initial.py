"""OutboxMessage moves here from registrations without moving a row.

Only the migration state changes (``SeparateDatabaseAndState``): the table
keeps its name ``registrations_outboxmessage``, its index ``outbox_pending``
and its constraint ``outbox_sent_has_time``; registrations.0014 then drops the
model from its own state. The content type is renamed in place, so the view
and change permissions already given to organizers keep pointing at it.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to(app_label, other):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if ContentType.objects.filter(app_label=app_label, model="outboxmessage").exists():
            return  # already made by a post_migrate: nothing to keep
        ContentType.objects.filter(app_label=other, model="outboxmessage").update(
            app_label=app_label
        )

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agenda', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('events', '0001_initial'),
        ('registrations', '0013_registration_meeting_holds_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('registration_received', 'Registration received'), ('registration_confirmed', 'Registration confirmed'), ('registration_waitlisted', 'Registration waitlisted'), ('registration_promoted', 'Seat from the waitlist'), ('registration_rejected', 'Registration rejected'), ('registration_cancelled', 'Registration cancelled'), ('registration_hold_released', 'Held seat released'), ('private_link', 'Private link'), ('booking_confirmed', 'Session booked'), ('booking_waitlisted', 'Session waitlisted'), ('booking_promoted', 'Session seat from the waitlist'), ('booking_cancelled', 'Session booking cancelled'), ('agenda_update', 'Agenda change'), ('meeting_cancelled', 'Meeting cancelled'), ('meeting_reminder', 'Meeting reminder'), ('participant_message', 'Message to participants')], max_length=40, verbose_name='kind')),
                        ('recipient', models.EmailField(max_length=254, verbose_name='recipient')),
                        ('payload', models.JSONField(blank=True, default=dict)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=20, verbose_name='status')),
                        ('attempts', models.PositiveIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('send_after', models.DateTimeField(blank=True, null=True)),
                        ('dedupe_key', models.CharField(max_length=200, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outbox_messages', to='events.meeting')),
                        ('participant_message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outbox_messages', to='registrations.participantmessage')),
                        ('registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outbox_messages', to='registrations.registration')),
                        ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outbox_messages', to='agenda.session')),
                    ],
                    options={
                        'verbose_name': 'outbox message',
                        'verbose_name_plural': 'outbox messages',
                        'db_table': 'registrations_outboxmessage',
                        'ordering': ['created_at', 'pk'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='outbox_pending')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='outbox_sent_has_time')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_type_to("mail", "registrations"),
            content_type_to("registrations", "mail"),
        ),
    ]
