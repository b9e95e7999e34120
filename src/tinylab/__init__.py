"""tinylab: small, fast, specialized neural models — generate, train, evaluate honestly, ship.

    import tinylab
    model = tinylab.load("semantic-types")
    model.predict(["192.168.1.1"])

``tinylab.load`` (see :mod:`tinylab.api`) is imported on first use, so ``import tinylab`` stays instant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Model", "__version__", "load"]

if TYPE_CHECKING:
    from tinylab.api import Model, load


def __getattr__(name: str) -> Any:
    if name in ("load", "Model"):
        from tinylab import api

        return getattr(api, name)
    raise AttributeError(f"module 'tinylab' has no attribute {name!r}")
