"""Task ``semantic-types``: the semantic type of a string value (and, by aggregation, of a column)."""

from tinylab.tasks.semantic_types.task import SemanticTypesData, SemanticTypesSpec, SemanticTypesTask

__all__ = ["SemanticTypesData", "SemanticTypesSpec", "SemanticTypesTask"]
