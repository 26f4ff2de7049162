"""What the assets services share: file kinds and the log (a part of assets.services)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
ASSET_FILE_KINDS = ("pdf", "png", "jpeg", "docx", "odt", "xlsx", "ods")
