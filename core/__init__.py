"""The lowest layer: what every app may use and that knows no app (errors, locking, throttling).

It imports nothing from the project's apps; import-linter holds it to that.
"""
