"""The one view that serves every registered exporter."""

import gc
import logging
from contextlib import contextmanager

from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from agenda.exporters.base import BaseExporter, ExportError, exporters
from agenda.exporters.selectors import Version
from core.throttling import CalendarFeedThrottle, is_throttled

PUBLIC_MAX_AGE = 300  # seconds; subscribed clients then revalidate with If-None-Match
EXPOSED_HEADERS = "ETag, Last-Modified, Content-Disposition"
CACHE_SECONDS = 3600

logger = logging.getLogger(__name__)


@contextmanager
def gc_paused():
    """No cyclic garbage collection while an export is built.

    A build allocates hundreds of thousands of short-lived, acyclic objects (freed by
    reference counting); each allocation burst would otherwise start collections that
    walk the whole process heap. Collection resumes, and catches up, right after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(exporter: BaseExporter, version: Version) -> bytes:
    with gc_paused():
        return exporter.get_data(version)


def data(exporter: BaseExporter, version: Version, etag: str) -> bytes:
    """The export's bytes, built once per ETag.

    After a change, the first client to poll builds the export and the others
    get it from the cache (Redis in production). A cache outage only costs time.
    """
    key = f"export:{etag.strip(chr(34))}"
    try:
        content = cache.get(key)
    except Exception:  # the cache is an optimisation: never fail a feed because of it
        logger.warning("Export cache unavailable", exc_info=True)
        return build(exporter, version)
    if content is None:
        content = build(exporter, version)
        try:
            cache.set(key, content, CACHE_SECONDS)
        except Exception:
            logger.warning("Export cache unavailable", exc_info=True)
    return content


@require_safe
def export(request: HttpRequest, identifier: str, **kwargs) -> HttpResponse:
    exporter = exporters[identifier](request, **kwargs)
    if not exporter.public:
        # Private feeds are reached by a token: limit how fast one address may try tokens.
        wait = is_throttled(request, CalendarFeedThrottle)
        if wait is not None:
            response = HttpResponse(
                "Too many requests; try again later.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
    try:
        exporter.prepare()
    except ExportError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    version = exporter.version()
    etag = quote_etag(exporter.etag(version))
    last_modified = int(version.last_modified.timestamp())
    # A matching If-None-Match / If-Modified-Since is answered before building anything.
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        if request.method == "HEAD":
            # A client checking for changes gets the headers without the build (and
            # without a misleading Content-Length: 0).
            response = StreamingHttpResponse(iter(()), content_type=exporter.content_type)
        else:
            response = HttpResponse(
                data(exporter, version, etag), content_type=exporter.content_type
            )
        response["Content-Disposition"] = f'{exporter.disposition}; filename="{exporter.filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if exporter.public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    else:
        patch_cache_control(response, private=True, no_cache=True)
        response["Referrer-Policy"] = "no-referrer"
    return response
