"""Upload size limits enforced while the body is read, not after it has been spooled to disk.

Django's own handlers write every uploaded file whole (to memory or a temporary file) before a
form can look at its size, so a 2 GB upload fills the disk before the form says "too large".
``LimitedUploadHandler`` stands first in ``FILE_UPLOAD_HANDLERS`` and counts the bytes of each
file as they arrive:

- past ``settings.UPLOAD_MAX_BYTES`` the rest of that file is passed to no other handler (so
  nothing more of it is kept anywhere) and the form receives an ``OversizedUpload`` of the real
  size and no content: its upload check says "too large" next to the field and the rest of the
  form is kept as typed (the remaining body is bounded by ``REQUEST_MAX_BYTES``, checked
  against ``Content-Length`` before reading);
- past ``settings.REQUEST_MAX_BYTES`` for all files together (a body sent without a length)
  reading stops at once; ``request.upload_refused`` tells
  ``core.middleware.HostileInputMiddleware`` to answer with the 413 page instead of the view.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class OversizedUpload(UploadedFile):
    """A file that was not kept because it was larger than allowed: its name and real size
    (what the upload checks report), no content."""

    def __init__(self, *, name: str, size: int, content_type: str = ""):
        super().__init__(io.BytesIO(b""), name, content_type, size, None)


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.file_bytes = 0
        self.total_bytes = 0
        self.oversized = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        self.total_bytes += len(raw_data)
        if self.total_bytes > settings.REQUEST_MAX_BYTES:
            if self.request is not None:
                self.request.upload_refused = {"name": self.file_name or ""}
            # connection_reset: Django then reads no further (it would otherwise drain the rest).
            raise StopUpload(connection_reset=True)
        if self.file_bytes > settings.UPLOAD_MAX_BYTES:
            self.oversized = True
            return None  # the next handlers get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(
                name=self.file_name or "", size=self.file_bytes, content_type=self.content_type
            )
        return None  # the next handler (memory or temporary file) makes the file
