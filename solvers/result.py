"""Result types shared by every solver family.

Every solve returns a frozen result whose fields are the same for every backend:

``status``
    a :class:`Status`; solver outcomes (infeasible, unbounded, limits) are
    statuses, never exceptions;
``duals``
    a mapping from a *named constraint family* (``"ic"``, ``"ir"``, ...) to
    its dual values, with the family's sign convention documented by the
    function that made it;
``certificate``
    a :class:`Certificate` recomputed in numpy against the *original* data
    after the solve (feasibility residuals, duality gap, incentive regret);
    if a residual exceeds the tolerance the status is downgraded to
    :attr:`Status.INACCURATE` and ``certificate.failures()`` says which one;
``info``
    a :class:`SolverInfo` (backend name, wall time, iterations).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from .errors import SolverError

__all__ = ["Status", "Certificate", "SolverInfo", "Result", "frozen_mapping", "readonly"]


class Status(enum.Enum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    ITERATION_LIMIT = "iteration_limit"
    TIME_LIMIT = "time_limit"
    #: the solver reported an optimum but the numpy re-check found a residual above tolerance
    INACCURATE = "inaccurate"
    ERROR = "error"

    @property
    def ok(self) -> bool:
        return self is Status.OPTIMAL

    def __repr__(self) -> str:
        return f"Status.{self.name}"


def readonly(array: Any, dtype=None) -> np.ndarray | None:
    """A read-only array view (or None)."""
    if array is None:
        return None
    arr = np.asarray(array, dtype=dtype).view()
    arr.setflags(write=False)
    return arr


def frozen_mapping(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only mapping whose array values are read-only too."""
    items = {}
    for key, value in (mapping or {}).items():
        items[key] = readonly(value) if isinstance(value, np.ndarray) else value
    return MappingProxyType(items)


@dataclasses.dataclass(frozen=True)
class Certificate:
    """Residuals recomputed in numpy after a solve.

    Subclasses add one float field per residual (all "largest violation"
    quantities: zero is perfect).  ``atol`` is the tolerance they were judged
    against.
    """

    atol: float = 1e-7

    def residuals(self) -> dict[str, float]:
        """Every residual field by name."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "atol" and isinstance(getattr(self, f.name), (float, int, np.floating))
        }

    def failures(self) -> dict[str, float]:
        """The residuals that exceed ``atol``."""
        return {k: float(v) for k, v in self.residuals().items() if not (abs(v) <= self.atol)}

    @property
    def ok(self) -> bool:
        return not self.failures()

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v:.3g}" for k, v in self.residuals().items())
        return f"{type(self).__name__}({body}, atol={self.atol:g})"


@dataclasses.dataclass(frozen=True)
class SolverInfo:
    """Which backend solved the problem and how long it took."""

    backend: str
    solver: str
    time: float
    iterations: int | None = None
    message: str = ""

    def __repr__(self) -> str:
        its = "" if self.iterations is None else f", iterations={self.iterations}"
        return f"SolverInfo({self.backend}/{self.solver}, time={self.time * 1e3:.2f} ms{its})"


@dataclasses.dataclass(frozen=True, repr=False)
class Result:
    """Base of every solver result: status, primal solution, duals, certificate, info."""

    status: Status
    x: np.ndarray | None
    objective: float
    duals: Mapping[str, np.ndarray]
    certificate: Certificate
    info: SolverInfo

    def __post_init__(self):
        object.__setattr__(self, "x", readonly(self.x))
        object.__setattr__(self, "duals", frozen_mapping(self.duals))

    def __getstate__(self):  # a mappingproxy does not pickle: send a plain dict
        state = dict(self.__dict__)
        state["duals"] = dict(self.duals)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def ok(self) -> bool:
        return self.status is Status.OPTIMAL

    def raise_for_status(self):
        """Return ``self`` if optimal, else raise :class:`~solvers.errors.SolverError`."""
        if self.status is Status.OPTIMAL:
            return self
        detail = ""
        if self.status is Status.INACCURATE:
            detail = " Residuals above tolerance: " + ", ".join(
                f"{k}={v:.3g}" for k, v in self.certificate.failures().items()
            ) + f" (atol={self.certificate.atol:g})."
        msg = f" Solver message: {self.info.message}" if self.info.message else ""
        raise SolverError(f"{type(self).__name__} status is {self.status.value}.{detail}{msg}")

    def _summary_fields(self) -> dict[str, Any]:
        return {"objective": self.objective}

    def __repr__(self) -> str:
        parts = [f"status={self.status.value}"]
        for key, value in self._summary_fields().items():
            if isinstance(value, float):
                parts.append(f"{key}={value:.6g}")
            elif isinstance(value, np.ndarray):
                parts.append(f"{key}={np.array2string(value, precision=4, threshold=12)}")
            else:
                parts.append(f"{key}={value!r}")
        parts.append(f"certificate={self.certificate!r}")
        parts.append(f"info={self.info!r}")
        return f"{type(self).__name__}(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in {"status": self.status.value, **self._summary_fields(),
                         **{f"certificate.{k}": f"{v:.3g}" for k, v in self.certificate.residuals().items()},
                         "solver": repr(self.info)}.items()
        )
        return f"<table><caption>{html.escape(type(self).__name__)}</caption>{rows}</table>"
