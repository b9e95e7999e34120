"""The timing loop the benchmark scripts share (imported by scripts run as ``python bench/NAME.py``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_rate(step: Callable[[], int], rounds: int = 3, budget_s: float = 3.0) -> float:
    """Items per second: the median of ``rounds`` rounds, each calling ``step`` (which returns how many items
    it handled) at least once and until ``budget_s`` has passed. This shared machine's load comes in bursts;
    a median of short rounds is steadier than one long round. Warm up before calling it."""
    results = []
    for _ in range(rounds):
        done, t0 = 0, time.perf_counter()
        while True:
            done += step()
            if time.perf_counter() - t0 >= budget_s:
                break
        results.append(done / (time.perf_counter() - t0))
    return float(statistics.median(results))
