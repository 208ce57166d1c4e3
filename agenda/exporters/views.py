"""The one view that serves every registered exporter."""

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from agenda.exporters.base import ExportError, exporters

PUBLIC_MAX_AGE = 300  # seconds; subscribed clients then revalidate with If-None-Match
EXPOSED_HEADERS = "ETag, Last-Modified, Content-Disposition"


@require_safe
def export(request: HttpRequest, identifier: str, **kwargs) -> HttpResponse:
    exporter = exporters[identifier](request, **kwargs)
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
            response = HttpResponse(exporter.get_data(version), content_type=exporter.content_type)
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
