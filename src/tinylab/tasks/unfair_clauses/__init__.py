"""Task ``unfair-clauses``: potentially unfair sentences in Terms of Service (binary, CLAUDETTE corpus)."""

from tinylab.tasks.unfair_clauses.task import UnfairClausesData, UnfairClausesSpec, UnfairClausesTask

__all__ = ["UnfairClausesData", "UnfairClausesSpec", "UnfairClausesTask"]
