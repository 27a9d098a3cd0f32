"""Diagrams of the cells and networks of the book, drawn as SVG from the package's definitions."""
from ._svg import Diagram
from .cell import cell_diagram

__all__ = ["Diagram", "cell_diagram"]
