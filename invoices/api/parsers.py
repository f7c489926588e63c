"""The body caps of the operations that carry a file in base64 inside their JSON.

Django caps form bodies at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), which every other /cpro/
operation keeps (`chorus.api.parsers`); a deposit carries its whole file, 4 bytes of base64
for 3. Such a body is decoded in memory, so the API takes files up to API_UPLOAD_MAX_BYTES:
larger flows go through the portal or the EDI channel, which write them to disk.
"""

from django.conf import settings

# Room for the other fields around the base64 content.
ENVELOPE_BYTES = 64 * 1024


def api_flow_limit() -> int:
    """The largest flow file the API deposit takes."""
    return min(settings.FLOW_MAX_BYTES, settings.API_UPLOAD_MAX_BYTES)


def body_limit(file_limit: int) -> int:
    """The largest body for a file of `file_limit` bytes sent in base64 (4 bytes for 3)."""
    return -(-file_limit // 3) * 4 + ENVELOPE_BYTES
