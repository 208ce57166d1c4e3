"""SQLite for the embedded mode: the file's directory is made when it is first opened.

Reading the settings creates nothing (a test run, ``check``, a PostgreSQL
deployment never touch var/), yet ``migrate`` on a fresh clone still finds a
place for its database file.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        database = str(conn_params["database"])
        if not self.is_in_memory_db() and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
