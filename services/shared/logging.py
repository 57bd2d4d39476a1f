"""One log format for every Sitrep process: time, process role, level, message."""

from __future__ import annotations

import logging
import sys


def configure_logging(role: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(asctime)s {role:<9} %(levelname)-5s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka is chatty at INFO about every coordinator step; its warnings still show.
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # One line per HTTP request would drown the start-up messages.
    logging.getLogger("httpx").setLevel(logging.WARNING)
