"""The most even lottery of a polytope of lotteries (internal helper of solvers.welfare and solvers.games).

Where an optimum over lotteries is a face rather than a point (egalitarian,
leximin and Nash-welfare lotteries; maximal lotteries with an even number of
voters), returning the vertex a solver happened to find makes the answer depend
on the order of voters and alternatives.  The leximin point of the probabilities
over the face is unique, hence invariant under relabelling.
"""

from __future__ import annotations

import numpy as np

from .lp import LinearProgram
from .result import Status

__all__ = ["most_even_lottery"]

_FACE_RELAX = 1e-12     # optimal levels are relaxed by this much (relative) to form the optimal face
_ZERO_PROB = 1e-9       # a smallest probability at most this is rounding: those alternatives get exactly 0


def most_even_lottery(U, floors):
    """The leximin point of ``p`` over the optimal face ``{p in simplex : U p >= floors - relax}``.

    ``relax = 1e-12 * (1 + |floors|)`` (loosened, up to ``1e-6``, if rounding makes the face
    empty).  Maximize the smallest probability ``t``; every alternative whose row ``p_a >= t``
    has a positive multiplier cannot get more in any optimal solution (complementary
    slackness), so it is fixed at ``t``; repeat with the others.  When ``t <= 1e-9`` the
    alternatives fixed are outside the (unrelaxed) face and get exactly 0.  One cached LP,
    re-solved with new bounds, at most once per alternative (per relaxation).  The leximin
    point of a convex set is unique, so the result does not depend on the order of voters
    or alternatives.  Returns ``(p, number of LPs)``; ``p`` is None if the face stays empty.

    References
    ----------
    .. [1] W. Ogryczak and T. Sliwinski, "On direct methods for lexicographic min-max
       optimization", ICCSA 2006, LNCS 3982, 802-811.
    """
    n, m = U.shape
    floors = np.asarray(floors, dtype=np.float64)
    lp = LinearProgram(m + 1, lb=np.append(np.zeros(m), -np.inf), ub=np.full(m + 1, np.inf))
    lp.add_constraints("even", np.hstack([np.eye(m), -np.ones((m, 1))]), lower=np.zeros(m))
    lp.add_constraints("face", np.hstack([U, np.zeros((n, 1))]),
                       lower=floors - _FACE_RELAX * (1.0 + np.abs(floors)))
    lp.add_constraints("simplex", np.append(np.ones(m), 0.0)[None, :], lower=[1.0], upper=[1.0])
    cost = np.zeros(m + 1)
    cost[m] = 1.0
    relax = _FACE_RELAX
    level = np.full(m, np.nan)
    upper = np.full(m + 1, np.inf)
    solves = 0
    res = None
    while np.isnan(level).any():
        free = np.isnan(level)
        lp.set_bounds("even", lower=np.where(free, 0.0, -np.inf))
        fixed = np.nan_to_num(level, nan=0.0)
        lp.set_variable_bounds(lb=np.append(np.where(free, 0.0, np.maximum(fixed - 1e-11, 0.0)), -np.inf),
                               ub=upper)
        res = lp.solve(cost, maximize=True, atol=1e-9)
        solves += 1
        if res.x is None:
            if res.status is not Status.INFEASIBLE or relax >= 1e-6:
                return None, solves
            relax *= 100.0              # rounding: loosen the face and start again
            lp.set_bounds("face", lower=floors - relax * (1.0 + np.abs(floors)))
            level[:] = np.nan
            upper[:] = np.inf
            continue
        t = float(res.x[m])
        y = res.duals["even"][free]
        free_idx = np.flatnonzero(free)
        blocked = free_idx[y < -1e-9]
        if blocked.size == 0:           # cannot happen (the multipliers sum to -1); guards against rounding
            blocked = free_idx[[int(np.argmin(y))]]
        if t <= _ZERO_PROB:
            t = 0.0
            upper[blocked] = 0.0
        level[blocked] = t
    p = np.maximum(np.asarray(res.x[:m]), 0.0)
    return p / p.sum(), solves
