"""The few exceptions the library raises; the CLI turns each into one line and an exit code.

Exit codes follow ../shared/DESIGN.md: 0 all well; 1 some inputs failed and were recorded;
2 bad usage or configuration; 75 another command is writing to the store (it holds the store lock).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75


class ScrError(Exception):
    """Base class: an expected problem with a one-line message for the user."""

    exit_code = EXIT_USAGE


class ConfigError(ScrError):
    """A settings or taxonomy file is invalid; the message names the key, what was allowed and what was found."""

    exit_code = EXIT_USAGE


class UsageError(ScrError):
    """A command was called with arguments that cannot work (unknown document id, missing file...)."""

    exit_code = EXIT_USAGE


class InputError(ScrError):
    """One input file cannot be used. `cause` is a short machine-readable reason stored in `failures`."""

    exit_code = EXIT_INPUT_FAILED

    def __init__(self, path: str, cause: str, detail: str = "") -> None:
        self.path = str(path)
        self.cause = cause
        self.detail = detail
        msg = f"{self.path}: {cause}" + (f" ({detail})" if detail else "")
        super().__init__(msg)


class UnreadablePDF(InputError):
    """A PDF (or a file posing as one) whose text cannot be read."""


class StoreLocked(ScrError):
    """Another command that writes the store holds the lock beside it."""

    exit_code = EXIT_LOCKED


class StoreError(ScrError):
    """The store file is not a scr-themes store, or is newer than this code."""

    exit_code = EXIT_USAGE
