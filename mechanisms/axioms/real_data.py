"""Manipulation on real data: a bundled PrefLib election, and the bootstrap culture that resamples its voters.

``preflib_election(name, alternatives=None, n_alternatives=None)``
    The election restricted to a subset of its alternatives (given, or the top
    ``n_alternatives`` by Borda score, counted pairwise so that incomplete and
    tied ballots are scored consistently: ``sum_b S[a, b]`` of the support matrix).
``election_manipulability(rule, election, ...)``
    Whether that election itself can be manipulated by one voter, or by some
    coalition of at most ``k`` voters, with the witness (voters, true ballots,
    misreports, both outcomes).  The check is exhaustive (every voter or
    coalition, every strict misreport), so ``holds=True`` certifies that no
    manipulation exists.
``preflib_culture(n_voters, n_alternatives, *, election, alternatives=None, rng=None)``
    The bootstrap culture: ``n_voters`` voters drawn with replacement from the
    election's voters (each ballot with probability ``count / total``).  It is the
    ``"preflib"`` culture of :func:`~mechanisms.axioms.manipulability_rate`, where
    ``exact=True`` enumerates the resampling distribution (multinomial over the
    distinct ballots) with exact fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache

import numpy as np

from solvers.validation import check_int, check_rng, fail

__all__ = ["election_manipulability", "preflib_culture", "preflib_election"]


@lru_cache(maxsize=16)
def _read(name: str):
    from mechanisms.data import preflib_path
    from mechanisms.io import read_preflib

    return read_preflib(preflib_path(name))     # unknown names: UnknownNameError with close matches


def _keep(profile, alternatives, n_alternatives, owner: str) -> list[int]:
    m = profile.n_alternatives
    if alternatives is not None:
        keep = [int(a) for a in np.asarray(alternatives).ravel()]
        if not keep or len(set(keep)) != len(keep) or min(keep) < 0 or max(keep) >= m:
            fail("alternatives", owner, f"distinct alternative ids in [0, {m - 1}] of the election", alternatives)
        if n_alternatives is not None and len(keep) != n_alternatives:
            fail("alternatives", owner, f"{n_alternatives} ids (n_alternatives)", alternatives)
        return keep
    k = m if n_alternatives is None else check_int(n_alternatives, "n_alternatives", owner, low=2, high=m)
    if hasattr(profile, "support_matrix"):
        score = profile.support_matrix().sum(axis=1)          # Borda, pairwise count
    else:
        score = profile.approval_scores()
    order = sorted(range(m), key=lambda a: (-int(score[a]), a))
    return sorted(order[:k])


def preflib_election(name: str, alternatives=None, n_alternatives: int | None = None):
    """A bundled PrefLib election, restricted to some of its alternatives.

    Parameters
    ----------
    name : str
        A name of :func:`mechanisms.data.list_preflib` (``"folder/file"`` or the
        bare file name).
    alternatives : sequence of int, optional
        Keep these alternatives (0-based ids of the file), renumbered in the given order.
    n_alternatives : int, optional
        Without ``alternatives``: keep the top ``n_alternatives`` by Borda score
        (support-matrix row sums; approval score for approval data; ties towards
        the smaller id).  Default: all.

    Returns
    -------
    Profile or ApprovalProfile
        Ballots with zero weight are dropped.

    References
    ----------
    N. Mattei and T. Walsh, PrefLib: a library of preference data, Proc. ADT 2013,
    LNAI 8176, 259-270.

    Examples
    --------
    >>> from mechanisms.axioms.real_data import preflib_election
    >>> p = preflib_election("netflix/00004-00000150.soc", n_alternatives=3)
    >>> p.n_alternatives, p.n_voters
    (3, 408)
    """
    owner = "preflib_election"
    if not isinstance(name, str):
        fail("name", owner, "the name of a bundled PrefLib file (see mechanisms.data.list_preflib())", name)
    profile = _read(name)
    keep = _keep(profile, alternatives, n_alternatives, owner)
    out = profile.restrict(keep)
    w = np.asarray(out.weights)
    if (w == 0).any():
        out = out.grouped()
    return out


def _ballot_distribution(name, alternatives, n_alternatives, owner):
    """(rows, probabilities as Fractions, kind) of one voter drawn from the (restricted) election."""
    from ._case import Case

    profile = preflib_election(name, alternatives, n_alternatives)
    case = Case.from_profile(profile.grouped())
    pairs = [(r, w) for r, w in zip(case.rows, case.weights) if w > 0]
    total = sum(w for _, w in pairs)
    return [r for r, _ in pairs], [Fraction(w, total) for _, w in pairs], case.kind, case.labels


def preflib_culture(n_voters: int, n_alternatives: int, *, election: str, alternatives=None, rng=None):
    """Bootstrap culture: ``n_voters`` voters resampled (with replacement) from a real PrefLib election.

    Parameters
    ----------
    n_voters, n_alternatives : int
    election : str
        A bundled PrefLib file (see :func:`mechanisms.data.list_preflib`).
    alternatives : sequence of int, optional
        The alternatives kept (``n_alternatives`` of them); default the top
        ``n_alternatives`` by Borda score.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Profile or ApprovalProfile

    References
    ----------
    B. Efron, Bootstrap methods: another look at the jackknife, Annals of
    Statistics 7 (1979) 1-26.

    Examples
    --------
    >>> from mechanisms.axioms.real_data import preflib_culture
    >>> p = preflib_culture(5, 3, election="netflix/00004-00000006.soc", rng=0)
    >>> p.n_voters, p.n_alternatives
    (5, 3)
    """
    owner = "preflib_culture"
    n = check_int(n_voters, "n_voters", owner, low=1)
    m = check_int(n_alternatives, "n_alternatives", owner, low=2)
    generator = check_rng(rng, owner)
    profile = preflib_election(election, alternatives, m)
    w = np.asarray(profile.weights, dtype=np.int64)
    idx = generator.choice(len(w), size=n, p=w / w.sum())
    counts = np.bincount(idx, minlength=len(w))
    keep = counts > 0
    from ._case import Case

    case = Case.from_profile(profile)
    rows = [r for r, k in zip(case.rows, keep) if k]
    return Case(case.kind, case.m, rows, counts[keep].tolist(), case.labels).to_profile()


def election_manipulability(rule, election, /, *, alternatives=None, n_alternatives=None, coalition_size: int = 1,
                            model=None, goal: str = "constructive", tie_break=None, rule_options=None):
    """Whether a real election can be manipulated by one voter (or a coalition of at most ``coalition_size``).

    Parameters
    ----------
    rule : str, Rule or callable
    election : str or Profile
        A bundled PrefLib file name, or a profile.
    alternatives, n_alternatives
        As for :func:`preflib_election` (PrefLib names only).
    coalition_size : int
        1: ``strategyproofness``; ``k > 1``: ``coalitional_manipulability`` with ``k``.
    model, goal, tie_break, rule_options
        As for the axioms of :mod:`mechanisms.axioms.manipulation`.

    Returns
    -------
    AxiomResult
        ``holds=False`` with a ``witness`` (manipulable), ``holds=True`` (no
        voter or coalition can manipulate: every misreport was tried).

    References
    ----------
    A. Gibbard, Manipulation of voting schemes: a general result, Econometrica 41
    (1973) 587-601.

    Examples
    --------
    >>> from mechanisms.axioms.real_data import election_manipulability
    >>> r = election_manipulability("plurality", "netflix/00004-00000006.soc")
    >>> r.holds
    True
    """
    from .base import get_axiom

    owner = "election_manipulability"
    k = check_int(coalition_size, "coalition_size", owner, low=1)
    if isinstance(election, str):
        profile = preflib_election(election, alternatives, n_alternatives)
    elif alternatives is None and n_alternatives is None and hasattr(election, "weights"):
        profile = election
    else:
        fail("election", owner, "a bundled PrefLib name (with optional alternatives) or a profile", election)
    if k == 1:
        return get_axiom("strategyproofness").check(rule, profile, tie_break=tie_break, rule_options=rule_options,
                                                    model=model)
    return get_axiom("coalitional_manipulability").check(rule, profile, tie_break=tie_break,
                                                         rule_options=rule_options, k=k, goal=goal, model=model)


def resolve_options(culture_options: Mapping | None, n_alternatives: int, owner: str) -> dict:
    """Validated ``culture_options`` of the ``"preflib"`` culture (``election`` required)."""
    opts = dict(culture_options or {})
    unknown = sorted(set(opts) - {"election", "alternatives"})
    if "election" not in opts or unknown:
        fail("culture_options", owner, "a mapping with 'election' (a bundled PrefLib name) and optionally "
             "'alternatives' for culture='preflib'", culture_options)
    if not isinstance(opts["election"], str):
        fail("culture_options", owner, "a mapping whose 'election' is a bundled PrefLib name (str)", opts["election"])
    _keep(_read(opts["election"]), opts.get("alternatives"), n_alternatives, owner)
    return opts
