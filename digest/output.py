"""Put the finished site on disk: built in a fresh folder beside the output, then swapped in.

The swap is one atomic exchange of the two folders where the system offers it (Linux
renameat2), so a build that fails or is killed at any point leaves the previous site whole. A
lock beside the output keeps two builds from writing the same site at once. A page the previous
site holds byte for byte is linked to its file there, not written again: it keeps its time, so
deploy tools that compare times (rsync, `aws s3 sync`) skip it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from .errors import OutputError
from .models import Page

MARKER = ".digest-site"
_MARKER_TEXT = "This folder is written by digest build and replaced whole.\n"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_output(output: Path, input_dir: Path) -> None:
    """Refuse outputs whose replacement could destroy files digest did not write."""
    out = output.resolve()
    src = input_dir.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise OutputError(
            f"refusing to build into {output}: it is the filesystem root or home folder"
        )
    if out == src or src.is_relative_to(out) or out.is_relative_to(src):
        raise OutputError(
            f"refusing to build into {output}: it overlaps the input folder {input_dir}"
        )
    if out.exists() and not out.is_dir():
        raise OutputError(f"refusing to build into {output}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(
            f"refusing to build into {output}: "
            "the folder is not empty and was not written by digest"
        )


def _target(root: Path, page: Page) -> Path:
    rel = PurePosixPath(page.path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise OutputError(f"page path {page.path!r} would write outside the site")
    return root.joinpath(*rel.parts)


def previous_site(output: Path) -> Path | None:
    """The site a build into output replaces, if digest wrote it (its marker is there)."""
    output = output.resolve()
    return output if (output / MARKER).is_file() else None


def _same_file(previous: Path | None, rel: PurePosixPath, content: bytes) -> Path | None:
    """The previous site's file at rel, if it is a plain file holding exactly content."""
    if previous is None:
        return None
    old = previous.joinpath(*rel.parts)
    try:
        info = old.lstat()
        # Sizes first: most changed pages differ in length, and then the file is not read.
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(content):
            return None
        return old if old.read_bytes() == content else None
    except OSError:
        return None


def write_pages(pages: Iterable[Page], root: Path, previous: Path | None = None) -> int:
    """Write pages under root (never outside it); returns how many were written. A page the
    site being replaced (previous) holds byte for byte is linked to that file instead."""
    count = 0
    folders: set[Path] = set()  # made already: most pages share a few folders
    for page in pages:
        target = _target(root, page)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        count += 1
        same = _same_file(previous, PurePosixPath(page.path), page.content)
        if same is not None:
            # A link makes no new inode: on ext4 without a journal a new one took 500 us, not
            # 30, where thousands had been removed minutes before (as the last build removed
            # the site it replaced).
            # Links refused (some filesystems; a system that cannot link without following a
            # symbolic link raises NotImplementedError): the page is written instead.
            with contextlib.suppress(OSError, NotImplementedError):
                os.link(same, target, follow_symlinks=False)
                continue
        target.write_bytes(page.content)
    return count


@contextlib.contextmanager
def _locked(output: Path) -> Iterator[None]:
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "a+b") as lock:
        try:
            # The kernel drops the lock when the process dies, even by SIGKILL: no stale locks.
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"another digest build is writing {output} (lock {lock_path}); "
                "wait for it to finish, or build into another folder"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _leftovers(output: Path) -> list[Path]:
    """Folders an earlier build that was killed left beside the output (they carry the marker)."""
    return [
        p
        for p in output.parent.glob(f".{output.name}.new-*")
        if p.is_dir() and (p / MARKER).exists()
    ]


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the filesystem cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(a))


def _swap_in(fresh: Path, output: Path) -> None:
    """Make fresh the output; the previous site is removed once nothing points to it."""
    if not output.exists():
        fresh.rename(output)
        return
    if _exchange(fresh, output):
        shutil.rmtree(fresh, ignore_errors=True)  # fresh now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    output.rename(old / "site")
    fresh.rename(output)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def replacing(output: Path) -> Iterator[Path]:
    """Yield a fresh folder to build the site in; swap it in for output when the block ends
    without error, else remove it. Holds the output's lock throughout."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with _locked(output):
        for leftover in _leftovers(output):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
        try:
            (fresh / MARKER).write_text(_MARKER_TEXT)  # first, so a leftover is known as ours
            yield fresh
            os.chmod(fresh, 0o755)
            _swap_in(fresh, output)
        except OSError as err:  # disk full, no permission: the user's to fix, not a bug
            shutil.rmtree(fresh, ignore_errors=True)
            raise OutputError(f"could not write the site to {output}: {err}") from err
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise


def write_site(pages: Iterable[Page], output: Path) -> int:
    """Write pages as the whole new site at output, swapped in atomically; returns the count."""
    previous = previous_site(output)
    with replacing(output) as fresh:
        return write_pages(pages, fresh, previous)
