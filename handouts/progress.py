"""Build feedback: a progress bar on a terminal, plain lines elsewhere (CI, logs)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Protocol, TextIO

BAR_WIDTH = 28


class Feedback(Protocol):
    def start(self, total: int) -> None: ...

    def step(self, status: str, label: str) -> None: ...


class Silent:
    """For scripts and tests that want no output."""

    def start(self, total: int) -> None:
        pass

    def step(self, status: str, label: str) -> None:
        pass


@dataclass
class Progress:
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    total: int = 0
    done: int = 0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0

    @property
    def interactive(self) -> bool:
        return self.stream.isatty()

    def step(self, status: str, label: str) -> None:
        """One output finished: `status` is built, unchanged or failed."""
        self.done += 1
        if self.interactive:
            filled = BAR_WIDTH * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {status} {label}"[:118].ljust(118))
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {status} {label}\n")
        self.stream.flush()
