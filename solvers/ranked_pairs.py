"""Neutral Ranked Pairs: the exact set of winners over every tie-breaking of equal margins.

Ranked Pairs (Tideman 1987) takes the majority edges ``a -> b`` (``M[a, b] > 0``)
from the largest margin to the smallest and *locks* each one unless it would
close a cycle with the edges locked before it; the winners are the
alternatives no locked edge points to.  When several edges have the same
margin the outcome can depend on the order in which they are taken; the
*neutral* (anonymous and neutral) version (Zavist and Tideman 1989; Brill and
Fischer 2012) declares a winner every alternative that wins under *some*
order of the tied edges.  Pairs with a zero margin are not edges.

Enumerating every order is hopeless (``k!`` per group of ``k`` tied edges).
:func:`ranked_pairs` searches instead:

* one run with ties broken by ids gives some winners, and tells whether the
  ties mattered at all: within a group of tied edges, an edge that is already
  *blocked* (its head reaches its tail) is skipped in every order, and an edge
  that stays unblocked even if every other edge of the group were locked is
  locked in every order and can be locked at once; if every group reduces this
  way, the outcome is the same for every order;
* otherwise, for each alternative ``c`` not yet known to win, a depth-first
  search over the orders of the edges left after that reduction (memoized on
  locked reachability and edges left) looks for an order under which ``c``
  wins: edges into ``c`` are taken last, and a branch dies as soon as ``c``
  has a locked in-edge or some later edge ``x -> c`` has an ``x`` that ``c``
  could not reach even if every later edge not into ``c`` were locked.  A
  witness order adds all winners of its outcome at once.

Deciding whether an alternative is a neutral Ranked Pairs winner is NP-complete
(Brill and Fischer 2012), so the worst case stays exponential in the number of
tied edges; the pruning makes margins with few or structured ties cheap.

Reachability is kept as one Python-int bitset per alternative, so locking an
edge is a few word operations.  Without tied margins this is the plain
``O(m**2)``-edge locking loop.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .validation import check_array, check_int, check_real, fail

__all__ = ["RankedPairsResult", "ranked_pairs"]

_OWNER = "ranked_pairs"


@dataclasses.dataclass(frozen=True)
class RankedPairsResult:
    """Outcome of neutral Ranked Pairs on a margin matrix.

    Attributes
    ----------
    winners : tuple of int
        Every alternative that wins under some order of the tied margins (sorted).
    ranking : tuple of int or None
        The locked order, best first, when every order of the tied margins
        provably locks the same edges (each tied group reduces to blocked and
        safe edges) and that order is complete (no zero margin left it partial);
        None otherwise.
    tied_groups : int
        Number of groups of two or more edges with equal margins.
    states : int
        Number of search states visited (groups of the first run plus the
        states of the per-alternative searches).
    time : float
        Wall time in seconds.
    complete : bool
        False when ``max_states`` stopped the search before every alternative was settled.
    undecided : tuple of int
        The alternatives left unsettled (empty when complete).
    """

    winners: tuple
    ranking: tuple | None
    tied_groups: int
    states: int
    time: float
    complete: bool = True
    undecided: tuple = ()

    def __repr__(self) -> str:
        ranking = "None" if self.ranking is None else list(self.ranking)
        extra = "" if self.complete else f", complete=False, undecided={list(self.undecided)}"
        return (f"RankedPairsResult(winners={list(self.winners)}, ranking={ranking}, tied_groups={self.tied_groups}, "
                f"states={self.states}{extra}, time={self.time * 1e3:.2f} ms)")


def check_margin_matrix(margins, owner: str, *, atol: float = 0.0) -> np.ndarray:
    """A finite square antisymmetric real matrix (read-only float64), or a ValidationError."""
    M = check_array(margins, "margins", owner, ndim=2, min_size=1)
    if M.shape[0] != M.shape[1]:
        fail("margins", owner, "a square (m, m) matrix", M)
    scale = max(1.0, float(np.abs(M).max(initial=0.0)))
    if float(np.abs(M + M.T).max(initial=0.0)) > atol * scale:
        fail("margins", owner, "antisymmetric (M[a, b] == -M[b, a], zero diagonal)", M,
             hint="Pass a margin matrix S - S.T built from a support matrix S.")
    return M


def _lock(reach: list[int], a: int, b: int) -> None:
    """Add the edge a -> b to the transitive closure ``reach`` (in place)."""
    bit_a = 1 << a
    rb = reach[b]
    for u in range(len(reach)):
        if reach[u] & bit_a:
            reach[u] |= rb


def _closure_with(state: list[int], edges) -> list[int]:
    """Transitive closure of the closed relation ``state`` plus ``edges``."""
    closure = list(state)
    m = len(closure)
    if len(edges) <= m:
        for a, b in edges:
            _lock(closure, a, b)
        return closure
    for a, b in edges:
        closure[a] |= 1 << b
    for k in range(m):  # Warshall on bitsets
        bit, row = 1 << k, closure[k]
        for i in range(m):
            if closure[i] & bit:
                closure[i] |= row
        # rows updated later pick up the new closure[k] through closure[i] |= row
    return closure


def _sources(reach: tuple[int, ...], full: int) -> int:
    reached = 0
    for u, r in enumerate(reach):
        reached |= r & ~(1 << u)
    return full & ~reached


def _normalize(state: list[int], remaining: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Apply the moves every order makes: drop blocked edges, lock safe ones (in place on ``state``).

    An edge is blocked when its head already reaches its tail; it is *safe* when
    its head cannot reach its tail even with every remaining edge locked (a
    path from b to a never uses the edge a -> b itself, so that closure may
    include it).  A safe edge is locked under every order, and locking it first
    does not change which other edges get locked.  Returns the edges whose
    fate depends on the order.
    """
    while True:
        remaining = [(a, b) for a, b in remaining if not state[b] >> a & 1]
        if not remaining:
            return remaining
        closure = _closure_with(state, remaining)
        safe = [(a, b) for a, b in remaining if not closure[b] >> a & 1]
        if not safe:
            return remaining
        for a, b in safe:
            _lock(state, a, b)
        remaining = [e for e in remaining if e not in safe]


