"""Uploaded files are written to disk as they arrive, and cut off at the largest file the
platform takes (FLOW_MAX_BYTES), so that neither memory nor disk holds more than that.

Django already keeps files over FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file; this handler,
first in FILE_UPLOAD_HANDLERS, stops reading a file past the limit and marks the request
(`request.upload_too_large`, the size announced by the client) so that the form says why.
Fields sent before the file (the CSRF token) are kept.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Multipart boundaries and the other fields around the file.
ENVELOPE_BYTES = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.announced = content_length
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.FLOW_MAX_BYTES:
            self.request.upload_too_large = max(self.announced or 0, self.received)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
