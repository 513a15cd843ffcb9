"""Files written whole or not at all: a temporary file beside the target, renamed into place.

Every file oncograph writes (dumps, exports, pictures, tables, releases) goes through
:func:`atomic_write` or :func:`atomic_path`: the data goes to a temporary file in the
target's folder, is flushed to disk, and replaces the target in one ``rename``; on any
failure the temporary file is removed and the old target is left untouched.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> atomic_write(target, b"whole")
>>> target.read_bytes()
b'whole'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OncographError

__all__ = ["WriteError", "atomic_path", "atomic_write"]


class WriteError(OncographError, OSError):
    """A file cannot be written (folder missing or read-only, disk full…); the old file is kept."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path to write to; renamed onto ``dest`` when the block ends without an error.

    Raises
    ------
    WriteError
        The folder cannot be created or written, or the disk is full; ``dest`` is unchanged.
    """
    target = Path(dest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {_reason(exc)}") from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(f"{target}: cannot write: {_reason(exc)}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write(dest: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``dest`` whole, or leave ``dest`` as it was."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(dest) as tmp:
        try:
            with open(tmp, "wb") as handle:
                handle.write(payload)
                handle.flush()
        except OSError as exc:
            raise WriteError(f"{dest}: cannot write: {_reason(exc)}") from exc
