"""Approval cultures."""

from __future__ import annotations

from mechanisms.profiles import ApprovalProfile
from solvers.validation import check_real, check_rng

from ._common import check_sizes

__all__ = ["approval_ic"]


def approval_ic(n_voters, n_alternatives, *, p=0.5, rng=None):
    """Impartial approval culture: each voter approves each alternative independently with probability ``p``.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1).
    n_alternatives : int
        Number of alternatives (>= 1).
    p : float
        Approval probability in [0, 1].
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    ApprovalProfile
        One ballot per voter; ``metadata`` records ``culture`` and ``p``.

    References
    ----------
    S. Szufa, P. Faliszewski, Ł. Janeczko, M. Lackner, A. Slinko, K. Sornat and N. Talmon
    (2022). How to sample approval elections? *IJCAI 2022*, 496-502.

    Examples
    --------
    >>> from mechanisms.generators import approval_ic
    >>> approval_ic(3, 4, p=1.0, rng=0).approval_scores().tolist()
    [3, 3, 3, 3]
    """
    owner = "approval_ic"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    p = check_real(p, "p", owner, low=0.0, high=1.0)
    rng = check_rng(rng, owner)
    return ApprovalProfile(rng.random((n, m)) < p, metadata={"culture": "approval_ic", "p": p})
