"""Incomplete contracts: paying on a signal of the outcome, and what that costs.

The principal values outcomes, but a contract can pay only on what is
observed: a *signal* ``s`` drawn from an observation channel
``observation[o, s]`` (rows sum to 1).  This module builds channels

* :func:`coarsening` -- outcomes grouped into cells, only the cell is seen;
* :func:`non_contractible` -- some outcomes cannot be told apart: they are
  merged into one catch-all signal;
* :func:`noisy_channel` -- the outcome is misreported with a flip probability;
* :func:`uninformative_channel` -- nothing is seen (only a fixed wage is possible);
* :func:`garble` and :func:`joint_channel` -- post-processing of a signal
  (a Blackwell garbling) and observing two signals at once;

and measures them on a :class:`~mechanisms.contracts.PrincipalAgent`:

* :func:`cost_of_incompleteness` -- principal utility of the optimal complete
  contract minus that of the optimal contract on the signal (``>= 0``);
* :func:`value_of_information` -- what a channel is worth against a baseline
  (default: no information at all);
* :func:`value_of_signal` -- what adding one more signal to a channel is worth;
* :func:`blackwell_garbling` -- whether one channel is a garbling of another (an LP).

A garbling never helps (Blackwell): if ``coarse = fine @ G``, every contract
``t'`` on the coarse signal is reproduced by the contract ``G @ t'`` on the
fine one with the same expected payment under every action, so
``cost(coarse) >= cost(fine)``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from solvers.lp import LinearProgram
from solvers.result import Status, readonly
from solvers.validation import check_array, check_int, check_probabilities, check_real, fail

from .principal_agent import OptimalContractResult, PrincipalAgent

__all__ = [
    "coarsening",
    "non_contractible",
    "noisy_channel",
    "uninformative_channel",
    "garble",
    "joint_channel",
    "blackwell_garbling",
    "IncompletenessResult",
    "cost_of_incompleteness",
    "InformationValue",
    "value_of_information",
    "value_of_signal",
]


# --- channels ------------------------------------------------------------------------------

def coarsening(partition, /, n_outcomes: int | None = None) -> np.ndarray:
    """The 0/1 channel that reveals only which cell of a partition the outcome is in.

    Parameters
    ----------
    partition : sequence of sequences of int, or (n_outcomes,) int array
        Either the cells (lists of outcome indices, covering ``0..n_outcomes-1``
        exactly once; cell ``k`` is signal ``k``) or one signal label per
        outcome (labels ``0..n_signals-1``, each used).
    n_outcomes : int, optional
        Checked against the partition when given.

    Returns
    -------
    ndarray, shape (n_outcomes, n_signals)
        ``observation[o, k] = 1`` when outcome ``o`` is in cell ``k``.

    References
    ----------
    .. [1] D. Blackwell, "Equivalent comparisons of experiments", Annals of
       Mathematical Statistics 24(2), 265-272, 1953.

    Examples
    --------
    >>> coarsening([[0, 1], [2]]).tolist()
    [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    >>> coarsening([0, 0, 1]).tolist() == coarsening([[0, 1], [2]]).tolist()
    True
    """
    owner = "coarsening"
    is_cells = (isinstance(partition, Sequence) and not isinstance(partition, (str, bytes)) and len(partition) > 0
                and all(isinstance(c, (Sequence, np.ndarray)) and not isinstance(c, (str, bytes)) for c in partition))
    if is_cells:
        cells = [check_array(c, "partition", owner, dtype="int", ndim=1) for c in partition]
        flat = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
        n = int(flat.max()) + 1 if flat.size else 0
        covers = flat.min(initial=0) >= 0 and np.array_equal(np.sort(flat), np.arange(n))
        if any(c.size == 0 for c in cells) or not covers:
            fail("partition", owner, "nonempty cells that cover the outcomes 0..n-1 exactly once", partition)
        labels = np.empty(n, dtype=np.int64)
        for k, c in enumerate(cells):
            labels[c] = k
    else:
        labels = check_array(partition, "partition", owner, dtype="int", ndim=1, min_size=1)
        k = int(labels.max()) + 1
        if labels.min() < 0 or np.unique(labels).size != k:
            fail("partition", owner, "signal labels 0..n_signals-1 (one per outcome, each label used)", partition)
    if n_outcomes is not None:
        n_outcomes = check_int(n_outcomes, "n_outcomes", owner, low=1)
        if labels.size != n_outcomes:
            fail("partition", owner, f"a partition of {n_outcomes} outcomes", partition)
    if labels.size == 0:
        fail("partition", owner, "a partition of at least one outcome", partition)
    obs = np.zeros((labels.size, int(labels.max()) + 1))
    obs[np.arange(labels.size), labels] = 1.0
    return readonly(obs)


def non_contractible(n_outcomes: int, outcomes, /) -> np.ndarray:
    """Channel where the listed outcomes cannot be contracted on individually.

    Every other outcome is its own signal (in increasing order); the listed
    outcomes are merged into one last signal, which says only "one of them happened".

    Parameters
    ----------
    n_outcomes : int
    outcomes : sequence of int
        The non-contractible outcomes (at least one).

    Returns
    -------
    ndarray, shape (n_outcomes, n_outcomes - len(outcomes) + 1)

    Examples
    --------
    >>> non_contractible(3, [0, 2]).tolist()
    [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    """
    owner = "non_contractible"
    n = check_int(n_outcomes, "n_outcomes", owner, low=1)
    idx = check_array(outcomes, "outcomes", owner, dtype="int", ndim=1, min_size=1)
    if idx.min() < 0 or idx.max() >= n or np.unique(idx).size != idx.size:
        fail("outcomes", owner, f"distinct outcome indices in [0, {n - 1}]", outcomes)
    hidden = np.zeros(n, dtype=bool)
    hidden[idx] = True
    labels = np.empty(n, dtype=np.int64)
    labels[~hidden] = np.arange(int((~hidden).sum()))
    labels[hidden] = int((~hidden).sum())
    return coarsening(labels)


def noisy_channel(n_outcomes: int, flip_prob: float, /) -> np.ndarray:
    """The outcome is reported correctly with probability ``1 - flip_prob``, else as another outcome at random.

    ``observation[o, o] = 1 - flip_prob`` and ``observation[o, s] = flip_prob / (n - 1)``
    for ``s != o``; ``flip_prob = (n - 1) / n`` is uninformative.

    Examples
    --------
    >>> noisy_channel(2, 0.25).tolist()
    [[0.75, 0.25], [0.25, 0.75]]
    """
    owner = "noisy_channel"
    n = check_int(n_outcomes, "n_outcomes", owner, low=1)
    eps = check_real(flip_prob, "flip_prob", owner, low=0.0, high=1.0)
    if n == 1:
        if eps != 0.0:
            fail("flip_prob", owner, "0 when there is a single outcome", flip_prob)
        return readonly(np.ones((1, 1)))
    obs = np.full((n, n), eps / (n - 1))
    np.fill_diagonal(obs, 1.0 - eps)
    return readonly(obs)


def uninformative_channel(n_outcomes: int, /) -> np.ndarray:
    """One signal whatever the outcome: only a fixed payment is possible.

    Examples
    --------
    >>> uninformative_channel(3).tolist()
    [[1.0], [1.0], [1.0]]
    """
    n = check_int(n_outcomes, "n_outcomes", "uninformative_channel", low=1)
    return readonly(np.ones((n, 1)))


def _channel(value, name, owner, n_outcomes=None):
    obs = check_probabilities(value, name, owner)
    if obs.ndim != 2:
        fail(name, owner, "a 2-dimensional row-stochastic array (n_outcomes, n_signals)", obs)
    if n_outcomes is not None and obs.shape[0] != n_outcomes:
        fail(name, owner, f"a channel with one row per outcome ({n_outcomes})", obs)
    return obs


def garble(observation, garbling, /) -> np.ndarray:
    """Post-process a signal: the channel ``observation @ garbling`` (a Blackwell garbling).

    Parameters
    ----------
    observation : (n_outcomes, n_signals) row-stochastic array
    garbling : (n_signals, n_new) row-stochastic array
        ``garbling[s, s']``: probability that signal ``s`` is reported as ``s'``.

    Examples
    --------
    >>> garble(np.eye(2), [[0.9, 0.1], [0.2, 0.8]]).tolist()
    [[0.9, 0.1], [0.2, 0.8]]
    """
    owner = "garble"
    obs = _channel(observation, "observation", owner)
    G = _channel(garbling, "garbling", owner, n_outcomes=None)
    if G.shape[0] != obs.shape[1]:
        fail("garbling", owner, f"a row-stochastic array with one row per signal ({obs.shape[1]})", G)
    return readonly(np.clip(obs @ G, 0.0, None))


def joint_channel(first, second, /) -> np.ndarray:
    """Observe two signals of the outcome at once (conditionally independent given the outcome).

    Signal ``(s1, s2)`` is column ``s1 * n2 + s2``.

    Examples
    --------
    >>> joint_channel([[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]]).tolist()
    [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]]
    """
    owner = "joint_channel"
    a = _channel(first, "first", owner)
    b = _channel(second, "second", owner, n_outcomes=a.shape[0])
    return readonly((a[:, :, None] * b[:, None, :]).reshape(a.shape[0], -1))


def blackwell_garbling(fine, coarse, /, *, atol: float = 1e-9) -> np.ndarray | None:
    """A garbling ``G`` with ``fine @ G == coarse``, or None when ``coarse`` is not a garbling of ``fine``.

    A feasibility LP over row-stochastic ``G``.  When it exists, ``fine`` is
    Blackwell more informative than ``coarse``, and no principal-agent problem
    is better served by ``coarse``.

    References
    ----------
    .. [1] D. Blackwell, "Equivalent comparisons of experiments", Annals of
       Mathematical Statistics 24(2), 265-272, 1953.

    Examples
    --------
    >>> G = blackwell_garbling(np.eye(3), coarsening([[0, 1], [2]]))
    >>> G.round(9).tolist()
    [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    >>> blackwell_garbling(uninformative_channel(3), np.eye(3)) is None
    True
    """
    owner = "blackwell_garbling"
    F = _channel(fine, "fine", owner)
    C = _channel(coarse, "coarse", owner, n_outcomes=F.shape[0])
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    n, k1 = F.shape
    k2 = C.shape[1]
    # variables G[s, s'] flattened row-major; fine @ G = coarse and rows of G sum to 1
    lp = LinearProgram(k1 * k2, lb=0.0, ub=1.0)
    A_match = np.kron(F, np.eye(k2))  # row (o, s') picks sum_s F[o, s] G[s, s']
    lp.add_constraints("match", A_match, lower=C.reshape(-1), upper=C.reshape(-1))
    A_rows = np.kron(np.eye(k1), np.ones((1, k2)))
    lp.add_constraints("rows", A_rows, lower=1.0, upper=1.0)
    res = lp.solve(np.zeros(k1 * k2), atol=max(atol, 1e-9))
    if res.status is not Status.OPTIMAL or res.x is None:
        return None
    G = np.clip(res.x.reshape(k1, k2), 0.0, None)
    G /= G.sum(axis=1, keepdims=True)
    if np.max(np.abs(F @ G - C)) > max(atol, 1e-7):
        return None
    return readonly(G)


# --- value of observability ----------------------------------------------------------------

def _check_model(model, owner):
    if not isinstance(model, PrincipalAgent):
        fail("model", owner, "a PrincipalAgent", model)
    return model


def _on_channel(model: PrincipalAgent, observation) -> PrincipalAgent:
    """The same technology with the contract restricted to ``observation`` (None: complete)."""
    return PrincipalAgent(model.outcome_probs, model.costs, model.rewards, observation=observation,
                          action_labels=model.action_labels, outcome_labels=model.outcome_labels)


def _solve_on(model, observation, owner, name):
    if observation is not None:
        observation = _channel(observation, name, owner, n_outcomes=model.n_outcomes)
    same = (observation is None and model.observation is None) or (
        observation is not None and model.observation is not None
        and observation.shape == model.observation.shape and np.array_equal(observation, model.observation))
    target = model if same else _on_channel(model, observation)
    return target.optimal_contract(), observation


@dataclasses.dataclass(frozen=True, repr=False)
class IncompletenessResult:
    """What restricting the contract to a signal costs the principal.

    Attributes
    ----------
    cost : float
        ``complete.principal_utility - incomplete.principal_utility`` (``>= 0`` up to solver tolerance).
    complete, incomplete : OptimalContractResult
        The optimal contract on the outcome and on the signal.
    observation : ndarray
        The channel the incomplete contract pays on.
    first_best_welfare : float
        The welfare of the first-best action (an upper bound on both utilities).
    """

    cost: float
    complete: OptimalContractResult
    incomplete: OptimalContractResult
    observation: np.ndarray
    first_best_welfare: float

    def __post_init__(self):
        object.__setattr__(self, "observation", readonly(self.observation, dtype=np.float64))

    @property
    def relative_cost(self) -> float:
        """``cost`` as a share of the complete contract's principal utility (NaN when that is <= 0)."""
        u = self.complete.principal_utility
        return self.cost / u if u > 0 else math.nan

    @property
    def action_changed(self) -> bool:
        """Whether incompleteness changes the action the principal implements."""
        return self.complete.action != self.incomplete.action

    def __repr__(self) -> str:
        return (f"IncompletenessResult(cost={self.cost:.6g}, complete: action={self.complete.action} "
                f"utility={self.complete.principal_utility:.6g}, incomplete: action={self.incomplete.action} "
                f"utility={self.incomplete.principal_utility:.6g}, signals={self.observation.shape[1]}, "
                f"first_best_welfare={self.first_best_welfare:.6g})")

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in {
                "cost of incompleteness": f"{self.cost:.6g}",
                "complete contract": f"action {self.complete.action}, utility {self.complete.principal_utility:.6g}",
                "contract on the signal": f"action {self.incomplete.action}, "
                                          f"utility {self.incomplete.principal_utility:.6g}",
                "signals": str(self.observation.shape[1]),
                "first-best welfare": f"{self.first_best_welfare:.6g}",
            }.items()
        )
        return f"<table><caption>IncompletenessResult</caption>{rows}</table>"


def cost_of_incompleteness(model, observation=None, /) -> IncompletenessResult:
    """Principal utility lost by contracting on a signal instead of the outcome.

    Parameters
    ----------
    model : PrincipalAgent
        The technology (its own observation channel is ignored for the complete contract).
    observation : (n_outcomes, n_signals) array, optional
        The channel the contract may pay on; default: the model's own channel
        (the identity if it has none, giving cost 0).

    Returns
    -------
    IncompletenessResult

    References
    ----------
    .. [1] B. Holmström, "Moral hazard and observability", Bell Journal of
       Economics 10(1), 74-91, 1979.
    .. [2] S. Grossman and O. Hart, "An analysis of the principal-agent
       problem", Econometrica 51(1), 7-45, 1983.
    .. [3] S. Zhuang and D. Hadfield-Menell, "Consequences of misaligned AI",
       NeurIPS 33, 2020 (incomplete contracts for AI).

    Examples
    --------
    Work costs 1 and raises the chance of success from 0.1 to 0.6 (worth 10).
    If nothing is observed, only a fixed wage is possible and the agent shirks.

    >>> pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
    >>> res = cost_of_incompleteness(pa, uninformative_channel(2))
    >>> round(res.complete.principal_utility, 6), round(res.incomplete.principal_utility, 6), round(res.cost, 6)
    (4.8, 1.0, 3.8)
    """
    owner = "cost_of_incompleteness"
    model = _check_model(model, owner)
    if observation is None:
        observation = model.observation
    complete, _ = _solve_on(model, None, owner, "observation")
    if observation is None:
        incomplete, obs = complete, np.eye(model.n_outcomes)
    else:
        incomplete, obs = _solve_on(model, observation, owner, "observation")
    return IncompletenessResult(
        cost=float(complete.principal_utility - incomplete.principal_utility),
        complete=complete, incomplete=incomplete, observation=obs,
        first_best_welfare=model.first_best().welfare,
    )


@dataclasses.dataclass(frozen=True, repr=False)
class InformationValue:
    """Principal utility gained by contracting on a richer channel.

    Attributes
    ----------
    value : float
        ``informed.principal_utility - baseline.principal_utility``.
    informed, baseline : OptimalContractResult
        Optimal contracts with and without the extra information.
    """

    value: float
    informed: OptimalContractResult
    baseline: OptimalContractResult

    def __repr__(self) -> str:
        return (f"InformationValue(value={self.value:.6g}, informed: action={self.informed.action} "
                f"utility={self.informed.principal_utility:.6g}, baseline: action={self.baseline.action} "
                f"utility={self.baseline.principal_utility:.6g})")


def value_of_information(model, observation=None, /, *, baseline=None) -> InformationValue:
    """What contracting on ``observation`` is worth against ``baseline``.

    Parameters
    ----------
    model : PrincipalAgent
    observation : array, optional
        The richer channel (default: the model's own channel, or the outcome itself).
    baseline : array, keyword-only
        The poorer channel (default: :func:`uninformative_channel`, a fixed wage).

    Returns
    -------
    InformationValue

    References
    ----------
    .. [1] B. Holmström, "Moral hazard and observability", Bell Journal of
       Economics 10(1), 74-91, 1979.

    Examples
    --------
    >>> pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
    >>> round(value_of_information(pa).value, 6)
    3.8
    """
    owner = "value_of_information"
    model = _check_model(model, owner)
    if observation is None:
        observation = model.observation
    informed, _ = _solve_on(model, observation, owner, "observation")
    base_obs = uninformative_channel(model.n_outcomes) if baseline is None else baseline
    base, _ = _solve_on(model, base_obs, owner, "baseline")
    return InformationValue(value=float(informed.principal_utility - base.principal_utility),
                            informed=informed, baseline=base)


def value_of_signal(model, signal, /, *, observation=None) -> InformationValue:
    """What observing ``signal`` in addition to ``observation`` is worth.

    The contract on the joint signal (:func:`joint_channel`, the two signals
    independent given the outcome) against the contract on ``observation``
    alone.  Since both are signals *of the outcome*, adding one never hurts and
    adds nothing once the outcome itself is observed (Holmström's
    informativeness principle).

    Parameters
    ----------
    model : PrincipalAgent
    signal : (n_outcomes, n_extra) array
        The additional channel.
    observation : array, keyword-only
        The channel already available (default: the model's own; if it has
        none, the outcome itself).

    Returns
    -------
    InformationValue

    References
    ----------
    .. [1] B. Holmström, "Moral hazard and observability", Bell Journal of
       Economics 10(1), 74-91, 1979.

    Examples
    --------
    A noisy report of success is worth something when nothing else is seen.

    >>> pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
    >>> val = value_of_signal(pa, noisy_channel(2, 0.1), observation=uninformative_channel(2))
    >>> val.value > 0
    True
    """
    owner = "value_of_signal"
    model = _check_model(model, owner)
    extra = _channel(signal, "signal", owner, n_outcomes=model.n_outcomes)
    if observation is None:
        observation = model.observation
    base_obs = np.eye(model.n_outcomes) if observation is None else _channel(
        observation, "observation", owner, n_outcomes=model.n_outcomes)
    base, _ = _solve_on(model, base_obs if observation is not None else None, owner, "observation")
    informed, _ = _solve_on(model, joint_channel(base_obs, extra), owner, "signal")
    return InformationValue(value=float(informed.principal_utility - base.principal_utility),
                            informed=informed, baseline=base)
