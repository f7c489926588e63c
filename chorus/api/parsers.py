"""The JSON body of every /cpro/ operation, refused beyond the operation's size cap.

DRF hands a JSONParser the whole body through Django's `request.body`, which fails with a
500 beyond DATA_UPLOAD_MAX_MEMORY_SIZE; any other parser gets the stream. Here the
Content-Length is
checked first, and a larger body is answered with a coded 413 without being read; a body
that lies about its length is read only up to the cap. Each view says its cap
(`CproView.max_body_bytes`) and how to fix a body over it (`CproView.body_too_large`).
"""

import io

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class CproJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        request, view = context["request"], context["view"]
        limit = view.max_body_bytes()
        length = _content_length(request)
        if length > limit:
            raise view.body_too_large(size=length, limit=limit)
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise view.body_too_large(size=len(data), limit=limit)
        try:
            return JSONParser().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("les tableaux ou objets y sont imbriqués trop profondément")
            ) from None
