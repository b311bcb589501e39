"""Confining a forked query process: no new sockets, and a memory cap.

The SERVICE check (kg.server.service) reads the query with another parser than pyoxigraph's,
so a text the two read differently could still make pyoxigraph call out. In the child that runs
the query, a seccomp filter makes ``socket``, ``socketpair`` and ``io_uring_setup`` (io_uring
can open sockets without ``socket``) fail, so such a call fails instead of reaching the host.
The filter needs Linux and libseccomp (through PyPI's ``pyseccomp``); where either is missing
the parser check still holds alone, and :func:`sandbox_unavailable_reason` says why.

The memory cap (``RLIMIT_AS``) lets a heavy query die in its child, not grow the server: Python
raises MemoryError, and pyoxigraph, whose allocations fail in Rust, aborts the child.

Intended call, first thing in the child (kg.server.limits ``_child``)::

    confine(max_memory_bytes, network=bool(endpoints))

where ``endpoints`` is what ``check_service`` returned for the query, so that only a query that
calls an allowed SERVICE may open sockets.
"""

from __future__ import annotations

import errno
import resource
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyseccomp import SyscallFilter

# socket() and socketpair() say "permission denied" (PermissionError in Python); io_uring says
# "not implemented", which runtimes read as "no io_uring here" and fall back from.
_BLOCKED = (("socket", errno.EACCES), ("socketpair", errno.EACCES), ("io_uring_setup", errno.ENOSYS))


def confine(max_memory_bytes: int | None, network: bool) -> None:
    """Confine this process for good: cap its address space at its current size plus
    ``max_memory_bytes`` (None: no cap), and unless ``network``, forbid new sockets.

    Without a sandbox here (see :func:`sandbox_unavailable_reason`) the sockets stay open.
    """
    if max_memory_bytes is not None:
        _cap_memory(_virtual_size() + max_memory_bytes)
    if not network and sandbox_unavailable_reason() is None:
        _no_sockets_filter(_seccomp()).load()


@cache
def sandbox_unavailable_reason() -> str | None:
    """Why new sockets cannot be forbidden here, or None when they can.

    Call it once at start-up (kg serve can print it): it also loads libseccomp before any fork.
    """
    if not sys.platform.startswith("linux"):
        return f"seccomp needs Linux, not {sys.platform}"
    try:
        _no_sockets_filter(_seccomp())  # built, not loaded: checks libseccomp knows each call
    except (ImportError, RuntimeError, OSError, ValueError) as err:
        return f"libseccomp is not usable ({err}); install libseccomp2 and pyseccomp"
    return None


def _seccomp() -> ModuleType:
    import pyseccomp  # raises RuntimeError at import when libseccomp.so is missing

    return pyseccomp


def _no_sockets_filter(seccomp: ModuleType) -> SyscallFilter:
    """A filter that allows every system call but those in ``_BLOCKED``."""
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name, error in _BLOCKED:
        rules.add_rule(seccomp.ERRNO(error), name)
    return rules


def _virtual_size() -> int:
    """This process's virtual memory size in bytes (``VmSize`` in /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise OSError("/proc/self/status has no VmSize line; the memory cap needs Linux's /proc")


def _cap_memory(limit: int) -> None:
    """Lower both the soft and the hard limit, so that the query cannot raise them again."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
