"""The public version on a small file every process of the site on one machine
maps into its memory: the web workers, the task worker and the scheduled
commands. Reading it is a memory read, where asking the database is a round
trip; the page cache (``articles/pagecache.py``) uses it as it uses the number
in Redis.

The file holds 16 bytes: a mark, the version, and a checksum of both. A writer
replaces all 16 at once under an exclusive ``flock``; a reader takes no lock and
tries again when the checksum does not match (it caught a write half done). A
file of zeros holds no number yet.

Only a file that is this process's user's own, a regular file, and writable by
no one else is trusted: anyone who could write it could hide a publish.
"""

import fcntl
import mmap
import os
import stat
import threading
import zlib

SIZE = 16
MARK = b"ipv1"
EMPTY = bytes(SIZE)


class BoardUnusable(Exception):
    """The board cannot be trusted or used; the message says why."""


def _packed(version):
    head = MARK + version.to_bytes(8, "little")
    return head + zlib.crc32(head).to_bytes(4, "little")


class VersionBoard:
    """One site's board, at ``path``: created (mode 0600) when missing."""

    def __init__(self, path):
        self.path = path
        self._raising = threading.Lock()  # flock does not stop this process's threads.
        self._fd = os.open(
            path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
        try:
            self._check_owner()
            with self._locked():
                size = os.fstat(self._fd).st_size
                if size == 0:
                    # Written, not truncated: a full /dev/shm fails here with
                    # an error, not later with a signal when the page is touched.
                    os.pwrite(self._fd, EMPTY, 0)
                elif size != SIZE:
                    raise BoardUnusable(f"{path} is {size} bytes, not {SIZE}")
            self._map = mmap.mmap(self._fd, SIZE, mmap.MAP_SHARED)
            self._file = os.fstat(self._fd)
        except BaseException:
            os.close(self._fd)
            raise

    def _check_owner(self):
        found = os.fstat(self._fd)
        if not stat.S_ISREG(found.st_mode):
            raise BoardUnusable(f"{self.path} is not a regular file")
        if found.st_uid != os.geteuid():
            raise BoardUnusable(
                f"{self.path} belongs to user {found.st_uid}, "
                f"not to this process's user ({os.geteuid()})"
            )
        if found.st_mode & 0o022:
            raise BoardUnusable(f"{self.path} is writable by other users")

    def _locked(self):
        return _Flock(self._fd)

    def read(self):
        """The number on the board, or None when it has none yet. Raises
        BoardUnusable when what it holds is not a board's."""
        for _attempt in range(3):
            found = self._map[:SIZE]
            if zlib.crc32(found[:12]) == int.from_bytes(found[12:], "little"):
                if found[:4] == MARK:
                    return int.from_bytes(found[4:12], "little")
            elif found == EMPTY:
                return None
        raise BoardUnusable(f"{self.path} holds something other than a version")

    def raise_to(self, version):
        """Put ``version`` on the board unless it holds a larger number."""
        with self._raising, self._locked():
            try:
                held = self.read()
            except BoardUnusable:
                held = None  # Spoilt: the caller's number is a true one.
            if held is None or held < version:
                self._map[:SIZE] = _packed(version)

    def lower(self, seen, version):
        """Replace ``seen`` with the smaller ``version``, only if the board
        still holds ``seen``: for a database restored from a backup."""
        with self._raising, self._locked():
            if self.read() != seen:
                return False
            self._map[:SIZE] = _packed(version)
            return True

    def replaced(self):
        """Whether the path now names another file (removed, made again) or none."""
        try:
            now = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return True
        return (now.st_dev, now.st_ino) != (self._file.st_dev, self._file.st_ino)

    def close(self):
        self._map.close()
        os.close(self._fd)


class _Flock:
    def __init__(self, fd):
        self.fd = fd

    def __enter__(self):
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
