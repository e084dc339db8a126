"""Approval-based committee selection over arrays, exactly, with every tied committee.

The data are a boolean approval matrix ``A`` of shape ``(n_ballots, n_candidates)``
with integer ballot weights ``w``, and a committee size ``k``.

* :func:`thiele_committees` - every committee maximizing a Thiele score
  ``sum_i w_i f(|A_i & W|)`` with ``f`` given by integer marginal weights (AV,
  CC and PAV are :func:`thiele_marginals`): brute force over all ``k``-subsets
  (vectorized, exact integers) when there are few, otherwise a MILP solved with
  HiGHS through :class:`solvers.lp.LinearProgram`, whose tied optima are
  enumerated with no-good cuts.
* :func:`sequential_thiele`, :func:`sequential_phragmen`, :func:`equal_shares`
  - the greedy rules; ties are resolved in every possible way ("parallel
  universes"), so the result lists every committee some tie-breaking order
  elects.  Arithmetic is exact (integers and :class:`fractions.Fraction`).

Every function returns the sorted list of winning committees (sorted tuples of
candidate ids).
"""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import scipy.sparse as sp

from .lp import LinearProgram
from .validation import check_array, check_int, check_option, fail

__all__ = ["thiele_marginals", "thiele_score", "thiele_committees", "separable_committees", "sequential_thiele",
           "sequential_phragmen", "equal_shares", "COMPLETIONS"]

#: how the method of equal shares fills a committee that its first phase leaves short
COMPLETIONS = ("seq_phragmen", "av", "none")

_BRUTE_FORCE_LIMIT = 50_000


