"""tinylab: small, fast, specialized neural models — generate, train, evaluate honestly, ship."""

__version__ = "0.1.0"
