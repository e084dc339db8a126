"""Automated mechanism design (Conitzer-Sandholm): optimal mechanisms found by linear programming.

The programs themselves live in :mod:`solvers.amd` (plain arrays); this module
is the documented front end.  Every result carries a
:class:`~solvers.amd.MechanismCertificate` recomputed in numpy over *all*
pairs of true and reported types: ``max_regret`` (the largest gain any type
gets from any misreport), ``max_ir_violation`` and ``max_feasibility_violation``.
"""

from __future__ import annotations

from solvers.amd import AuctionMechanism, MechanismCertificate, MenuMechanism, _menu, _single_item

__all__ = ["optimal_auction", "optimal_menu", "AuctionMechanism", "MenuMechanism", "MechanismCertificate"]


def optimal_auction(values, probs, n_bidders, *, ic="bayesian", ir="interim", objective="revenue",
                    formulation="auto", reduce_ic=True, backend="auto", atol=1e-7) -> AuctionMechanism:
    """Optimal single-item mechanism for i.i.d. bidders with a discrete value distribution.

    Solves, as one linear program, for the randomized mechanism maximizing
    ``w * revenue + (1 - w) * welfare`` over all mechanisms satisfying the
    chosen incentive-compatibility and participation constraints.

    Parameters
    ----------
    values : array_like of shape (K,)
        The possible values of a bidder for the item, strictly increasing.
    probs : array_like of shape (K,)
        Their probabilities (summing to 1); bidders' values are i.i.d.
    n_bidders : int
    ic : {"bayesian", "dominant"}, keyword-only
        Bayesian IC (truth-telling is optimal in expectation over the others'
        types) or dominant-strategy IC (optimal against every profile of
        the others' reports).
    ir : {"interim", "ex_post"}, keyword-only
        Participation is profitable in expectation over the others' types, or
        for every profile.
    objective : "revenue", "welfare" or float in [0, 1], keyword-only
        A float ``w`` maximizes ``w * revenue + (1 - w) * welfare``.  With
        ``"welfare"`` the payments are any that satisfy the constraints.
    formulation : {"auto", "reduced", "ex_post"}, keyword-only
        ``"reduced"`` (the default for Bayesian IC with interim IR): interim
        allocation and payment per type, ``2 K`` variables, feasibility by
        Border's constraints on the ``K`` upper sets of types, valid because
        IC makes the interim allocation monotone.  ``"ex_post"`` (the only
        choice for dominant-strategy IC or ex-post IR): an anonymous ex-post
        mechanism, one allocation and payment per (own type, multiset of the
        others' types), ``2 K C(K + n - 2, n - 1)`` variables.  Symmetry (i.i.d.
        bidders) makes the anonymous restriction without loss.
    reduce_ic : bool, keyword-only
        Use adjacent IC constraints plus monotonicity of the allocation instead
        of all ``K (K - 1)`` pairs (equivalent for single-dimensional types),
        and IR of the lowest type only where it implies the rest.  The
        certificate checks every pair either way.
    backend : {"auto", "highs", "scipy", "cvxpy"}, keyword-only
        LP backend (see :func:`solvers.lp.available_backends`).
    atol : float, keyword-only
        Tolerance of the certificate; above it the status becomes ``INACCURATE``.

    Returns
    -------
    AuctionMechanism
        ``.revenue``, ``.welfare``, the interim rule ``.allocation`` /
        ``.payment`` per type, the ex-post rule for ``formulation="ex_post"``
        (``.ex_post_allocation``, ``.ex_post_payment``, ``.ex_post_rule()``),
        ``.status``, ``.certificate`` and ``.duals`` keyed by constraint family
        (``"border"`` or ``"feasibility"``, ``"ic"``, ``"monotonicity"``, ``"ir"``, ``"bounds"``).

    Notes
    -----
    With revenue as the objective, all four (ic, ir) combinations reach the
    same optimum, Myerson's revenue with discrete ironed virtual values
    (:func:`mechanisms.auctions.myerson_revenue`).

    References
    ----------
    .. [1] V. Conitzer and T. Sandholm, "Complexity of mechanism design",
       Proc. UAI 2002, pp. 103-110.
    .. [2] R. B. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1):58-73, 1981.
    .. [3] K. C. Border, "Implementation of reduced form auctions: a geometric
       approach", Econometrica 59(4):1175-1187, 1991.

    Examples
    --------
    Two bidders, values 1 or 3 with equal probability.  The virtual values are
    ``1 - (3 - 1) * 0.5 / 0.5 = -1`` and ``3``: only high types are served, and
    Myerson's revenue is ``3 * P(someone has 3) = 3 * 3/4``.

    >>> res = optimal_auction([1.0, 3.0], [0.5, 0.5], 2)
    >>> res.status, round(res.revenue, 9), res.certificate.max_regret <= 1e-9
    (Status.OPTIMAL, 2.25, True)
    >>> res.allocation.round(9).tolist()      # interim probability of winning per type
    [0.0, 0.75]
    """
    return _single_item(values, probs, n_bidders, ic=ic, ir=ir, objective=objective, formulation=formulation,
                        reduce_ic=reduce_ic, backend=backend, atol=atol, owner="optimal_auction")


