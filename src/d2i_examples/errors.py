"""The one exception type a reader's own data can raise."""

from __future__ import annotations


class DataError(Exception):
    """A problem with a reader's data, explained so they can fix it.

    The message names the file, the column, what was expected, what was found
    and what to do. Each part is optional, but give as many as apply.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: object | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        fix: str | None = None,
    ):
        self.problem = problem
        self.file = None if file is None else str(file)
        self.column = column
        self.expected = expected
        self.found = found
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [self.problem]
        for label, value in (
            ("File", self.file),
            ("Column", self.column),
            ("Expected", self.expected),
            ("Found", self.found),
            ("What to do", self.fix),
        ):
            if value:
                lines.append(f"  {label}: {value}")
        return "\n".join(lines)


def gather(err: DataError, problems: list[DataError] | None) -> None:
    """Raise ``err``; or, when the caller collects problems (``problems`` is a list), add
    it there so the reader can go on and every problem can be listed at once."""
    if problems is None:
        raise err
    problems.append(err)
