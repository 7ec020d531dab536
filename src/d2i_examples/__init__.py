"""Worked examples for Data to Insight's children's services data tools."""

from d2i_examples import _nbformat_import  # noqa: F401  (first: keeps importing nbformat quick)
from d2i_examples.errors import DataError

__all__ = ["DataError"]
__version__ = "0.1.0"
