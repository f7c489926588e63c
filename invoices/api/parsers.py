"""JSON bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE, for the operations that carry files.

DRF reads a JSON body through `request.body`, which Django caps at
DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default) for every form of the site; a deposit
carries its file in base64 inside the JSON. This parser reads the stream itself, with the
operation's own cap (`max_body_bytes` on the view), and refuses a larger body with a coded
413 before reading it.
"""

from rest_framework.parsers import BaseParser, JSONParser

from invoices.api import errors

# Room for the other fields around the base64 content.
ENVELOPE_BYTES = 64 * 1024


def body_limit(file_limit: int) -> int:
    """The largest body for a file of `file_limit` bytes sent in base64 (4 bytes for 3)."""
    return -(-file_limit // 3) * 4 + ENVELOPE_BYTES


class UploadJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        request, view = context["request"], context["view"]
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = view.max_body_bytes()
        if length > limit:
            raise errors.CproError(errors.REQUEST_TOO_LARGE, size=length, limit=limit)
        return JSONParser().parse(stream, media_type, parser_context)
