"""Portal uploads are streamed to disk and cut off at FLOW_MAX_BYTES: a 200 MB upload is never
held in memory, an oversized one is refused with its size and the limit."""

import tracemalloc

import pytest
from django.urls import reverse

from chorus.enums import Role
from invoices.models import Flow
from tests.chorus.factories import MembershipFactory, StructureFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("invoices:upload")
BOUNDARY = "limite-du-corps"


class MultipartStream:
    """A multipart body carrying one file of `size` zero bytes, produced as it is read."""

    def __init__(self, filename: str, size: int):
        self.parts = [
            (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'
            ).encode(),
            size,
            f"\r\n--{BOUNDARY}--\r\n".encode(),
        ]
        self.length = len(self.parts[0]) + size + len(self.parts[2])
        self.position = 0
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        remaining = self.length - self.position
        size = remaining if size is None or size < 0 else min(size, remaining)
        out = bytearray()
        head, zeros, tail = self.parts
        while len(out) < size:
            offset = self.position + len(out)
            if offset < len(head):
                out += head[offset : offset + size - len(out)]
            elif offset < len(head) + zeros:
                out += b"\0" * min(size - len(out), len(head) + zeros - offset)
            else:
                start = offset - len(head) - zeros
                out += tail[start : start + size - len(out)]
        self.position += len(out)
        self.read_bytes += len(out)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


@pytest.fixture
def client_in(client):
    user = MembershipFactory(structure=StructureFactory(), role=Role.UTILISATEUR).user
    client.force_login(user)
    return client


def _post(client, body: MultipartStream):
    return client.generic(
        "POST",
        UPLOAD,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )


def _peak(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_200_mb_upload_is_received_on_disk_not_in_memory(client_in):
    body = MultipartStream("lot.zip", 200 * 1024 * 1024)

    response, peak = _peak(lambda: _post(client_in, body))

    assert response.status_code == 302, response.content[:500]
    flow = Flow.objects.get()
    assert flow.received_file.size == 200 * 1024 * 1024
    assert peak < 20 * 1024 * 1024, f"{peak} bytes in memory for a 200 MB upload"


def test_an_upload_over_the_flow_limit_is_cut_off_and_refused_with_its_size(client_in, settings):
    settings.FLOW_MAX_BYTES = 1024 * 1024
    body = MultipartStream("lot.zip", 200 * 1024 * 1024)

    response, peak = _peak(lambda: _post(client_in, body))

    assert response.status_code == 400
    page = response.content.decode()
    assert "pèse 200,0\xa0Mio, au-delà de la limite de 1,0\xa0Mio par dépôt" in page
    assert "il n&#x27;a pas été reçu" in page
    assert body.read_bytes < 2 * 1024 * 1024, "reading stopped at the limit"
    assert peak < 5 * 1024 * 1024
    assert not Flow.objects.exists()
