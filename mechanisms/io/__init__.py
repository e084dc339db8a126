"""Reading and writing preference data files.

* :func:`read_preflib` / :func:`write_preflib`: PrefLib files (``soc``, ``soi``,
  ``toc``, ``toi`` and two-category ``cat``), byte-exact round trips.
"""

from .preflib import PreflibLayout, read_preflib, write_preflib

__all__ = ["read_preflib", "write_preflib", "PreflibLayout"]