def optimal_menu(types, probs, *, objective="revenue", method="constraint_generation", n_neighbors=None,
                 max_rounds=100, backend="auto", atol=1e-7) -> MenuMechanism:
    """Optimal menu of lotteries for one buyer with additive values over several items.

    Each type ``t`` (a row of ``types``: its value for each item) is assigned
    a lottery ``a_t in [0, 1]^items`` (the probability of getting each item)
    and a price ``p_t``, maximizing ``w * revenue + (1 - w) * welfare``
    subject to IC (no type prefers another type's lottery) and IR (no type
    pays more than the lottery is worth to it).

    Parameters
    ----------
    types : array_like of shape (T, n_items)
        The buyer's possible value vectors.
    probs : array_like of shape (T,)
    objective : "revenue", "welfare" or float in [0, 1], keyword-only
    method : {"constraint_generation", "full"}, keyword-only
        ``"full"`` puts all ``T (T - 1)`` IC pairs in one LP.
        ``"constraint_generation"`` starts from each type's ``n_neighbors``
        nearest types, then repeatedly checks every pair in numpy, adds each
        type's three most violated pairs (regret above ``atol / 10``), and
        re-solves the cached program (warm started with the HiGHS backend)
        until no pair is violated; the result is then optimal for the full
        program.
    n_neighbors : int, optional, keyword-only
        Initial IC pairs per type (default ``2 * n_items + 2``).
    max_rounds : int, keyword-only
        Limit on LP solves; if reached, the certificate shows the remaining
        regret and the status is downgraded.
    backend : {"auto", "highs", "scipy", "cvxpy"}, keyword-only
    atol : float, keyword-only

    Returns
    -------
    MenuMechanism
        ``.revenue``, ``.welfare``, ``.allocation`` (T, n_items), ``.payment``
        (T,), ``.ic_pairs`` (the IC rows in the final program, aligned with
        ``.duals["ic"]``), ``.rounds``, ``.status``, ``.certificate``.

    Notes
    -----
    The program is written in rents ``u_t = types[t] @ a_t - p_t``: IC reads
    ``u_t >= u_s + (types[t] - types[s]) @ a_s`` and IR is the bound ``u_t >= 0``.

    References
    ----------
    .. [1] V. Conitzer and T. Sandholm, "Complexity of mechanism design",
       Proc. UAI 2002, pp. 103-110.
    .. [2] A. M. Manelli and D. R. Vincent, "Bundling as an optimal selling
       mechanism for a multiple-good monopolist", Journal of Economic Theory
       127(1):1-35, 2006.

    Examples
    --------
    Two items, each worth 1 or 2 (independent, equally likely): selling the
    bundle at 3 earns 3 * 3/4 = 2.25, more than selling separately (2).

    >>> types = [[1, 1], [1, 2], [2, 1], [2, 2]]
    >>> res = optimal_menu(types, [0.25] * 4)
    >>> round(res.revenue, 9), res.certificate.max_regret <= 1e-9
    (2.25, True)
    """
    return _menu(types, probs, objective=objective, method=method, n_neighbors=n_neighbors,
                 max_rounds=max_rounds, backend=backend, atol=atol, owner="optimal_menu")
