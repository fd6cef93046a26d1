"""The few exception types the CLI turns into exit codes."""
from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Process exit codes; README.md documents them."""

    OK = 0
    ERROR = 1  # an input or domain error (bad file, missing model, 'und' language ...)
    USAGE = 2  # bad options or arguments
    INTERRUPTED = 130  # Ctrl-C


class SummtoolError(Exception):
    """Base for errors a user can act on; the CLI prints str(err) on one line and exits."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.source}: {msg}" if self.source else msg


class InputError(SummtoolError):
    """An input cannot be read or is not a text release (missing, binary, empty, a directory ...)."""


class UsageError(SummtoolError):
    """The command line asks for something impossible (e.g. no input and a terminal on stdin)."""

    exit_status = ExitStatus.USAGE


class ModelError(SummtoolError):
    """A model is missing, incomplete or unusable."""


class PromptError(SummtoolError):
    """A prompt template is missing or names a variable that was not supplied."""