def thiele_marginals(rule: str, k: int) -> np.ndarray:
    """Integer marginal weights ``a_1 >= a_2 >= ... >= a_k`` of a Thiele rule, scaled to integers.

    ``"av"``: all 1; ``"cc"``: ``(1, 0, ..., 0)``; ``"pav"``: ``L / l`` with
    ``L = lcm(1, ..., k)`` (the harmonic weights ``1 / l`` times ``L``).

    Examples
    --------
    >>> thiele_marginals("pav", 4).tolist()
    [12, 6, 4, 3]
    """
    owner = "thiele_marginals"
    rule = check_option(rule, "rule", owner, ("av", "cc", "pav"))
    k = check_int(k, "k", owner, low=1)
    if rule == "av":
        return np.ones(k, dtype=np.int64)
    if rule == "cc":
        return np.array([1] + [0] * (k - 1), dtype=np.int64)
    L = math.lcm(*range(1, k + 1))
    return np.array([L // l for l in range(1, k + 1)], dtype=np.int64)


def _data(approvals, weights, k, owner):
    A = check_array(approvals, "approvals", owner, dtype="bool", ndim=2)
    n, m = A.shape
    if m == 0:
        fail("approvals", owner, "an array with at least one candidate (column)", A)
    if weights is None:
        w = np.ones(n, dtype=np.int64)
    else:
        w = check_array(weights, "weights", owner, dtype="int", shape=(n,), nonnegative=True)
    k = check_int(k, "k", owner, low=1, high=m)
    keep = w > 0
    A, w = np.asarray(A[keep]), np.asarray(w[keep], dtype=np.int64)
    if A.shape[0]:
        rows, inverse = np.unique(A, axis=0, return_inverse=True)
        w = np.bincount(inverse.reshape(-1), weights=w, minlength=rows.shape[0]).astype(np.int64)
        A = rows
    return A.astype(bool), w, k


def _cumulative(marginals, k):
    a = np.zeros(k, dtype=np.int64)
    a[:min(k, len(marginals))] = np.asarray(marginals, dtype=np.int64)[:k]
    return np.concatenate([[0], np.cumsum(a)])


def thiele_score(approvals, committee, marginals, /, *, weights=None) -> int:
    """The (scaled, exact) Thiele score ``sum_i w_i f(|A_i & W|)`` of one committee.

    Examples
    --------
    >>> thiele_score([[1, 1, 0], [0, 1, 1]], [0, 1], thiele_marginals("pav", 2))
    5
    """
    owner = "thiele_score"
    A = check_array(approvals, "approvals", owner, dtype="bool", ndim=2)
    w = np.ones(A.shape[0], dtype=np.int64) if weights is None else \
        np.asarray(check_array(weights, "weights", owner, dtype="int", shape=(A.shape[0],)), dtype=np.int64)
    members = np.asarray(committee, dtype=np.int64)
    sat = A[:, members].sum(axis=1)
    cum = _cumulative(marginals, max(int(members.size), 1))
    return int(w @ cum[np.minimum(sat, cum.size - 1)])


def thiele_committees(approvals, k, marginals, /, *, weights=None, algorithm: str = "auto",
                      max_committees: int | None = None) -> tuple[list[tuple[int, ...]], int]:
    """Every committee of size ``k`` maximizing a Thiele score, and the optimal (scaled) score.

    Parameters
    ----------
    approvals : bool array of shape (n_ballots, n_candidates)
    k : int
    marginals : sequence of int
        Nonincreasing nonnegative integer marginal weights (see :func:`thiele_marginals`).
    weights : int array, optional
    algorithm : {"auto", "brute_force", "milp"}
        ``"auto"``: brute force when ``C(m, k) <= 50,000``, else the MILP.
    max_committees : int, optional
        Stop after this many optimal committees (a warning says so).

    Notes
    -----
    The MILP (Lackner and Skowron, ch. 7) has a binary ``x_c`` per candidate and
    ``y_{i,l} in [0, 1]`` per ballot and satisfaction level with
    ``sum_l y_{i,l} <= sum_{c in A_i} x_c``; concavity makes ``y`` integral.  The
    objective is integral (scaled marginals).  The first solve starts from a
    greedy committee improved by single swaps (an incumbent for branch and
    bound); after the optimum ``V`` the score is maximized again with one no-good
    cut per committee found, so committees come in nonincreasing score order and
    the first one below ``V`` proves the tied set complete; each is re-scored
    exactly in integers.

    References
    ----------
    .. [1] T. N. Thiele, "Om flerfoldsvalg", *Oversigt over det Kongelige Danske
       Videnskabernes Selskabs Forhandlinger* (1895) 415-441.
    .. [2] M. Lackner and P. Skowron, *Multi-Winner Voting with Approval Preferences*,
       Springer (2023).

    Examples
    --------
    >>> A = [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1]]
    >>> thiele_committees(A, 2, thiele_marginals("pav", 2))
    ([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)], 6)
    """
    owner = "thiele_committees"
    A, w, k = _data(approvals, weights, k, owner)
    algorithm = check_option(algorithm, "algorithm", owner, ("auto", "brute_force", "milp"))
    a = np.asarray(check_array(marginals, "marginals", owner, dtype="int", ndim=1, nonnegative=True),
                   dtype=np.int64)
    if a.size > 1 and np.any(np.diff(a[:k]) > 0):
        fail("marginals", owner, "nonincreasing (a Thiele rule with concave satisfaction)", a)
    if max_committees is not None:
        max_committees = check_int(max_committees, "max_committees", owner, low=1)
    m = A.shape[1]
    cum = _cumulative(a, k)
    if algorithm == "auto":
        algorithm = "brute_force" if math.comb(m, k) <= _BRUTE_FORCE_LIMIT else "milp"
    if algorithm == "brute_force":
        return _thiele_brute_force(A, w, k, cum, max_committees)
    return _thiele_milp(A, w, k, cum, max_committees)


def _thiele_brute_force(A, w, k, cum, max_committees):
    m = A.shape[1]
    Ai = A.astype(np.int64)
    best, found = None, []
    chunk = max(1, 2_000_000 // max(1, A.shape[0]))
    combos = itertools.combinations(range(m), k)
    while True:
        block = np.array(list(itertools.islice(combos, chunk)), dtype=np.int64)
        if block.size == 0:
            break
        X = np.zeros((block.shape[0], m), dtype=np.int64)
        np.put_along_axis(X, block, 1, axis=1)
        sat = Ai @ X.T                                           # (n_ballots, n_block)
        scores = w @ cum[sat] if A.shape[0] else np.zeros(block.shape[0], dtype=np.int64)
        top = int(scores.max())
        if best is None or top > best:
            best, found = top, []
        if top == best:
            found.extend(tuple(int(c) for c in row) for row in block[scores == best])
    found.sort()
    return _cap(found, None if max_committees is None else max_committees), int(best)


def _cap(committees, limit):
    if limit is not None and len(committees) > limit:
        warnings.warn(f"{len(committees)} tied committees; returning the first {limit} (max_committees)",
                      RuntimeWarning, stacklevel=3)
        return committees[:limit]
    return committees


def _thiele_milp(A, w, k, cum, max_committees):
    n, m = A.shape
    a = np.diff(cum)                                            # marginals a_1..a_k
    levels = [min(k, int(A[i].sum()), int(np.count_nonzero(a))) for i in range(n)]
    n_y = int(sum(levels))
    nv = m + n_y
    integrality = np.zeros(nv, dtype=bool)
    integrality[:m] = True
    lp = LinearProgram(nv, lb=0.0, ub=1.0, integrality=integrality)
    cost = np.zeros(nv)
    rows, cols, vals = [], [], []
    col = m
    for i in range(n):
        for l in range(levels[i]):
            cost[col] = w[i] * a[l]
            rows.append(i)
            cols.append(col)
            vals.append(1.0)
            col += 1
        approved = np.flatnonzero(A[i])
        rows.extend([i] * approved.size)
        cols.extend(approved.tolist())
        vals.extend([-1.0] * approved.size)
    if n:
        lp.add_constraints("satisfaction", sp.csr_array((vals, (rows, cols)), shape=(n, nv)), upper=np.zeros(n))
    size_row = np.zeros(nv)
    size_row[:m] = 1.0
    lp.add_constraints("size", size_row[None, :], lower=[float(k)], upper=[float(k)])
    options = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.25}
    res = lp.solve(cost, maximize=True, backend="highs", options=options,
                   start=_thiele_start(A, levels, nv, _local_search(A, w, k, cum)))
    if res.x is None:  # pragma: no cover - a committee always exists
        raise RuntimeError(f"the Thiele MILP failed: {res.status.value} {res.info.message}")
    best = int(round(res.objective))
    # Tied optima: re-maximize the score with a no-good cut per committee found; the committees come in
    # nonincreasing score order, and the first one scoring below ``best`` proves the tied set complete
    # (optimizing beats a zero-objective feasibility search of ``score >= best``, which has no bound to prune by).
    found = set()
    x = res.x
    t = 0
    while True:
        committee = tuple(int(c) for c in np.flatnonzero(x[:m] > 0.5))
        score = int(w @ cum[A[:, list(committee)].sum(axis=1)]) if n else 0
        if score > best:  # pragma: no cover - the first solve was not optimal: restart the tie set
            best, found = score, set()
        if score < best:
            break
        found.add(committee)
        if max_committees is not None and len(found) > max_committees:
            break
        t += 1
        cut = np.zeros(nv)
        cut[list(committee)] = 1.0
        lp.add_constraints(f"nogood_{t}", cut[None, :], upper=[k - 1.0])
        neighbour = _best_neighbour(A, w, k, cum, committee, found)
        res = lp.solve(cost, maximize=True, backend="highs", options=options,
                       start=None if neighbour is None else _thiele_start(A, levels, nv, neighbour))
        if res.x is None:
            break
        x = res.x
    return _cap(sorted(found), max_committees), best


def _local_search(A, w, k, cum):
    """A good committee for the MILP to start from: greedy (first choice at every tie), then best single swaps."""
    n, m = A.shape
    Ai = A.astype(np.int64)
    gain_table = np.append(np.diff(cum), 0)
    inside = np.zeros(m, dtype=bool)
    sat = np.zeros(n, dtype=np.int64)
    for _ in range(k):
        gains = np.where(inside, -1, (w * gain_table[np.minimum(sat, k)]) @ Ai) if n else np.where(inside, -1, 0)
        c = int(np.argmax(gains))
        inside[c] = True
        sat += Ai[:, c]
    if not n:
        return np.flatnonzero(inside)
    for _ in range(10 * k):  # bounded number of improving swaps
        score = int(w @ cum[sat])
        best_gain, move = 0, None
        for out in np.flatnonzero(inside):
            base = sat - Ai[:, out]
            totals = w @ cum[np.minimum(base[:, None] + Ai, k)]          # add each candidate after removing out
            totals = np.where(inside, -1, totals)
            j = int(np.argmax(totals))
            if totals[j] - score > best_gain:
                best_gain, move = int(totals[j] - score), (int(out), j)
        if move is None:
            break
        inside[move[0]], inside[move[1]] = False, True
        sat += Ai[:, move[1]] - Ai[:, move[0]]
    return np.flatnonzero(inside)


def _best_neighbour(A, w, k, cum, committee, found):
    """The best committee one swap away from ``committee`` and not in ``found`` (a start for the next solve)."""
    n, m = A.shape
    members = np.asarray(committee, dtype=np.int64)
    if not n or members.size == m:
        return None
    Ai = A.astype(np.int64)
    outside = np.setdiff1d(np.arange(m), members)
    sat = Ai[:, members].sum(axis=1)
    best, pick = None, None
    for out in members:
        totals = w @ cum[np.minimum((sat - Ai[:, out])[:, None] + Ai[:, outside], k)]
        for j in np.argsort(-totals, kind="stable"):
            swapped = tuple(sorted(set(committee) - {int(out)} | {int(outside[j])}))
            if swapped not in found:
                if best is None or totals[j] > best:
                    best, pick = int(totals[j]), swapped
                break
    return None if pick is None else np.asarray(pick, dtype=np.int64)


def _thiele_start(A, levels, nv, committee):
    """The MILP point of a committee: ``x`` its indicator, ``y_{i,l} = 1`` for the first satisfied levels."""
    x = np.zeros(nv)
    x[committee] = 1.0
    sat = A[:, committee].sum(axis=1)
    col = A.shape[1]
    for i, size in enumerate(levels):
        x[col:col + min(size, int(sat[i]))] = 1.0
        col += size
    return x


# ---------------------------------------------------------------------- sequential rules
def _check_states(count, limit=200_000):
    if count > limit:  # pragma: no cover - pathological tie structures
        raise RuntimeError(f"more than {limit} partial committees explored while resolving ties")


def sequential_thiele(approvals, k, marginals, /, *, weights=None) -> list[tuple[int, ...]]:
    """Greedy Thiele (e.g. seq-PAV): add the candidate with the largest marginal score, ``k`` times.

    Ties are resolved in every way (every committee some tie-breaking elects).

    References
    ----------
    .. [1] T. N. Thiele, "Om flerfoldsvalg" (1895); M. Lackner and P. Skowron,
       *Multi-Winner Voting with Approval Preferences*, Springer (2023), section 2.3.

    Examples
    --------
    >>> sequential_thiele([[1, 1, 0], [1, 0, 1]], 2, thiele_marginals("pav", 2))
    [(0, 1), (0, 2)]
    """
    owner = "sequential_thiele"
    A, w, k = _data(approvals, weights, k, owner)
    a = np.asarray(check_array(marginals, "marginals", owner, dtype="int", ndim=1, nonnegative=True),
                   dtype=np.int64)
    cum = _cumulative(a, k)
    gain_table = np.append(np.diff(cum), 0)                    # a_{s+1} for satisfaction s (0 beyond k)
    Ai = A.astype(np.int64)
    m = A.shape[1]
    results, seen, stack = set(), {frozenset()}, [frozenset()]
    while stack:
        committee = stack.pop()
        if len(committee) == k:
            results.add(tuple(sorted(committee)))
            continue
        members = sorted(committee)
        sat = Ai[:, members].sum(axis=1) if members else np.zeros(A.shape[0], dtype=np.int64)
        gains = (w * gain_table[np.minimum(sat, k)]) @ Ai if A.shape[0] else np.zeros(m, dtype=np.int64)
        gains = np.where(np.isin(np.arange(m), members), -1, gains)
        best = gains.max()
        for c in np.flatnonzero(gains == best):
            nxt = committee | {int(c)}
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
        _check_states(len(seen))
    return sorted(results)


def _phragmen_universes(A, w, k, start, loads, results, seen_limit=200_000):
    """seq-Phragmen from a partial committee and loads (per unit of weight); every tie branch."""
    n, m = A.shape
    approvers = [np.flatnonzero(A[:, c]) for c in range(m)]
    support = [int(w[idx].sum()) for idx in approvers]
    stack = [(tuple(sorted(start)), tuple(loads))]
    seen = {stack[0]}
    while stack:
        committee, load = stack.pop()
        if len(committee) >= k:
            results.add(tuple(sorted(committee)))
            continue
        best, tied = None, []
        for c in range(m):
            if c in committee:
                continue
            if support[c] == 0:
                value = None                                    # infinite: only when nothing else is left
            else:
                value = (1 + sum((int(w[i]) * load[i] for i in approvers[c]), Fraction(0))) / support[c]
            key = (value is None, value if value is not None else 0)
            if best is None or key < best:
                best, tied = key, [c]
            elif key == best:
                tied.append(c)
        for c in tied:
            if support[c] == 0:
                new_load = load
            else:
                value = best[1]
                new_load = tuple(value if A[i, c] else load[i] for i in range(n))
            state = (tuple(sorted(committee + (c,))), new_load)
            if state not in seen:
                seen.add(state)
                stack.append(state)
        _check_states(len(seen), seen_limit)


def sequential_phragmen(approvals, k, /, *, weights=None) -> list[tuple[int, ...]]:
    """Phragmen's sequential rule: add the candidate whose approvers end with the smallest maximal load.

    Loads are per unit of weight; adding ``c`` spreads one unit of load over its
    approvers so that they end with the common load ``(1 + sum_i w_i l_i) /
    sum_i w_i``.  Candidates nobody approves come last (all tied).  Every
    tie-breaking order is explored; arithmetic is exact (Fractions).

    References
    ----------
    .. [1] E. Phragmen, "Sur une methode nouvelle pour realiser, dans les elections, la
       representation proportionnelle des partis", *Ofversigt af Kongl.
       Vetenskaps-Akademiens Forhandlingar* 51 (1894) 133-137.
    .. [2] M. Brill, R. Freeman, S. Janson and M. Lackner, "Phragmen's voting methods and
       justified representation", AAAI 2017 (Mathematical Programming 2024).

    Examples
    --------
    >>> sequential_phragmen([[1, 1, 0], [1, 1, 0], [0, 0, 1]], 2)
    [(0, 1), (0, 2), (1, 2)]
    """
    owner = "sequential_phragmen"
    A, w, k = _data(approvals, weights, k, owner)
    results: set = set()
    _phragmen_universes(A, w, k, (), [Fraction(0)] * A.shape[0], results)
    return sorted(results)


def _mes_price(budget, w, approvers, q_cache=None):
    """Smallest q with sum_i min(b_i, q w_i) = 1 over the approvers (budgets b_i total per ballot), or None."""
    if not approvers.size:
        return None
    total = sum((budget[i] for i in approvers), Fraction(0))
    if total < 1:
        return None
    # sort by budget per unit of weight; the poorest pay everything they have
    order = sorted(approvers.tolist(), key=lambda i: budget[i] / int(w[i]))
    paid, rich_weight = Fraction(0), sum(int(w[i]) for i in order)
    for i in order:
        q = (1 - paid) / rich_weight
        if budget[i] >= q * int(w[i]):
            return q
        paid += budget[i]
        rich_weight -= int(w[i])
    return None  # pragma: no cover - total >= 1 guarantees a price


def equal_shares(approvals, k, /, *, weights=None, completion: str = "seq_phragmen") -> list[tuple[int, ...]]:
    """The method of equal shares (Rule X) for approval ballots, with a completion rule.

    Each voter starts with a budget of ``k / n`` (``n`` the total weight) and each
    candidate costs 1.  Repeatedly, among the candidates whose approvers can still
    afford them, elect one that needs the smallest per-voter payment ``q``
    (approvers pay ``min(budget, q)`` each, per unit of weight).  When no candidate
    is affordable and the committee is short, ``completion`` fills it:

    * ``"seq_phragmen"`` (default; the completion of Peters and Skowron and of
      abcvoting's ``equal-shares``): seq-Phragmen continued from loads equal to
      minus the voters' leftover budgets;
    * ``"av"``: the remaining seats go to the candidates with the most approvals;
    * ``"none"``: the committee may be smaller than ``k``.

    Every tie-breaking order is explored; arithmetic is exact (Fractions).

    References
    ----------
    .. [1] D. Peters and P. Skowron, "Proportionality and the limits of welfarism",
       ACM EC 2020, 793-794 (arXiv:1911.11747).
    .. [2] D. Peters, G. Pierczynski and P. Skowron, "Proportional participatory
       budgeting with additive utilities", NeurIPS 2021.

    Examples
    --------
    >>> equal_shares([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], 2)
    [(0, 1), (0, 2)]
    """
    owner = "equal_shares"
    A, w, k = _data(approvals, weights, k, owner)
    completion = check_option(completion, "completion", owner, COMPLETIONS)
    n, m = A.shape
    total = int(w.sum())
    approvers = [np.flatnonzero(A[:, c]) for c in range(m)]
    start = tuple(Fraction(int(w[i]) * k, total) for i in range(n)) if total else ()
    results: set = set()
    stack = [((), start)]
    seen = {stack[0]}
    while stack:
        committee, budget = stack.pop()
        if len(committee) == k:
            results.add(tuple(sorted(committee)))
            continue
        prices = {}
        for c in range(m):
            if c not in committee:
                q = _mes_price(budget, w, approvers[c])
                if q is not None:
                    prices[c] = q
        if prices:
            best = min(prices.values())
            for c in sorted(c for c, q in prices.items() if q == best):
                new_budget = list(budget)
                for i in approvers[c]:
                    new_budget[i] = budget[i] - min(budget[i], best * int(w[i]))
                state = (tuple(sorted(committee + (c,))), tuple(new_budget))
                if state not in seen:
                    seen.add(state)
                    stack.append(state)
            _check_states(len(seen))
            continue
        if completion == "none":
            results.add(tuple(sorted(committee)))
        elif completion == "seq_phragmen":
            loads = [-budget[i] / int(w[i]) for i in range(n)]
            _phragmen_universes(A, w, k, committee, loads, results)
        else:
            results.update(_av_fill(A, w, k, committee))
    return sorted(results)


def _av_fill(A, w, k, committee):
    """Fill with the most-approved candidates outside the committee; every tied choice."""
    m = A.shape[1]
    scores = (w @ A.astype(np.int64)) if A.shape[0] else np.zeros(m, dtype=np.int64)
    outside = [c for c in range(m) if c not in committee]
    fills = separable_committees([int(scores[c]) for c in outside], k - len(committee))
    return [tuple(sorted(tuple(committee) + tuple(outside[i] for i in fill))) for fill in fills]


def separable_committees(scores, k, /, *, max_committees: int | None = None) -> list[tuple[int, ...]]:
    """Every set of ``k`` indices with the largest scores (all choices among the tied at the cut-off).

    ``scores`` may be any exactly comparable numbers (ints, Fractions).  Committees
    are listed in lexicographic order; ``max_committees`` stops the listing (with a
    warning).

    Examples
    --------
    >>> separable_committees([3, 1, 2, 2], 2)
    [(0, 2), (0, 3)]
    """
    values = list(scores)
    m = len(values)
    k = check_int(k, "k", "separable_committees", low=0, high=m)
    if max_committees is not None:
        max_committees = check_int(max_committees, "max_committees", "separable_committees", low=1)
    if k == 0:
        return [()]
    cutoff = sorted(values, reverse=True)[k - 1]
    certain = [c for c in range(m) if values[c] > cutoff]
    pool = [c for c in range(m) if values[c] == cutoff]
    missing = k - len(certain)
    total = math.comb(len(pool), missing)
    out = []
    for extra in itertools.combinations(pool, missing):
        out.append(tuple(sorted(certain + list(extra))))
        if max_committees is not None and len(out) > max_committees:
            break
    out.sort()
    if max_committees is not None and total > max_committees:
        warnings.warn(f"{total} tied committees; returning {max_committees} of them (max_committees)",
                      RuntimeWarning, stacklevel=2)
        out = out[:max_committees]
    return out