def _canonical_run(m: int, groups) -> tuple[tuple[int, ...], bool]:
    """Lock with ties taken in (tail, head) order; also report whether every order provably agrees."""
    state = [1 << v for v in range(m)]
    agreed = True
    for edges in groups:
        rest = _normalize(state, list(edges))
        if rest:
            agreed = False
            for a, b in rest:
                if not state[b] >> a & 1:
                    _lock(state, a, b)
    return tuple(state), agreed


def _still_possible(c, state, others, rem, groups, g) -> bool:
    """Necessary condition for ``c`` to win from here, respecting the order of the margins.

    An edge ``x -> c`` taken with group ``h`` must be blocked then, so ``c`` must
    reach ``x`` through locked edges and edges of groups ``g .. h`` not into ``c``
    (assuming, optimistically, that every one of those gets locked).
    """
    reach_c = state[c]
    pending: list[tuple[int, int]] = []
    for h in range(g, len(groups)):
        edges = rem if h == g else groups[h]
        # edges blocked already stay blocked: they can never help c
        pending.extend(e for e in (others if h == g else edges) if e[1] != c and not state[e[1]] >> e[0] & 1)
        grew = True
        while grew:
            grew = False
            keep = []
            for a, b in pending:
                if reach_c >> b & 1:
                    continue  # already reached: the edge can no longer help
                if reach_c >> a & 1:
                    reach_c |= state[b] | (1 << b)
                    grew = True
                else:
                    keep.append((a, b))
            pending = keep
        for a, b in edges:
            if b == c and not reach_c >> a & 1:
                return False
    return True


def _greedy_witness(c: int, m: int, groups, full: int) -> int:
    """One order built for ``c``: per group, first the edges growing what ``c`` reaches, edges into ``c`` last.

    With a single group of tied edges this order makes ``c`` win whenever any
    order does (``c`` wins iff it reaches, through the group, everyone who beats
    it).  Returns the winners of that order if ``c`` is one of them, else 0.
    """
    bit_c = 1 << c
    state = [1 << v for v in range(m)]
    for edges in groups:
        rest = [e for e in edges if e[1] != c]
        grew = True
        while grew:
            grew = False
            rc = state[c]
            for a, b in rest:
                if rc >> a & 1 and not state[c] >> b & 1 and not state[b] >> a & 1:
                    _lock(state, a, b)
                    grew = True
        for a, b in rest:
            if not state[b] >> a & 1:
                _lock(state, a, b)
        for a, b in edges:
            if b == c and not state[c] >> a & 1:
                return 0
    src = _sources(tuple(state), full)
    return src if src & bit_c else 0


class _Budget(Exception):
    """Raised inside the search when ``max_states`` is used up."""


