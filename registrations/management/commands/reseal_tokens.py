"""Re-seal every registration's tokens under the current SECRET_KEY (docs/deployment.md)."""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand
from django.db import transaction

from registrations.models import Registration
from registrations.tokens import reseal

FIELDS = ("token_sealed", "feed_token_sealed")


class Command(BaseCommand):
    help = (
        "Seal every registration's private-link and feed tokens again under SECRET_KEY, "
        "so the old key can leave SECRET_KEY_FALLBACKS. The tokens do not change; rows "
        "already sealed under SECRET_KEY are left alone, so it can be run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        changed = unchanged = 0
        unreadable = []
        last_pk = 0
        while True:
            # Each batch locked while it is re-sealed: a link reset at the same moment
            # waits for it (or it for the reset) instead of being overwritten.
            with transaction.atomic():
                rows = list(
                    Registration.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", *FIELDS)[:batch_size]
                )
                if not rows:
                    break
                last_pk = rows[-1].pk
                resealed = []
                for row in rows:
                    try:
                        seals = {field: reseal(getattr(row, field)) for field in FIELDS}
                    except InvalidToken:
                        unreadable.append(row.pk)
                        continue
                    if not any(seals.values()):
                        unchanged += 1
                        continue
                    for field, seal in seals.items():
                        if seal is not None:
                            setattr(row, field, seal)
                    resealed.append(row)
                Registration.objects.bulk_update(resealed, FIELDS)
                changed += len(resealed)
        self.stdout.write(
            f"Re-sealed {changed} registrations under SECRET_KEY; "
            f"{unchanged} were already sealed under it."
        )
        if unreadable:
            self.stderr.write(
                f"{len(unreadable)} registrations have seals no key opens, left as they are "
                f"(their links answer 404; put the key they were sealed with back into "
                f"SECRET_KEY_FALLBACKS and run this again): ids {', '.join(map(str, unreadable))}"
            )
