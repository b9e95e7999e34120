"""Rich progress bars on stderr (stdout stays clean for ``--json``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

if TYPE_CHECKING:
    from tinylab.tasks.base import ProgressFactory
    from tinylab.train import BatchProgress

stderr = Console(stderr=True)


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[tuple[ProgressFactory | None, BatchProgress | None]]:
    if not enabled:
        yield None, None
        return
    bars = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[note]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=stderr, transient=False)

    started = False

    def start() -> None:  # the display starts with its first bar: a command that fails before prints nothing
        nonlocal started
        if not started:
            bars.start()
            started = True

    def factory(description: str, total: int) -> Callable[[int], None]:
        start()
        tid = bars.add_task(description, total=total, note="")
        return lambda n: bars.advance(tid, n)

    def batches(epoch: int, total: int) -> Callable[[float], None]:
        start()
        tid = bars.add_task(f"epoch {epoch}", total=total, note="")
        state = {"ema": None}

        def advance(loss: float) -> None:
            ema = state["ema"]
            state["ema"] = loss if ema is None else 0.95 * ema + 0.05 * loss
            bars.update(tid, advance=1, note=f"loss {state['ema']:.4f}")

        return advance

    try:
        yield factory, batches
    finally:
        if started:
            bars.stop()
