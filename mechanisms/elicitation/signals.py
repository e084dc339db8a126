"""Common-prior signal models for peer prediction: a joint distribution over n agents' signals."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from solvers.validation import check_array, check_int, check_probabilities, fail

__all__ = ["SignalModel"]

_MAX_PROFILES = 1_000_000


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SignalModel:
    """A common prior over the signals of ``n_agents`` agents, each signal in ``{0, ..., k-1}``.

    ``joint[s_1, ..., s_n]`` is the probability of the signal profile.  Build it
    from a world-state model (:meth:`from_world_states`: a state is drawn, then
    each agent's signal independently given the state, the model of Miller,
    Resnick and Zeckhauser 2005 and Prelec 2004) or from the joint distribution
    of two agents' signals (:meth:`from_pair`).  In a multi-task setting each
    task draws its profile independently from this model.

    Parameters
    ----------
    joint : array_like, shape (k,) * n_agents
        Nonnegative, summing to 1; ``n_agents >= 2``, ``k >= 2``.

    References
    ----------
    .. [1] N. Miller, P. Resnick and R. Zeckhauser, "Eliciting informative
       feedback: the peer-prediction method", Management Science 51(9),
       1359-1373, 2005.

    Examples
    --------
    >>> from mechanisms.elicitation import SignalModel
    >>> m = SignalModel.from_world_states([0.5, 0.5], [[0.8, 0.2], [0.2, 0.8]], n_agents=3)
    >>> m.pair_joint(0, 1)
    array([[0.34, 0.16],
           [0.16, 0.34]])
    >>> m.posterior(0, 1)[1]          # P(peer's signal | my signal = 1)
    array([0.32, 0.68])
    """

    joint: np.ndarray

    def __post_init__(self):
        owner = "SignalModel"
        j = check_array(self.joint, "joint", owner, nonnegative=True, min_size=1)
        if j.ndim < 2:
            fail("joint", owner, "an array with one axis per agent (at least 2 agents)", j)
        k = j.shape[0]
        if k < 2 or any(s != k for s in j.shape):
            fail("joint", owner, "an array of shape (k, k, ..., k) with k >= 2 signals per agent", j)
        if j.size > _MAX_PROFILES:
            fail("joint", owner, f"at most {_MAX_PROFILES:,} signal profiles (k ** n_agents)", j)
        check_probabilities(j.reshape(-1), "joint", owner, atol=1e-9)
        arr = np.array(j, dtype=float)
        arr.setflags(write=False)
        object.__setattr__(self, "joint", arr)

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def from_world_states(cls, prior, likelihood, *, n_agents: int) -> SignalModel:
        """Signals i.i.d. given a world state: ``P(s) = sum_t prior[t] prod_i likelihood[t, s_i]``.

        Parameters
        ----------
        prior : array_like, shape (m,)
            Probabilities of the ``m`` world states.
        likelihood : array_like, shape (m, k)
            ``likelihood[t, s]`` is the probability of signal ``s`` in state ``t``.
        n_agents : int
            At least 2.
        """
        owner = "SignalModel.from_world_states"
        p = check_probabilities(check_array(prior, "prior", owner, ndim=1), "prior", owner)
        lik = check_array(likelihood, "likelihood", owner, ndim=2, nonnegative=True)
        if lik.shape[0] != p.shape[0]:
            fail("likelihood", owner, f"an array with one row per world state ({p.shape[0]} rows)", lik)
        check_probabilities(lik, "likelihood", owner, axis=1)
        n = check_int(n_agents, "n_agents", owner, low=2)
        k = lik.shape[1]
        if k < 2:
            fail("likelihood", owner, "an array with at least 2 signals (columns)", lik)
        if math.log(_MAX_PROFILES) < n * math.log(k):
            fail("n_agents", owner, f"small enough that k ** n_agents <= {_MAX_PROFILES:,} (k = {k})", n)
        joint = p.reshape((-1,) + (1,) * n)
        for i in range(n):
            shape = [lik.shape[0]] + [1] * n
            shape[1 + i] = k
            joint = joint * lik.reshape(shape)
        return cls(joint.sum(axis=0))

    @classmethod
    def from_pair(cls, joint) -> SignalModel:
        """Two agents whose signals have the joint distribution ``joint[s_1, s_2]`` (k x k)."""
        j = check_array(joint, "joint", "SignalModel.from_pair", ndim=2, nonnegative=True)
        return cls(j)

    # -- views ----------------------------------------------------------------------------------
    @property
    def n_agents(self) -> int:
        return self.joint.ndim

    @property
    def n_signals(self) -> int:
        return self.joint.shape[0]

    def _agent(self, i, name="i") -> int:
        return check_int(i, name, "SignalModel", low=0, high=self.n_agents - 1)

    def marginal(self, i: int = 0) -> np.ndarray:
        """``P(s_i)``."""
        i = self._agent(i)
        axes = tuple(a for a in range(self.n_agents) if a != i)
        return self.joint.sum(axis=axes)

    def pair_joint(self, i: int = 0, j: int = 1) -> np.ndarray:
        """``P(s_i, s_j)`` as a ``(k, k)`` array, rows indexed by agent ``i``'s signal."""
        i, j = self._agent(i), self._agent(j, "j")
        if i == j:
            fail("j", "SignalModel.pair_joint", f"an agent other than i = {i}", j)
        axes = tuple(a for a in range(self.n_agents) if a not in (i, j))
        pj = self.joint.sum(axis=axes)
        return pj if i < j else pj.T

    def posterior(self, i: int = 0, j: int = 1) -> np.ndarray:
        """``P(s_j | s_i)``: row ``s`` is agent ``i``'s belief about agent ``j``'s signal after seeing ``s``.

        Rows of signals with probability 0 are uniform (they are never observed).
        """
        pj = self.pair_joint(i, j)
        tot = pj.sum(axis=1, keepdims=True)
        k = self.n_signals
        return np.where(tot > 0, pj / np.where(tot > 0, tot, 1.0), 1.0 / k)

    def profiles(self) -> tuple[np.ndarray, np.ndarray]:
        """Every signal profile ``(k ** n, n)`` (row-major) and its probability ``(k ** n,)``."""
        k, n = self.n_signals, self.n_agents
        grid = np.indices((k,) * n).reshape(n, -1).T
        return grid, self.joint.reshape(-1)

    @property
    def is_exchangeable(self) -> bool:
        """Whether the joint is invariant under every permutation of the agents."""
        n = self.n_agents
        base = self.joint
        for a in range(n - 1):  # adjacent transpositions generate the symmetric group
            perm = list(range(n))
            perm[a], perm[a + 1] = perm[a + 1], perm[a]
            if not np.allclose(np.transpose(base, perm), base, atol=1e-12):
                return False
        return True

    def __repr__(self) -> str:
        return (f"SignalModel(n_agents={self.n_agents}, n_signals={self.n_signals}, "
                f"marginal={np.array2string(self.marginal(0), precision=4)})")
