"""One writer per store folder: ``kg build`` holds a lock file beside the store while it writes.

The lock is an advisory ``flock`` on ``<store>.lock``, so it goes with the process that holds
it: a killed build leaves no stale lock. The file keeps the holder's process id for messages.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from kg.errors import RunError


def lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".lock")


class StoreLock:
    """Held while writing the store folder ``store_path`` (which need not exist yet)."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.path = lock_path(store_path)
        self._fd: int | None = None

    def __enter__(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise RunError(f"another kg build is writing {self.store_path} (pid {holder or 'unknown'}); "
                          "wait for it to finish, or build into another --store") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the last descriptor releases the lock
            self._fd = None


def writer(store_path: Path) -> int | None:
    """The process id of the build writing ``store_path`` now (0 if unknown), or None."""
    try:
        fd = os.open(lock_path(store_path), os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_pid(fd) or 0
    finally:
        os.close(fd)
    return None


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
