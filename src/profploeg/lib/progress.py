"""Progress of long work (a report's download, the history workbook), told to whoever waits.

A renderer takes an optional `progress(percent, step)` callback and calls it at meaningful steps;
`step` is an untranslated message id (marked with `gettext_noop`), translated where it is shown,
so that a job run by the worker in one language is read in another. The job page stores it,
the CLI prints it on a terminal."""

import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, str], None]


def no_progress(percent: int, step: str) -> None:
    """The default callback: nobody is waiting."""


def scaled(progress: Progress, low: int, high: int) -> Progress:
    """A callback that maps 0-100 of a part of the work onto low-high of the whole."""

    def report(percent: int, step: str) -> None:
        percent = max(0, min(100, percent))
        progress(low + (high - low) * percent // 100, step)

    return report


def fraction(done: int, total: int) -> int:
    """done of total as a whole percentage (0 of 0 is 0)."""
    return 100 * done // total if total else 0


def terminal_progress(
    stream: TextIO, translate: Callable[[str], str] = str, interval: float = 0.1
) -> Progress:
    """A callback that rewrites one line (`  42 % Writing the tables`) in place on a terminal,
    at most every `interval` seconds unless the step changes."""
    shown = {"line": "", "at": 0.0}

    def report(percent: int, step: str) -> None:
        line = f"{percent:3d} % {translate(step)}"
        now = time.monotonic()
        if line == shown["line"] or (
            now - shown["at"] < interval and line[5:] == shown["line"][5:] and percent < 100
        ):
            return
        padding = " " * max(0, len(shown["line"]) - len(line))
        stream.write(f"\r{line}{padding}")
        stream.flush()
        shown.update(line=line, at=now)

    return report
