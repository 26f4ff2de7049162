import logging
import time


class UTCFormatter(logging.Formatter):
    """Log times in UTC (SECURITY.md: logs in UTC)."""

    converter = time.gmtime
