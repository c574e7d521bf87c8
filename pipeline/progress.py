"""Show a run's progress: a tqdm bar on a terminal, else a log line every few seconds."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pipeline.runner import Tally

__all__ = ["Progress"]


class Progress:
    """A tqdm bar on a terminal, or a log line every ``log_every`` seconds otherwise.

    Args:
        tally: the counters shown.
        total: expected number of articles (for the ETA), if known.
        bar: draw a bar (True) or print lines (False).
        log: the stream (stderr).
        log_every: seconds between log lines.
    """

    def __init__(self, tally: Tally, total: int | None, bar: bool, log: TextIO, log_every: float) -> None:
        self.tally = tally
        self.total = total
        self.log = log
        self.log_every = log_every
        self._last = time.monotonic()
        self._bar: Any = None
        if bar:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="art", file=log, dynamic_ncols=True, smoothing=0.1)
            self._bar.update(tally.already_done)

    def write(self, line: str) -> None:
        """Print a message without breaking the bar."""
        if self._bar is not None:
            self._bar.write(line, file=self.log)
        else:
            print(line, file=self.log)

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` items."""
        now = time.monotonic()
        if self._bar is not None:
            self._bar.update(n)
            if now - self._last >= 0.5:
                self._last = now
                self._set_postfix(refresh=False)
        elif now - self._last >= self.log_every:
            self._last = now
            self.write(self.line())

    def line(self) -> str:
        """One progress line: counts, rate and (when the total is known) ETA."""
        t = self.tally
        elapsed = max(time.monotonic() - t.started, 1e-9)
        rate = t.read / elapsed
        out = (
            f"progress: read {t.read + t.already_done}, processed {t.processed}, events {sum(t.events.values())}, "
            f"rejected {sum(t.rejected.values())}, duplicates {t.duplicates}, {rate:.1f} articles/s"
        )
        if self.total and rate > 0:
            left = max(self.total - t.read - t.already_done, 0)
            out += f", ETA {_format_seconds(left / rate)}"
        return out

    def _set_postfix(self, refresh: bool) -> None:
        # The same counters as Tally.report, so the bar ends on the summary's figures.
        self._bar.set_postfix(
            events=sum(self.tally.events.values()),
            rejected=sum(self.tally.rejected.values()),
            dup=self.tally.duplicates,
            refresh=refresh,
        )

    def close(self) -> None:
        """Show the final counts (updates are throttled to two a second) and close the bar."""
        if self._bar is not None:
            self._set_postfix(refresh=True)
            self._bar.close()


def _format_seconds(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
