"""tinylab: small, fast, specialized neural models — generate, train, evaluate honestly, ship.

    import tinylab
    model = tinylab.load("semantic-types")
    model.predict(["192.168.1.1"])

    tinylab.profile("orders.csv").to_pandas()     # the semantic type of every column of a table

``tinylab.load`` (see :mod:`tinylab.api`) and ``tinylab.profile`` (see
:mod:`tinylab.tasks.semantic_types.profiling`) are imported on first use, so ``import tinylab`` stays instant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Model", "Profile", "__version__", "load", "profile"]

if TYPE_CHECKING:
    from tinylab.api import Model, load
    from tinylab.tasks.semantic_types.profiling import Profile, profile


def __getattr__(name: str) -> Any:
    if name in ("load", "Model"):
        from tinylab import api

        return getattr(api, name)
    if name in ("profile", "Profile"):
        from tinylab.tasks.semantic_types import profiling

        return getattr(profiling, name)
    raise AttributeError(f"module 'tinylab' has no attribute {name!r}")
