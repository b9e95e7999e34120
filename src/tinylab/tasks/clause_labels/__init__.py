"""Task ``clause-labels``: multi-label classification of privacy-policy clauses from a few hundred records."""

from tinylab.tasks.clause_labels.task import ClauseLabelsData, ClauseLabelsSpec, ClauseLabelsTask

__all__ = ["ClauseLabelsData", "ClauseLabelsSpec", "ClauseLabelsTask"]
