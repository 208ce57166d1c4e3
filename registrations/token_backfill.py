"""Filling the hashed and sealed token columns from the clear-text one (migrations 0010, 0011).

In batches, each committed on its own when the caller is not inside a transaction
(0010), so a large table is never locked row by row for the whole migration.
"""

from django.db import transaction

from registrations.tokens import new_token, seal, token_hash, unseal

BATCH_SIZE = 1000


def _batches(queryset, *, batch_size: int):
    """Rows of ``queryset`` by primary key, ``batch_size`` at a time, each in a transaction."""
    last_pk = None
    while True:
        with transaction.atomic(using=queryset.db):
            page = queryset.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            rows = list(page[:batch_size])
            if not rows:
                return
            yield rows
        last_pk = rows[-1].pk


def fill_hashes(model, *, using: str, batch_size: int = BATCH_SIZE) -> int:
    """Hash and seal every clear-text token whose hash is missing or stale; returns how many.

    A stale hash is a token an old process changed after the hash was made. Each
    private link keeps working (its token is hashed and sealed, not changed); a
    registration without a feed token gets its own new one.
    """
    changed = 0
    queryset = model.objects.using(using).filter(token__isnull=False)
    for rows in _batches(
        queryset.only("pk", "token", "token_hash", "feed_token_hash"), batch_size=batch_size
    ):
        stale = [row for row in rows if row.token_hash != token_hash(row.token)]
        for row in stale:
            row.token_hash = token_hash(row.token)
            row.token_sealed = seal(row.token)
            if row.feed_token_hash is None:
                feed = new_token()
                row.feed_token_hash = token_hash(feed)
                row.feed_token_sealed = seal(feed)
        model.objects.using(using).bulk_update(
            stale, ["token_hash", "token_sealed", "feed_token_hash", "feed_token_sealed"]
        )
        changed += len(stale)
    return changed


def unseal_tokens(model, *, using: str, batch_size: int = BATCH_SIZE) -> None:
    """Back to the clear-text column: each registration's own private-link token."""
    queryset = model.objects.using(using).exclude(token_sealed="")
    for rows in _batches(queryset.only("pk", "token_sealed"), batch_size=batch_size):
        for row in rows:
            row.token = unseal(row.token_sealed)
        model.objects.using(using).bulk_update(rows, ["token"])
