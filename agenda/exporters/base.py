"""The exporter plugin API: a base class, a registry and the error for bad parameters.

A concrete exporter is mostly declarations plus :meth:`BaseExporter.get_data`;
``agenda/exporters/views.py`` serves every registered exporter the same way
(content type, Content-Disposition, CORS, ETag/Last-Modified and 304).
"""

import hashlib

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from agenda.exporters.selectors import Version

# Bump when the output format changes, so cached copies are not revalidated as current.
FORMAT_VERSION = "1"


class ExportError(Exception):
    """Bad parameters (an unknown filter value): answered with 400 and this message."""


class BaseExporter:
    """One downloadable or subscribable export.

    Subclasses declare:

    - ``identifier``: registry key and URL name, e.g. ``"agenda-ics"``.
    - ``content_type``: the HTTP Content-Type of :meth:`get_data`.
    - ``extension``: file name extension for Content-Disposition, e.g. ``"ics"``.
    - ``public``: True for public exports (CORS ``*``, cacheable by shared caches);
      False for personal data (no CORS, ``Cache-Control: private``).
    - ``disposition``: ``"attachment"`` (save as a file) or ``"inline"``.

    and implement :meth:`prepare` (resolve and check the URL's objects and the
    query string, cheaply), :meth:`version` (one cheap fingerprint query) and
    :meth:`get_data` (build the export; only called when the client's copy is stale).
    """

    identifier: str = ""
    content_type: str = ""
    extension: str = ""
    public: bool = True
    disposition: str = "attachment"

    def __init__(self, request: HttpRequest, **kwargs) -> None:
        self.request = request
        self.kwargs = kwargs

    def prepare(self) -> None:
        """Load what the URL names; raise Http404 or :class:`ExportError`."""

    @property
    def filename(self) -> str:
        raise NotImplementedError

    def version(self) -> Version:
        raise NotImplementedError

    def get_data(self, version: Version) -> bytes:
        raise NotImplementedError

    def etag(self, version: Version) -> str:
        """Strong ETag: same identifier, parameters, language and data version, same bytes."""
        key = "\n".join(
            [
                FORMAT_VERSION,
                settings.SITE_URL,
                self.identifier,
                self.request.get_full_path(),
                # Labels such as the session kind are translated: in the default language,
                # as the exports' URLs carry none (config/language.py).
                translation.get_language() or "",
                version.token,
            ]
        )
        return hashlib.sha256(key.encode()).hexdigest()[:40]


exporters: dict[str, type[BaseExporter]] = {}


def register(cls: type[BaseExporter]) -> type[BaseExporter]:
    """Class decorator adding an exporter to the registry under its identifier."""
    if not cls.identifier or cls.identifier in exporters:
        raise ValueError(f"Exporter identifier {cls.identifier!r} is empty or taken.")
    exporters[cls.identifier] = cls
    return cls
