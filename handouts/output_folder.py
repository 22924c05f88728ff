"""The output folder as one writer at a time keeps it: locked, staged, committed in order.

The manifest never names a file whose bytes differ from its entry, whenever a build is
killed. New PDFs are first written whole to hidden staging files. Then the manifest
drops the entries about to change, the staged files are renamed into place and removed
outputs deleted, and last the manifest lists the new entries. A build killed anywhere in
that sequence leaves a manifest that is true of every file it names (a file in flux is
simply not named), and the next build finishes the job.

Only one build writes into a folder at a time: a second one stops with one line. Readers
(the email command) take no lock: every file they can see is whole.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from handouts.writer import PARTIAL_PREFIX, ManifestEntry, UnsafeOutputPath, write_manifest

LOCK_FILE = ".handouts.lock"
STAGING_PREFIX = ".staged-"
INDEX_PAGE = "index.html"
THUMBNAILS_FOLDER = "thumbnails"
"""The one folder inside the output folder a build writes into (the catalogue page's pictures)."""
Checkpoint = Callable[[str], None]
"""Called with the name of each step of the write sequence once it is done (for tests
that stop a build there)."""


class OutputFolderError(Exception):
    """The output folder cannot be used: not a folder, not writable, or busy. One line."""


def _no_checkpoint(step: str) -> None:
    return None


def _describe(error: OSError) -> str:
    return error.strerror or errno.errorcode.get(error.errno or 0, str(error))


class OutputFolder:
    """A locked output folder; made by `locked()`."""

    def __init__(self, path: Path, checkpoint: Checkpoint) -> None:
        self.path = path
        self.checkpoint = checkpoint
        self.staged: dict[str, Path] = {}

    def stage(self, name: str, data: bytes) -> None:
        """Write a new output whole, under a hidden name, until `commit` puts it in place."""
        parts = name.split("/")
        inside = len(parts) == 1 or (len(parts) == 2 and parts[0] == THUMBNAILS_FOLDER)
        if not inside or any(not part or part.startswith(".") or Path(part).name != part for part in parts):
            raise UnsafeOutputPath(f"{name!r} is not a plain file name inside the output folder")
        handle, temporary = tempfile.mkstemp(dir=self.path, prefix=STAGING_PREFIX, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        previous = self.staged.pop(name, None)
        if previous is not None:
            previous.unlink(missing_ok=True)
        self.staged[name] = Path(temporary)

    def commit(
        self,
        before: dict[str, ManifestEntry],
        after: dict[str, ManifestEntry],
        removed: list[str],
        save_cache: Callable[[], None],
        unreferenced: Iterable[str] = (),
    ) -> None:
        """Put staged files in place and delete `removed` ones, keeping the manifest true of
        every file it names at each step. `before`: the manifest now; `after`: when done.
        Pages (.html) go in after the files they link to; `unreferenced` files (pictures no
        page shows any more) are deleted after them."""
        self.checkpoint("staged")
        changing = set(self.staged) | set(removed)
        write_manifest(self.path, [entry for entry in before.values() if entry.path not in changing])
        self.checkpoint("manifest-without-changes")
        for name in sorted(self.staged, key=lambda name: (name.endswith(".html"), name)):
            (self.path / name).parent.mkdir(exist_ok=True)
            os.replace(self.staged[name], self.path / name)
            self.checkpoint(f"replaced {name}")
        self.staged.clear()
        for name in [*removed, *unreferenced]:
            (self.path / name).unlink(missing_ok=True)
            self.checkpoint(f"removed {name}")
        write_manifest(self.path, list(after.values()))
        self.checkpoint("manifest")
        save_cache()
        self.checkpoint("cache")

    def discard_staged(self) -> None:
        for path in self.staged.values():
            path.unlink(missing_ok=True)
        self.staged.clear()


def _prepare(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise OutputFolderError(f"output {path} is a file, not a folder; choose another --output")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFolderError(f"cannot make output folder {path}: {_describe(error)}") from None


_held_locks: set[IO[bytes]] = set()
"""Lock files this process holds. A forked child (a pool worker) closes its copies: the
lock stays with this process, and a worker that outlives the build (in a caller's own
pool) never keeps the folder locked."""


def _close_inherited_locks() -> None:
    for stream in _held_locks:
        stream.close()
    _held_locks.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def _lock(path: Path) -> IO[bytes]:
    try:
        stream = (path / LOCK_FILE).open("ab")
    except OSError as error:
        raise OutputFolderError(f"cannot write into output folder {path}: {_describe(error)}") from None
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        stream.close()
        raise OutputFolderError(
            f"another build is writing into {path}; run this one when it has finished"
        ) from None
    return stream


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) waits until the block ends, so a commit is finished, not cut short.
    Only the main thread can hold signals; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


@contextmanager
def locked(path: Path, checkpoint: Checkpoint | None = None) -> Iterator[OutputFolder]:
    """The output folder, held against other builds until the block ends. Staging files a
    killed build left behind are removed first; any left by this one, last."""
    _prepare(path)
    lock = _lock(path)
    _held_locks.add(lock)
    folder = OutputFolder(path, checkpoint or _no_checkpoint)
    try:
        for prefix in (STAGING_PREFIX, PARTIAL_PREFIX):
            for leftover in path.glob(f"{prefix}*"):
                leftover.unlink(missing_ok=True)
        yield folder
    except OSError as error:
        target = error.filename2 or error.filename  # a rename names its destination second
        name = Path(target).name if target else path
        raise OutputFolderError(f"cannot write {name} in {path}: {_describe(error)}") from None
    finally:
        folder.discard_staged()
        _held_locks.discard(lock)
        lock.close()
