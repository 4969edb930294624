"""Files tracesctl reads and writes.

Input files (accounts, password, passkey, company, policy, guide, capture, `.env`) are read with
`read_input_text`/`read_input_bytes`: a regular file (a FIFO would block forever, a folder or a
device is a mistake), of bounded size (a /proc file or a runaway log is not a settings file), UTF-8
without NUL bytes. Private files are written atomically with mode 0600 (passkeys, stored passwords).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from automation.errors import ConfigError

# Settings files are a few kilobytes; a guide's text or a capture is larger, a PDF larger still.
MAX_SETTINGS_BYTES = 1 << 20  # 1 MiB
MAX_DOCUMENT_BYTES = 64 << 20  # 64 MiB


def read_input_bytes(path: Path, what: str, error: type[ConfigError] = ConfigError,
                     max_bytes: int = MAX_SETTINGS_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or `error` with one line saying why not."""
    try:
        # O_NONBLOCK: a FIFO opens at once instead of waiting for a writer, and is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(f"{what} {path} not found") from None
    except OSError as exc:
        raise error(f"{what} {path} cannot be read: {exc.strerror or type(exc).__name__}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) \
            else "not a regular file"
        raise error(f"{what} {path} is {kind}; give a regular file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > max_bytes:
            raise error(f"{what} {path} is larger than {max_bytes} bytes")
        try:
            # One byte more than allowed: files that report no size (/proc) are bounded too.
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"{what} {path} cannot be read: {exc.strerror or type(exc).__name__}") from None
    if len(data) > max_bytes:
        raise error(f"{what} {path} is larger than {max_bytes} bytes")
    return data


def read_input_text(path: Path, what: str, error: type[ConfigError] = ConfigError,
                    max_bytes: int = MAX_SETTINGS_BYTES) -> str:
    """A regular file's text: UTF-8 (a leading byte-order mark dropped), no NUL bytes."""
    data = read_input_bytes(path, what, error, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{what} {path} is not UTF-8 text") from None
    if "\x00" in text:
        raise error(f"{what} {path} holds a NUL byte; it is not a text file")
    return text


def private_folder(path: Path) -> Path:
    """`path` as a folder; when missing it is made 0700, and so is every missing folder above it
    (`mkdir(parents=True, mode=...)` gives the mode to the last one only). A folder that exists
    already is left as it is."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another run: theirs, as it is
            continue
        os.chmod(folder, 0o700)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path


def write_private(path: Path, content: str | bytes) -> None:
    """A crash leaves the old file or the new one, never half of one; nobody else can read it."""
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode() if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Kernel file systems: a path there is never a place for a report or a state folder.
KERNEL_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


def in_kernel_folder(path: Path) -> bool:
    resolved = path.expanduser().resolve()
    return any(resolved == folder or resolved.is_relative_to(folder) for folder in KERNEL_FOLDERS)


def check_output_file(path: Path, what: str) -> Path:
    """Before any work: `path` can be written as a file (its folder exists, it is not a folder itself,
    not under /proc, /sys or /dev), so a long run never ends in a traceback when it saves."""
    if in_kernel_folder(path):
        raise ConfigError(f"{what} {path} is in {'/' + path.resolve().parts[1]}: give a file in an ordinary folder")
    if path.is_dir():
        raise ConfigError(f"{what} {path} is a folder; give a file name")
    if path.exists() and not path.is_file():
        raise ConfigError(f"{what} {path} is not a regular file")
    if not path.parent.is_dir():
        raise ConfigError(f"{what} {path}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ConfigError(f"{what} {path}: the folder {path.parent} is not writable")
    return path


def check_output_folder(path: Path, what: str) -> Path:
    """Before any work: `path` is a folder, or can be made in one that exists (not under /proc, /sys, /dev)."""
    if in_kernel_folder(path):
        raise ConfigError(f"{what} {path} is in {'/' + path.resolve().parts[1]}: give an ordinary folder")
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{what} {path} is not a folder")
    if not path.exists() and not path.parent.is_dir():
        raise ConfigError(f"{what} {path}: the folder {path.parent} does not exist")
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise ConfigError(f"{what} {path} is not writable")
    return path
