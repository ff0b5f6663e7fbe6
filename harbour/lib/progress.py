"""A plain progress bar for long commands, on stderr so stdout stays the command's output.

On a terminal it redraws one line; anywhere else (a log, CI) it prints a line every tenth of
the way, so the log stays short.
"""

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30):
        self.total = max(total, 1)
        self.label = label
        stream = stream if stream is not None else sys.stderr
        # A management command's OutputWrapper ends every write with a newline: use the file.
        self.stream = getattr(stream, "_out", stream)
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_tenth = 0

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done = min(self.done + n, self.total)
        if self.tty:
            self.stream.write("\r" + self.line(note))
            self.stream.flush()
            return
        tenth = self.done * 10 // self.total
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(self.line(note) + "\n")
            self.stream.flush()

    def line(self, note: str = "") -> str:
        share = self.done / self.total
        filled = int(share * self.width)
        elapsed = time.monotonic() - self.started
        eta = ""
        if 0 < self.done < self.total:
            eta = f", ~{_duration(elapsed / self.done * (self.total - self.done))} left"
        bar = "#" * filled + "." * (self.width - filled)
        text = f"{self.label} [{bar}] {share:4.0%} {self.done}/{self.total}"
        text += f" ({_duration(elapsed)}{eta})"
        return f"{text} {note}".rstrip()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    return f"{seconds // 60}m{seconds % 60:02d}s"
