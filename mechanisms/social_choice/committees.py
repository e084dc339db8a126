"""Approval-based committee rules: AV, SAV, PAV, CC, seq-PAV, seq-Phragmen and the method of equal shares.

Every rule takes an :class:`~mechanisms.profiles.ApprovalProfile` and the
committee size ``k`` (required), and returns *every* winning committee in
``committees`` (``winners`` is their union; ``tie_break=`` selects one
committee): for the optimization rules (AV, SAV, PAV, CC) every optimal
committee, for the sequential rules (seq-PAV, seq-Phragmen, MES) every
committee that some tie-breaking order elects ("parallel universes", the
convention of abcvoting's ``resolute=False``).  Arithmetic is exact: integer
scores (PAV's harmonic weights are scaled by ``lcm(1..k)``) and rationals.

``max_committees`` (AV, SAV, PAV, CC; default 10,000) bounds how many tied
committees are listed; a RuntimeWarning says when the list was cut.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from solvers.committees import (
    COMPLETIONS,
    equal_shares,
    separable_committees,
    sequential_phragmen,
    sequential_thiele,
    thiele_committees,
    thiele_marginals,
)
from solvers.validation import check_int, check_option

from .registry import register_rule
from .result import Outcome

__all__ = ["av", "sav", "pav", "cc", "seq_pav", "seq_phragmen", "mes"]

_LS = ("M. Lackner and P. Skowron, Multi-Winner Voting with Approval Preferences, Springer Briefs in "
       "Intelligent Systems (2023).")
_THIELE = "T. N. Thiele, Om flerfoldsvalg, Oversigt over det Kongelige Danske Videnskabernes Selskabs Forhandlinger (1895) 415-441."
_CC = ("J. R. Chamberlin and P. N. Courant, Representative deliberations and representative decisions: "
       "proportional representation and the Borda rule, American Political Science Review 77 (1983) 718-733.")
_PHRAGMEN = ("E. Phragmen, Sur une methode nouvelle pour realiser, dans les elections, la representation "
             "proportionnelle des partis, Ofversigt af Kongl. Vetenskaps-Akademiens Forhandlingar 51 (1894) 133-137.")
_BRILL = ("M. Brill, R. Freeman, S. Janson and M. Lackner, Phragmen's voting methods and justified "
          "representation, AAAI 2017 (Mathematical Programming 203 (2024) 47-76).")
_MES = "D. Peters and P. Skowron, Proportionality and the limits of welfarism, ACM EC 2020 (arXiv:1911.11747)."
_SAV = "S. J. Brams and D. M. Kilgour, Satisfaction approval voting, in Voting Power and Procedures, Springer (2014)."
_ABC = ("M. Brill, R. Freeman, S. Janson and M. Lackner; abcvoting: M. Lackner, P. Regner, B. Krenn, "
        "abcvoting: a Python package for approval-based multi-winner voting rules, JOSS 8 (2023) 4880.")
_ALGORITHMS = ("auto", "brute_force", "milp")


def _ballots(profile):
    """(approvals bool (n, m), int weights) of the profile, as stored."""
    return np.asarray(profile.approvals, dtype=bool), np.asarray(profile.weights, dtype=np.int64)


def _k(k, profile, owner):
    return check_int(k, "k", owner, low=1, high=profile.n_alternatives)


def _limit(max_committees, owner):
    return None if max_committees is None else check_int(max_committees, "max_committees", owner, low=1)


def _outcome(committees, scores=None):
    union = sorted(set().union(*map(set, committees))) if committees else []
    return Outcome(winners=union, committees=committees, scores=scores)


# ---------------------------------------------------------------------- separable rules
@register_rule("av", name="Approval voting (multi-winner)", input_kind="approval", committee=True,
               algorithms=("exact",), references=(_LS,), aliases=("approval_voting",),
               properties=("scores", "committee"))
def av(profile, *, k, max_committees=10_000):
    """Multi-winner approval voting: the ``k`` candidates with the most approvals.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int
        Committee size.
    max_committees : int or None
        Bound on the number of tied committees listed (None: all).

    Notes
    -----
    ``scores`` are the (weighted) approval counts.  Every choice among the
    candidates tied at the cut-off is a winning committee.

    References
    ----------
    .. [1] M. Lackner and P. Skowron, *Multi-Winner Voting with Approval Preferences*,
       Springer (2023), section 2.1.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {1, 2}, {3}], n_alternatives=4)
    >>> av(p, k=2).committees
    ((0, 1), (1, 2), (1, 3))
    """
    owner = "av"
    k = _k(k, profile, owner)
    scores = profile.approval_scores()
    committees = separable_committees([int(s) for s in scores], k, max_committees=_limit(max_committees, owner))
    return _outcome(committees, scores)


@register_rule("sav", name="Satisfaction approval voting", input_kind="approval", committee=True,
               algorithms=("exact",), references=(_SAV, _LS), properties=("scores", "committee"))
def sav(profile, *, k, max_committees=10_000):
    """Satisfaction approval voting: each ballot's one point is split equally among its approved candidates.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int
    max_committees : int or None

    Notes
    -----
    Scores are exact rationals (``scores`` shows them as floats); empty ballots
    count for nothing.  The ``k`` best-scoring candidates win; every choice
    among those tied at the cut-off is a winning committee.

    References
    ----------
    .. [1] S. J. Brams and D. M. Kilgour, "Satisfaction approval voting", in *Voting
       Power and Procedures*, Springer (2014) 323-346.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {0, 1}, {2}], n_alternatives=3)
    >>> sav(p, k=1).committees, sav(p, k=1).scores.tolist()
    (((0,), (1,), (2,)), [1.0, 1.0, 1.0])
    """
    owner = "sav"
    k = _k(k, profile, owner)
    A, w = _ballots(profile)
    sizes = A.sum(axis=1)
    m = profile.n_alternatives
    exact = [Fraction(0)] * m
    for size in np.unique(sizes[sizes > 0]):
        rows = sizes == size
        counts = w[rows] @ A[rows].astype(np.int64)
        for c in range(m):
            exact[c] += Fraction(int(counts[c]), int(size))
    committees = separable_committees(exact, k, max_committees=_limit(max_committees, owner))
    return _outcome(committees, np.array([float(v) for v in exact]))


# ---------------------------------------------------------------------- Thiele rules (exact optimization)
def _thiele(profile, k, rule, algorithm, max_committees, owner):
    k = _k(k, profile, owner)
    algorithm = check_option(algorithm, "algorithm", owner, _ALGORITHMS)
    A, w = _ballots(profile)
    committees, _ = thiele_committees(A, k, thiele_marginals(rule, k), weights=w, algorithm=algorithm,
                                      max_committees=_limit(max_committees, owner))
    return _outcome(committees)


@register_rule("pav", name="Proportional approval voting", input_kind="approval", committee=True,
               algorithms=("auto", "brute_force", "milp"), references=(_THIELE, _LS),
               properties=("committee", "proportional", "ejr"), report_limits={"max_alternatives": 20})
def pav(profile, *, k, algorithm="auto", max_committees=10_000):
    """Proportional approval voting: maximize ``sum_i w_i (1 + 1/2 + ... + 1/|A_i & W|)``.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int
    algorithm : {"auto", "brute_force", "milp"}
        ``"auto"`` enumerates all committees when there are at most 50,000, and
        otherwise solves a MILP with HiGHS (:func:`solvers.committees.thiele_committees`).
    max_committees : int or None

    Notes
    -----
    Every optimal committee is returned (the MILP enumerates them with no-good
    cuts; scores are exact integers after scaling by ``lcm(1..k)``).  PAV
    satisfies extended justified representation (Aziz et al. 2017).

    References
    ----------
    .. [1] T. N. Thiele, "Om flerfoldsvalg" (1895).
    .. [2] M. Lackner and P. Skowron, *Multi-Winner Voting with Approval Preferences*,
       Springer (2023).

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {0, 1}, {0, 1}, {2}], n_alternatives=3)
    >>> pav(p, k=2).committees
    ((0, 1),)
    """
    return _thiele(profile, k, "pav", algorithm, max_committees, "pav")


@register_rule("cc", name="Chamberlin-Courant (approval)", input_kind="approval", committee=True,
               algorithms=("auto", "brute_force", "milp"), references=(_CC, _LS),
               aliases=("chamberlin_courant",), properties=("committee",), report_limits={"max_alternatives": 20})
def cc(profile, *, k, algorithm="auto", max_committees=10_000):
    """Approval Chamberlin-Courant: maximize the (weighted) number of voters who approve a committee member.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int
    algorithm : {"auto", "brute_force", "milp"}
    max_committees : int or None

    Notes
    -----
    Every optimal committee is returned (see ``pav``).

    References
    ----------
    .. [1] J. R. Chamberlin and P. N. Courant, "Representative deliberations and
       representative decisions", *American Political Science Review* 77 (1983) 718-733.
    .. [2] M. Lackner and P. Skowron, *Multi-Winner Voting with Approval Preferences*,
       Springer (2023).

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {0, 1}, {2}], n_alternatives=3)
    >>> cc(p, k=2).committees
    ((0, 2), (1, 2))
    """
    return _thiele(profile, k, "cc", algorithm, max_committees, "cc")


# ---------------------------------------------------------------------- sequential rules
@register_rule("seq_pav", name="Sequential PAV", input_kind="approval", committee=True,
               algorithms=("exact",), references=(_THIELE, _LS), aliases=("seqpav",), properties=("committee",))
def seq_pav(profile, *, k):
    """Sequential PAV: add, ``k`` times, the candidate that raises the PAV score most.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int

    Notes
    -----
    Exact integer marginal gains; every committee that some tie-breaking order
    elects is returned.

    References
    ----------
    .. [1] T. N. Thiele, "Om flerfoldsvalg" (1895).
    .. [2] M. Lackner and P. Skowron, *Multi-Winner Voting with Approval Preferences*,
       Springer (2023), section 2.3.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {0, 1}, {0, 2}, {2}], n_alternatives=3)
    >>> seq_pav(p, k=2).committees
    ((0, 2),)
    """
    owner = "seq_pav"
    k = _k(k, profile, owner)
    A, w = _ballots(profile)
    return _outcome(sequential_thiele(A, k, thiele_marginals("pav", k), weights=w))


@register_rule("seq_phragmen", name="Sequential Phragmen", input_kind="approval", committee=True,
               algorithms=("exact_rational",), references=(_PHRAGMEN, _BRILL), aliases=("seqphragmen",),
               properties=("committee", "proportional", "pjr"))
def seq_phragmen(profile, *, k):
    """Phragmen's sequential rule: elect the candidate whose approvers end up with the smallest maximal load.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int

    Notes
    -----
    Loads are exact rationals; every committee some tie-breaking order elects is
    returned.  Candidates nobody approves are elected last (all tied).
    seq-Phragmen satisfies proportional justified representation (Brill et al.).

    References
    ----------
    .. [1] E. Phragmen (1894), see the module docstring.
    .. [2] M. Brill, R. Freeman, S. Janson and M. Lackner, "Phragmen's voting methods and
       justified representation", AAAI 2017.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {0, 1}, {2}], n_alternatives=3)
    >>> seq_phragmen(p, k=2).committees      # 0 or 1 first; then all three tie at load 1
    ((0, 1), (0, 2), (1, 2))
    """
    owner = "seq_phragmen"
    k = _k(k, profile, owner)
    A, w = _ballots(profile)
    return _outcome(sequential_phragmen(A, k, weights=w))


@register_rule("mes", name="Method of equal shares", input_kind="approval", committee=True,
               algorithms=("exact_rational",), references=(_MES,), aliases=("equal_shares", "rule_x"),
               properties=("committee", "proportional", "ejr"))
def mes(profile, *, k, completion="seq_phragmen"):
    """Method of equal shares (Rule X) for approval ballots.

    Parameters
    ----------
    profile : ApprovalProfile
    k : int
    completion : {"seq_phragmen", "av", "none"}
        How seats left after the first phase are filled.  ``"seq_phragmen"``
        (default, as proposed by Peters and Skowron and as abcvoting's
        ``equal-shares``): seq-Phragmen continued from loads equal to minus the
        voters' leftover budgets; ``"av"``: the most-approved remaining candidates;
        ``"none"``: the committee may have fewer than ``k`` members.

    Notes
    -----
    Every voter starts with ``k / n`` (``n`` = total weight); a candidate costs 1 and
    is bought by its approvers, each paying ``min(budget, q)``, choosing the
    affordable candidate with the smallest ``q``.  Exact rationals; every committee
    some tie-breaking order elects is returned.  MES satisfies extended justified
    representation.

    References
    ----------
    .. [1] D. Peters and P. Skowron, "Proportionality and the limits of welfarism",
       ACM EC 2020 (arXiv:1911.11747).
    .. [2] D. Peters, G. Pierczynski and P. Skowron, "Proportional participatory
       budgeting with additive utilities", NeurIPS 2021.

    Examples
    --------
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0}, {0}, {1}, {2}], n_alternatives=3)
    >>> mes(p, k=2).committees
    ((0, 1), (0, 2))
    """
    owner = "mes"
    k = _k(k, profile, owner)
    completion = check_option(completion, "completion", owner, COMPLETIONS)
    A, w = _ballots(profile)
    return _outcome(equal_shares(A, k, weights=w, completion=completion))
