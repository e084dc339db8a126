"""Proportionality of a committee: justified representation (JR), PJR and EJR, checked exactly.

For an approval profile with total weight ``n``, a committee ``W`` and committee
size ``k`` (default ``|W|``), a group ``S`` of voters is *l-cohesive* when
``|S| >= l * n / k`` and its members approve ``l`` candidates in common.  Then

* JR (Aziz et al. 2017): every 1-cohesive group contains a voter approving a
  member of ``W``;
* PJR (Sanchez-Fernandez et al. 2017): every l-cohesive group jointly approves
  at least ``l`` members of ``W`` (``|W & union of A_i| >= l``);
* EJR (Aziz et al. 2017): every l-cohesive group contains a voter approving at
  least ``l`` members of ``W``.

Each check returns a :class:`ProportionalityCheck` (truthy when satisfied) with
a witness group when it fails.  Group sizes are compared exactly
(``weight * k >= l * n`` in integers).

Complexity: JR is polynomial.  PJR and EJR are coNP-complete to check (Aziz et
al. 2018); ``algorithm="enumeration"`` searches the commonly approved sets
``T`` (``|T| = l``) depth first, pruning every partial set whose supporters
weigh less than ``l n / k`` (for PJR additionally over the ``l - 1`` committee
members ``R`` the group may jointly approve: ``C(k, l - 1)`` choices), which is
fast for the small and medium instances of elections; ``algorithm="milp"``
solves, for each ``l``, an integer program over candidates ``y``, voters ``z``
(and committee members ``r`` for PJR) maximizing the weight of a violating group
with HiGHS.  ``"auto"`` enumerates when there are at most 30 candidates.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
from fractions import Fraction

import numpy as np
import scipy.sparse as sp

from solvers.lp import LinearProgram
from solvers.validation import check_int, check_option, fail

__all__ = ["ProportionalityCheck", "is_jr", "is_pjr", "is_ejr"]

_ALGORITHMS = ("auto", "enumeration", "milp")


@dataclasses.dataclass(frozen=True)
class ProportionalityCheck:
    """The outcome of a JR/PJR/EJR check, with the witness of a violation.

    Attributes
    ----------
    property : str
        ``"jr"``, ``"pjr"`` or ``"ejr"``.
    satisfied : bool
        Also the truth value of the object.
    committee : tuple of int
    quota : Fraction
        ``n / k``.
    ell : int or None
        The cohesiveness level of the violating group.
    candidates : tuple of int
        ``l`` candidates every member of the violating group approves.
    voters : tuple of int
        The violating group: ballot indices (rows of the profile).
    group_weight : int
        Its weight (``>= ell * quota``).
    represented : tuple of int
        The committee members the group approves (fewer than ``ell`` for PJR; for
        EJR each member approves fewer than ``ell`` of them).
    """

    property: str
    satisfied: bool
    committee: tuple[int, ...]
    quota: Fraction
    ell: int | None = None
    candidates: tuple[int, ...] = ()
    voters: tuple[int, ...] = ()
    group_weight: int = 0
    represented: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return self.satisfied

    def __repr__(self) -> str:
        name = self.property.upper()
        if self.satisfied:
            return f"ProportionalityCheck({name} satisfied by committee {list(self.committee)})"
        return (f"ProportionalityCheck({name} violated: voters {list(self.voters)} (weight {self.group_weight} "
                f">= {self.ell} * quota {self.quota}) all approve {list(self.candidates)} but "
                f"{'jointly approve only' if self.property == 'pjr' else 'each approve fewer than ' + str(self.ell) + ' of'} "
                f"committee members {list(self.represented)})")

    def _repr_html_(self) -> str:
        rows = [("property", self.property.upper()), ("satisfied", self.satisfied),
                ("committee", list(self.committee)), ("quota n/k", self.quota)]
        if not self.satisfied:
            rows += [("ell", self.ell), ("common candidates", list(self.candidates)),
                     ("group (ballots)", list(self.voters)), ("group weight", self.group_weight),
                     ("approved members", list(self.represented))]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
                       f"<td>{html.escape(str(v))}</td></tr>" for k, v in rows)
        return f"<table><caption>ProportionalityCheck</caption>{body}</table>"


def _setup(profile, committee, k, owner):
    from mechanisms.profiles import ApprovalProfile

    if not isinstance(profile, ApprovalProfile):
        fail("profile", owner, "an ApprovalProfile", profile)
    m = profile.n_alternatives
    try:
        members = sorted({int(c) for c in committee})
    except (TypeError, ValueError):
        fail("committee", owner, "a sequence of candidate ids", committee)
    if len(members) != len(list(committee)) or any(not 0 <= c < m for c in members):
        fail("committee", owner, f"distinct candidate ids in [0, {m - 1}]", committee)
    k = len(members) if k is None else check_int(k, "k", owner, low=max(1, len(members)), high=m)
    if k < 1:
        fail("committee", owner, "nonempty (or give k)", committee)
    A = np.asarray(profile.approvals, dtype=bool)
    w = np.asarray(profile.weights, dtype=np.int64)
    n = int(w.sum())
    in_w = np.zeros(m, dtype=bool)
    in_w[members] = True
    return A, w, n, k, tuple(members), in_w


def _violation(prop, committee, quota, ell, T, voters_mask, A, w, in_w):
    voters = tuple(int(i) for i in np.flatnonzero(voters_mask))
    approved = np.flatnonzero(A[voters_mask].any(axis=0) & in_w) if voters else np.zeros(0, dtype=int)
    return ProportionalityCheck(prop, False, committee, quota, ell, tuple(int(c) for c in T), voters,
                                int(w[voters_mask].sum()), tuple(int(c) for c in approved))


def _cohesive_search(A, w, eligible, ell, need, k):
    """Depth-first search for ``ell`` candidates approved by eligible voters of weight*k >= need.

    Returns (T, voters mask) or None.
    """
    base = eligible & (w > 0)
    if int(w[base].sum()) * k < need:
        return None
    support = (w[:, None] * (A & base[:, None])).sum(axis=0) * k
    pool = [int(c) for c in np.flatnonzero(support >= need)]
    if len(pool) < ell:
        return None

    def dfs(start, chosen, mask):
        if len(chosen) == ell:
            return tuple(chosen), mask
        for pos in range(start, len(pool) - (ell - len(chosen)) + 1):
            c = pool[pos]
            sub = mask & A[:, c]
            if int(w[sub].sum()) * k >= need:
                found = dfs(pos + 1, chosen + [c], sub)
                if found is not None:
                    return found
        return None

    return dfs(0, [], base)


def is_jr(profile, committee, /, *, k: int | None = None) -> ProportionalityCheck:
    """Justified representation: no group of weight ``>= n / k`` with a common approved candidate is left unrepresented.

    Parameters
    ----------
    profile : ApprovalProfile
    committee : sequence of int
    k : int, optional
        Committee size for the quota (default ``len(committee)``).

    References
    ----------
    .. [1] H. Aziz, M. Brill, V. Conitzer, E. Elkind, R. Freeman and T. Walsh,
       "Justified representation in approval-based committee voting", *Social
       Choice and Welfare* 48 (2017) 461-485.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0}, {0}, {1}, {2}], n_alternatives=3)
    >>> bool(is_jr(p, [1, 2])), bool(is_jr(p, [0, 1]))
    (False, True)
    """
    owner = "is_jr"
    A, w, n, k, members, in_w = _setup(profile, committee, k, owner)
    quota = Fraction(n, k)
    unrepresented = ~(A & in_w).any(axis=1)
    found = _cohesive_search(A, w, unrepresented, 1, n, k)
    if found is None:
        return ProportionalityCheck("jr", True, members, quota)
    T, mask = found
    return _violation("jr", members, quota, 1, T, mask, A, w, in_w)


def is_ejr(profile, committee, /, *, k: int | None = None, algorithm: str = "auto") -> ProportionalityCheck:
    """Extended justified representation: every l-cohesive group has a voter approving ``>= l`` committee members.

    Parameters
    ----------
    profile : ApprovalProfile
    committee : sequence of int
    k : int, optional
        Committee size for the quota (default ``len(committee)``).
    algorithm : {"auto", "enumeration", "milp"}
        See the module docstring.

    References
    ----------
    .. [1] H. Aziz, M. Brill, V. Conitzer, E. Elkind, R. Freeman and T. Walsh,
       "Justified representation in approval-based committee voting", *Social
       Choice and Welfare* 48 (2017) 461-485.

    Examples
    --------
    Four voters approve {0, 1}, two approve {2}: with k = 3 the quota is 2 and the
    group of four is 2-cohesive, so {0, 2, 3} violates EJR (each of the four
    approves only one member).

    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}] * 4 + [{2}] * 2, n_alternatives=4)
    >>> check = is_ejr(p, [0, 2, 3])
    >>> bool(check), check.ell, check.candidates, check.voters
    (False, 2, (0, 1), (0, 1, 2, 3))
    """
    owner = "is_ejr"
    A, w, n, k, members, in_w = _setup(profile, committee, k, owner)
    algorithm = _algorithm(algorithm, A, owner)
    quota = Fraction(n, k)
    sat = (A & in_w).sum(axis=1)
    for ell in range(1, k + 1):
        eligible = sat < ell
        found = (_cohesive_search(A, w, eligible, ell, ell * n, k) if algorithm == "enumeration"
                 else _milp_search(A, w, eligible, ell, n, k, None))
        if found is not None:
            return _violation("ejr", members, quota, ell, found[0], found[1], A, w, in_w)
    return ProportionalityCheck("ejr", True, members, quota)


def is_pjr(profile, committee, /, *, k: int | None = None, algorithm: str = "auto") -> ProportionalityCheck:
    """Proportional justified representation: every l-cohesive group jointly approves ``>= l`` committee members.

    Parameters
    ----------
    profile : ApprovalProfile
    committee : sequence of int
    k : int, optional
        Committee size for the quota (default ``len(committee)``).
    algorithm : {"auto", "enumeration", "milp"}
        See the module docstring.

    References
    ----------
    .. [1] L. Sanchez-Fernandez, E. Elkind, M. Lackner, N. Fernandez, J. A. Fisteus,
       P. Basanta Val and P. Skowron, "Proportional justified representation",
       AAAI 2017, 670-676.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}] * 4 + [{2}] * 2, n_alternatives=4)
    >>> bool(is_pjr(p, [0, 2, 3])), bool(is_pjr(p, [0, 1, 2]))
    (False, True)
    """
    owner = "is_pjr"
    A, w, n, k, members, in_w = _setup(profile, committee, k, owner)
    algorithm = _algorithm(algorithm, A, owner)
    quota = Fraction(n, k)
    W = list(members)
    sat = (A & in_w).sum(axis=1)
    for ell in range(1, k + 1):
        if algorithm == "milp":
            found = _milp_search(A, w, sat < ell, ell, n, k, in_w)
            if found is not None:
                return _violation("pjr", members, quota, ell, found[0], found[1], A, w, in_w)
            continue
        size = min(ell - 1, len(W))
        for R in itertools.combinations(W, size):
            allowed = in_w.copy()
            allowed[list(R)] = False                   # committee members the group must not approve
            eligible = ~(A & allowed).any(axis=1)
            found = _cohesive_search(A, w, eligible, ell, ell * n, k)
            if found is not None:
                return _violation("pjr", members, quota, ell, found[0], found[1], A, w, in_w)
    return ProportionalityCheck("pjr", True, members, quota)


def _algorithm(algorithm, A, owner):
    algorithm = check_option(algorithm, "algorithm", owner, _ALGORITHMS)
    if algorithm == "auto":
        return "enumeration" if A.shape[1] <= 30 else "milp"
    return algorithm


def _sat_below(A, in_w, ell):
    """Voters approving fewer than ``ell`` committee members (the only ones a PJR group can contain)."""
    return (A & in_w).sum(axis=1) < ell


def _milp_search(A, w, eligible, ell, n, k, in_w):
    """Heaviest l-cohesive group violating EJR (in_w None: among eligible voters) or PJR; None if too light."""
    nb, m = A.shape
    voters = np.flatnonzero(eligible & (w > 0)) if in_w is None else np.flatnonzero(_sat_below(A, in_w, ell) & (w > 0))
    if voters.size == 0 or int(w[voters].sum()) * k < ell * n:
        return None
    # candidates some heavy enough group could approve in common; the others are fixed out
    support = (w[voters, None] * A[voters]).sum(axis=0) * k
    if int(np.count_nonzero(support >= ell * n)) < ell:
        return None
    members = np.flatnonzero(in_w) if in_w is not None else np.zeros(0, dtype=int)
    nv, nz, nr = m, voters.size, members.size
    total = nv + nz + nr
    ub = np.ones(total)
    ub[:m] = (support >= ell * n).astype(float)
    lp = LinearProgram(total, lb=0.0, ub=ub, integrality=np.ones(total, dtype=bool))
    size = np.zeros(total)
    size[:m] = 1.0
    lp.add_constraints("size", size[None, :], lower=[float(ell)], upper=[float(ell)])
    # a chosen voter approves every chosen candidate:  sum_{c not in A_i} y_c + ell z_i <= ell
    rows, cols, vals = [], [], []
    for r, i in enumerate(voters):
        outside = np.flatnonzero(~A[i])
        rows += [r] * outside.size + [r]
        cols += outside.tolist() + [m + r]
        vals += [1.0] * outside.size + [float(ell)]
    lp.add_constraints("cohesive", sp.csr_array((vals, (rows, cols)), shape=(nz, total)), upper=np.full(nz, ell))
    if nr:
        # PJR: the group approves only members in R (|R| <= ell - 1): sum_{c in A_i & W} (1 - r_c) <= s_i (1 - z_i)
        index = {int(c): nv + nz + t for t, c in enumerate(members)}
        rows, cols, vals, upper = [], [], [], []
        for r, i in enumerate(voters):
            approved = [int(c) for c in np.flatnonzero(A[i] & in_w)]
            rows += [r] * len(approved) + [r]
            cols += [index[c] for c in approved] + [m + r]
            vals += [-1.0] * len(approved) + [float(len(approved))]
        lp.add_constraints("represented", sp.csr_array((vals, (rows, cols)), shape=(nz, total)), upper=np.zeros(nz))
        budget = np.zeros(total)
        budget[nv + nz:] = 1.0
        lp.add_constraints("members", budget[None, :], upper=[float(ell - 1)])
    # a violating group is any feasible point with weight * k >= ell * n: a feasibility MILP
    heavy = np.zeros(total)
    heavy[m:m + nz] = w[voters] * k
    lp.add_constraints("weight", heavy[None, :], lower=[ell * n - 0.5])
    res = lp.solve(np.zeros(total), backend="highs")
    if res.x is None:
        return None
    T = tuple(int(c) for c in np.flatnonzero(res.x[:m] > 0.5))
    mask = np.zeros(nb, dtype=bool)
    mask[voters[res.x[m:m + nz] > 0.5]] = True
    return T, mask
