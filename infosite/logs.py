"""Log lines for faults that repeat at every request or probe while they last
(a cache or database away): said once, then at most once a minute."""

import threading
import time


class NowAndThen:
    """A logger's warnings about one fault or another, each at most once every
    ``seconds`` in this process, whatever the number of threads."""

    def __init__(self, logger, seconds=60):
        self.logger = logger
        self.seconds = seconds
        self._last = {}
        self._lock = threading.Lock()

    def warning(self, fault, message, *args, **kwargs):
        """Log ``message`` unless ``fault`` was logged less than ``seconds`` ago."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(fault)
            if last is not None and now - last < self.seconds:
                return
            self._last[fault] = now
        self.logger.warning(message, *args, **kwargs)

    def forget(self):
        """Log the next fault at once (for tests that look for the line)."""
        with self._lock:
            self._last.clear()
