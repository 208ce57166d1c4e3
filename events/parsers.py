"""The API's JSON parser: a body nested too deeply for the parser is a 400, not a 500."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which answers 400 to JSON nested beyond Python's recursion limit.

    ``json.loads`` raises RecursionError (not ValueError) at about a thousand levels;
    no field of this API nests more than a few.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error: the body is nested too deeply.")) from exc
