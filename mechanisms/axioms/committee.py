"""Proportionality axioms for approval-based committee rules: JR, PJR, EJR and the core.

JR, PJR and EJR are checked by :mod:`mechanisms.social_choice.proportionality`;
the core is checked here (enumeration, or a MILP with HiGHS).

``n`` is the number of voters (weighted), ``k`` the size of the winning committee
``W``, ``A_i`` voter ``i``'s approval set.  A group ``N'`` is *large enough* for
``l`` seats when ``|N'| * k >= l * n`` (exact integer comparison).  A rule
satisfies an axiom on a profile when *every* winning committee it returns (every
tied committee, or the one a ``tie_break`` selects) does.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from solvers.validation import check_option

from .base import register_axiom

__all__ = ["core_deviation"]

_AZIZ = ("H. Aziz, M. Brill, V. Conitzer, E. Elkind, R. Freeman and T. Walsh, Justified representation in "
         "approval-based committee voting, Social Choice and Welfare 48 (2017) 461-485.")
_SF = ("L. Sanchez-Fernandez, E. Elkind, M. Lackner, N. Fernandez, J. A. Fisteus, P. Basanta Val and P. Skowron, "
       "Proportional justified representation, Proc. AAAI (2017) 670-676.")
_LS = "M. Lackner and P. Skowron, Multi-Winner Voting with Approval Preferences, Springer (2023)."


def _data(case):
    approvals = np.array(case.rows, dtype=bool).reshape(len(case.rows), case.m)
    weights = np.array(case.weights, dtype=np.int64)
    return approvals, weights, int(weights.sum())


def _members(committee, m):
    inside = np.zeros(m, dtype=bool)
    inside[list(committee)] = True
    return inside


def _violation(ctx, case, committee, group, candidates, text):
    rows = tuple(int(i) for i in np.flatnonzero(group))
    return ctx.violation(case, committee=committee, voters=rows, alternatives=candidates,
                         explanation=f"committee {ctx.names(case, committee)}: {text}")


def _delegate(ctx, case, check_name: str, text: str):
    """Run ``mechanisms.social_choice.proportionality.is_<check_name>`` on every winning committee."""
    from mechanisms.social_choice import proportionality

    check = getattr(proportionality, f"is_{check_name}")
    if case.n_voters == 0:
        return ctx.vacuous("there are no voters")
    profile = case.to_profile()
    for committee in ctx.committees(case):
        verdict = check(profile, committee)
        if not verdict.satisfied:
            group = np.zeros(len(case.rows), dtype=bool)
            group[list(verdict.voters)] = True
            return _violation(ctx, case, committee, group, verdict.candidates,
                              f"{verdict.group_weight} voters approve {ctx.names(case, verdict.candidates)} "
                              f"(l = {verdict.ell}) but " + text.format(ell=verdict.ell,
                                                                       members=ctx.names(case, verdict.represented)))
    return None


@register_axiom("jr", name="Justified representation", domains=("approval",), outcomes=("committees",),
                references=(_AZIZ,),
                statement="No group of at least n/k voters who share an approved candidate is left without any "
                          "approved committee member.")
def jr(ctx, case):
    """Justified representation (JR).

    Statement: there is no group ``N'`` with ``|N'| >= n/k`` whose members all
    approve some common candidate and none of whom approves any member of ``W``.
    Checked with :func:`mechanisms.social_choice.proportionality.is_jr`.
    Witness: ``committee`` = ``W``, ``voters`` = the group's rows,
    ``alternatives = (c,)`` the common candidate.

    References
    ----------
    H. Aziz, M. Brill, V. Conitzer, E. Elkind, R. Freeman and T. Walsh, Justified
    representation in approval-based committee voting, Social Choice and Welfare
    48 (2017) 461-485.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}, {0, 1}, {2}, {2}], n_alternatives=3)
    >>> get_axiom("jr").check("av", p, rule_options={"k": 2}).witness.alternatives
    (2,)
    """
    return _delegate(ctx, case, "jr", "approve no committee member")


@register_axiom("pjr", name="Proportional justified representation", domains=("approval",),
                outcomes=("committees",), references=(_SF,),
                statement="Every group of at least l*n/k voters sharing l approved candidates approves, jointly, at "
                          "least l committee members.")
def pjr(ctx, case):
    """Proportional justified representation (PJR).

    Statement: for every ``l`` in ``1..k`` there is no group ``N'`` with
    ``|N'| >= l n / k`` whose members all approve ``l`` common candidates while
    the union of their approval sets contains fewer than ``l`` members of ``W``.
    Checked exactly with :func:`mechanisms.social_choice.proportionality.is_pjr`.
    Witness: ``committee``, ``voters``, ``alternatives`` = the common candidates.

    References
    ----------
    L. Sanchez-Fernandez, E. Elkind, M. Lackner, N. Fernandez, J. A. Fisteus,
    P. Basanta Val and P. Skowron, Proportional justified representation, AAAI
    (2017) 670-676.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}] * 4 + [{2}] * 2, n_alternatives=4)
    >>> get_axiom("pjr").check("pav", p, rule_options={"k": 3}).holds
    True
    """
    return _delegate(ctx, case, "pjr", "jointly approve only {members}")


@register_axiom("ejr", name="Extended justified representation", domains=("approval",), outcomes=("committees",),
                references=(_AZIZ,),
                statement="In every group of at least l*n/k voters sharing l approved candidates, some voter "
                          "approves at least l committee members.")
def ejr(ctx, case):
    """Extended justified representation (EJR).

    Statement: for every ``l`` in ``1..k`` there is no group ``N'`` with
    ``|N'| >= l n / k`` whose members all approve ``l`` common candidates and each
    approve fewer than ``l`` members of ``W``.  Checked exactly with
    :func:`mechanisms.social_choice.proportionality.is_ejr`.  Witness:
    ``committee``, ``voters``, ``alternatives`` = the common candidates.

    References
    ----------
    H. Aziz, M. Brill, V. Conitzer, E. Elkind, R. Freeman and T. Walsh, Justified
    representation in approval-based committee voting, Social Choice and Welfare
    48 (2017) 461-485.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import ApprovalProfile
    >>> p = ApprovalProfile.from_sets([{0, 1}] * 4 + [{2}] * 2, n_alternatives=4)
    >>> get_axiom("ejr").check("av", p, rule_options={"k": 3}).holds
    True
    """
    return _delegate(ctx, case, "ejr", "each approves fewer than {ell} members (together {members})")


def core_deviation(approvals, weights, committee, *, method: str = "auto"):
    """A blocking coalition against ``committee``: ``(T, group mask)`` or None.

    ``T`` (at most ``k`` candidates) blocks when the voters who each approve more
    of ``T`` than of the committee number at least ``|T| n / k``.  ``"enumerate"``
    tries every ``T``; ``"milp"`` solves a feasibility MILP with HiGHS
    (``solvers.lp``); ``"auto"`` enumerates up to 100,000 candidate sets.
    """
    approvals = np.asarray(approvals, dtype=bool)
    weights = np.asarray(weights, dtype=np.int64)
    r, m = approvals.shape
    k = len(committee)
    n = int(weights.sum())
    satisfaction = approvals[:, _members(committee, m)].sum(axis=1)
    n_sets = sum(math.comb(m, t) for t in range(1, k + 1))
    if method == "enumerate" or (method == "auto" and n_sets <= 100_000):
        for size in range(1, k + 1):
            for t in itertools.combinations(range(m), size):
                group = approvals[:, list(t)].sum(axis=1) > satisfaction
                if int(weights[group].sum()) * k >= size * n:
                    return t, group
        return None
    from solvers.lp import LinearProgram

    # variables: y_c (candidate c in T), x_i (row i in the group); all binary
    lp = LinearProgram(m + r, lb=0.0, ub=1.0, integrality=np.ones(m + r, dtype=bool))
    gain = np.zeros((r, m + r))
    gain[:, :m] = approvals
    gain[np.arange(r), m + np.arange(r)] = -(satisfaction + 1)
    lp.add_constraints("improves", gain, lower=np.zeros(r))
    size = np.concatenate([np.full(m, float(n)), -k * weights.astype(float)])
    lp.add_constraints("large_enough", size[None, :], upper=[0.0])
    lp.add_constraints("nonempty", np.concatenate([np.ones(m), np.zeros(r)])[None, :], lower=[1.0], upper=[float(k)])
    res = lp.solve(np.concatenate([np.zeros(m), weights.astype(float)]), maximize=True)
    if not res.status.ok:
        return None
    x = np.rint(res.x).astype(bool)
    return tuple(int(c) for c in np.flatnonzero(x[:m])), x[m:]


def _check_core(params, rule, tie_break, owner):
    check_option(params["method"], "method", owner, ("auto", "enumerate", "milp"))
    return params, tie_break


@register_axiom("core", name="Core", domains=("approval",), outcomes=("committees",), references=(_AZIZ, _LS),
                params={"method": "auto"}, validate=_check_core,
                statement="No group of voters could afford, with its proportional share of seats, a set of "
                          "candidates every member prefers to the committee.")
def core(ctx, case):
    """The core (for approval utilities).

    Statement: there is no set ``T`` of at most ``k`` candidates and group ``N'``
    with ``|N'| >= |T| n / k`` such that every member approves strictly more
    candidates in ``T`` than in ``W``.  Exact by enumeration of ``T`` on small
    instances, by a MILP (HiGHS) on larger ones (``method=``; see
    :func:`core_deviation`).  The core implies EJR; whether it is always nonempty
    is open.  Witness: ``committee``, ``voters`` = the group, ``alternatives`` = ``T``.

    References
    ----------
    H. Aziz, M. Brill, V. Conitzer, E. Elkind, R. Freeman and T. Walsh, Justified
    representation in approval-based committee voting, Social Choice and Welfare
    48 (2017) 461-485.

    M. Lackner and P. Skowron, Multi-Winner Voting with Approval Preferences,
    Springer (2023), section 4.

    Examples
    --------
    >>> from mechanisms.axioms import custom_rule, get_axiom
    >>> from mechanisms.profiles import ApprovalProfile
    >>> from mechanisms.social_choice import Outcome
    >>> fixed = custom_rule(lambda p: Outcome(winners=[0, 1], committees=[[0, 1]]), input_kind="approval",
    ...                     committee=True)
    >>> p = ApprovalProfile.from_sets([{0, 1}, {2}, {2}], n_alternatives=3)
    >>> get_axiom("core").check(fixed, p).witness.alternatives
    (2,)
    """
    approvals, weights, n = _data(case)
    if n == 0:
        return ctx.vacuous("there are no voters")
    for committee in ctx.committees(case):
        found = core_deviation(approvals, weights, committee, method=ctx.params["method"])
        if found is not None:
            t, group = found
            return _violation(ctx, case, committee, group, t,
                              f"{int(weights[group].sum())} voters each prefer {ctx.names(case, t)} and could "
                              f"afford it")
    return None
