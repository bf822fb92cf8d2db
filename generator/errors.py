"""Errors the user sees: each message says what went wrong, where, and what to do."""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """Return text with line breaks and other control characters written as escapes."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def _rebuilt(kind: type[GeneratorError], args: tuple[object, ...],
             state: dict[str, object]) -> GeneratorError:
    """Return an error of `kind` with these args and attributes, without its __init__."""
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class GeneratorError(Exception):
    """Base of every error that reaches the user as one line instead of a traceback."""

    def __str__(self) -> str:
        """Return the message on one line (a file name or value may hold a line break)."""
        return one_line(super().__str__())

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle as type, args and attributes: an error raised in a worker process
        (`generator.render_many`) reaches the parent as itself, whatever its __init__
        takes."""
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


class ConfigError(GeneratorError):
    """The settings file is missing a value or holds a wrong one."""


class SourceError(GeneratorError):
    """A source could not deliver a file (missing, not published yet, unreachable)."""


class FormatError(GeneratorError):
    """A file does not match its expected format; names the file, the row and the field."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        row: int | None = None,
        field: str | None = None,
        hint: str = "check the file or fetch it again",
    ) -> None:
        self.path = str(path)
        self.row = row
        self.field = field
        self.problem = problem
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {problem}; {hint}")


class DataCheckError(GeneratorError):
    """Data parsed but failed a consistency check; the day is not published."""


class DeployError(GeneratorError):
    """The built site could not be pushed to the publishing branch."""