def _can_win(c: int, m: int, groups, full: int, budget: list) -> int:
    """Search the orders of tied edges for one under which ``c`` wins; return that outcome's sources (or 0).

    Depth first over (group, locked closure, edges left in the group), memoized.
    Edges into ``c`` are taken last within their group (c wins only if each is
    blocked when taken, and later is easiest).  A state is pruned when ``c``
    already has a locked in-edge, or when some future edge ``x -> c`` has an
    ``x`` that ``c`` cannot reach even if every future edge not into ``c`` were locked.
    """
    bit_c = 1 << c
    witness = _greedy_witness(c, m, groups, full)
    if witness:
        return witness
    n_groups = len(groups)
    seen = set()
    stack = [(0, tuple(1 << v for v in range(m)), None)]
    while stack:
        g, reach, rem = stack.pop()
        budget[0] += 1
        if budget[1] is not None and budget[0] > budget[1]:
            raise _Budget
        state = list(reach)
        if rem is None:
            if g == n_groups:
                src = _sources(reach, full)
                if src & bit_c:
                    return src
                continue
            rem = list(groups[g])
        rem = _normalize(state, list(rem))
        if any(state[u] & bit_c for u in range(m) if u != c):
            continue  # c has been beaten by a locked edge
        key = (g, tuple(state), tuple(rem))
        if key in seen:
            continue
        seen.add(key)
        others = [e for e in rem if e[1] != c]
        if not others:
            if rem:  # only edges into c are left, none blocked: the first one taken beats c
                continue
            stack.append((g + 1, tuple(state), None))
            continue
        if not _still_possible(c, state, others, rem, groups, g):
            continue
        # branch, trying first the edges that extend what c reaches (pushed last, popped first):
        # locking a spanning tree out of c blocks every later edge into c
        rc = state[c]
        ordered = sorted(others, key=lambda e: (bool(rc >> e[0] & 1) and not rc >> e[1] & 1, -e[0], -e[1]))
        for e in ordered:
            nxt = list(state)
            _lock(nxt, *e)
            stack.append((g, tuple(nxt), tuple(x for x in rem if x != e)))
    return 0


def ranked_pairs(margins, /, *, atol: float = 0.0, max_states: int | None = None) -> RankedPairsResult:
    """Neutral Ranked Pairs winners of a margin matrix (every tie-breaking of equal margins).

    Parameters
    ----------
    margins : array_like of real, shape (m, m)
        Antisymmetric margins, e.g. ``Profile.margin_matrix()``.
    atol : float
        Margins within ``atol`` of each other count as tied (and ``|M[a, b]| <=
        atol`` as a zero margin); 0 (exact) suits integer margins.
    max_states : int, optional
        Give up on an alternative after this many search states (default: no
        limit).  The result
        then has ``complete=False``: ``winners`` are proven winners and
        ``undecided`` the alternatives whose status the search did not settle.

    Returns
    -------
    RankedPairsResult

    References
    ----------
    .. [1] T. N. Tideman, "Independence of clones as a criterion for voting
       rules", Social Choice and Welfare 4 (1987) 185-206.
    .. [2] T. M. Zavist and T. N. Tideman, "Complete independence of clones in
       the ranked pairs rule", Social Choice and Welfare 6 (1989) 167-173.
    .. [3] M. Brill and F. Fischer, "The price of neutrality for the ranked
       pairs method", AAAI 2012, 1299-1305.

    Examples
    --------
    A cycle 0 > 1 > 2 > 0 with margins 5, 3, 1: the weakest edge (2 > 0) is dropped.

    >>> ranked_pairs([[0, 5, -1], [-5, 0, 3], [1, -3, 0]]).winners
    (0,)

    All three margins equal: every alternative wins under some order.

    >>> res = ranked_pairs([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    >>> res.winners, res.ranking
    ((0, 1, 2), None)
    """
    t0 = time.perf_counter()
    atol = check_real(atol, "atol", _OWNER, low=0.0)
    if max_states is not None:
        max_states = check_int(max_states, "max_states", _OWNER, low=1)
    M = check_margin_matrix(margins, _OWNER, atol=atol)
    m = M.shape[0]
    full = (1 << m) - 1
    a_idx, b_idx = np.nonzero(M > atol)
    values = M[a_idx, b_idx]
    order = np.lexsort((b_idx, a_idx, -values))
    a_idx, b_idx, values = a_idx[order], b_idx[order], values[order]
    # groups of (near-)equal margins
    groups: list[tuple[tuple[int, int], ...]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[start] - values[i] > atol:
            groups.append(tuple((int(a_idx[j]), int(b_idx[j])) for j in range(start, i)))
            start = i
    tied_groups = sum(len(g) > 1 for g in groups)

    final, agreed = _canonical_run(m, groups)
    winners_bits = _sources(final, full)
    undecided = []
    states = len(groups)
    if not agreed:
        for c in range(m):
            if not winners_bits >> c & 1:
                budget = [0, max_states]
                try:
                    winners_bits |= _can_win(c, m, groups, full, budget)
                except _Budget:
                    undecided.append(c)
                states += budget[0]
        undecided = [c for c in undecided if not winners_bits >> c & 1]
    winners = tuple(v for v in range(m) if winners_bits >> v & 1)
    ranking = None
    if agreed:
        counts = [bin(r).count("1") for r in final]
        if sorted(counts) == list(range(1, m + 1)):  # a linear order
            ranking = tuple(int(v) for v in np.argsort(-np.array(counts), kind="stable"))
    return RankedPairsResult(winners=winners, ranking=ranking, tied_groups=tied_groups, states=states,
                             time=time.perf_counter() - t0, complete=not undecided, undecided=tuple(undecided))
