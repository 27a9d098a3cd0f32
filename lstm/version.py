"""The package's version, in a module of its own so that any module can read it
without importing the package (`lstm/__init__.py` imports everything else)."""
__version__ = "0.1.0"
