"""The data every LP/MILP backend receives and returns (internal)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..result import Status


class Model(NamedTuple):
    """A snapshot of a :class:`~solvers.lp.LinearProgram` in HiGHS's row-bounds form.

    ``row_lower <= A @ x <= row_upper``, ``col_lower <= x <= col_upper``,
    ``x[j]`` integer where ``integrality[j]``.  Rows are the families stacked
    in insertion order; ``families[k]`` owns ``row_slices[families[k]]``.
    """

    A: Any  # scipy.sparse.csr_array, shape (m, n)
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray
    families: tuple[str, ...]
    row_slices: dict

    @property
    def is_mip(self) -> bool:
        return bool(self.integrality.any())


class RawSolution(NamedTuple):
    """What a backend hands back before the numpy re-check.

    ``row_duals`` and ``col_duals`` already follow the documented convention
    (derivative of the optimal objective, in the problem's own sense, with
    respect to the active bound); they are None for MILPs or when the solver
    returned none.
    """

    status: Status
    x: np.ndarray | None
    row_duals: np.ndarray | None
    col_duals: np.ndarray | None
    solver: str
    iterations: int | None = None
    message: str = ""
