"""Admin for the email outbox: organizers see failed emails with their error."""
