"""Exact equilibrium analysis of peer-prediction mechanisms under a common-prior signal model."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math

import numpy as np

from solvers.validation import check_array, check_real, fail

from .peer_prediction import PeerPredictionMechanism
from .signals import SignalModel

__all__ = ["Deviation", "EquilibriumReport", "verify_equilibrium"]

logger = logging.getLogger(__name__)

_MAX_STRATEGIES = 1 << 20  # maps in a class, for mechanisms linear in the own strategy
_MAX_NONLINEAR = 1 << 15  # maps evaluated one by one (non-linear mechanisms, symmetric profiles)
_MAX_WORK = 50_000_000  # strategy profiles x report profiles for the optional symmetric-profile check


@dataclasses.dataclass(frozen=True)
class Deviation:
    """A strategy of one agent, with its expected payment and its gain over truth-telling.

    agent : the deviating agent.
    strategy : the report (menu index) the agent gives for each of its signals.
    labels : the same reports as readable labels.
    payment : the agent's expected payment when everybody else is truthful.
    gain : ``payment - truthful payment`` (positive: a profitable deviation).
    """

    agent: int
    strategy: tuple[int, ...]
    labels: tuple[str, ...]
    payment: float
    gain: float

    def __repr__(self) -> str:
        plan = ", ".join(f"{s}->{lab}" for s, lab in enumerate(self.labels))
        return f"Deviation(agent={self.agent}, strategy=[{plan}], payment={self.payment:.6g}, gain={self.gain:.6g})"


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class EquilibriumReport:
    """What :func:`verify_equilibrium` found.

    truthful_payments : each agent's expected payment when everybody reports truthfully.
    is_bne, is_strict_bne : truth-telling is a (strict) Bayes-Nash equilibrium against the
        strategy class (strict: every deviation that changes a report of a signal with
        positive probability loses more than the tolerance).
    margin : smallest loss, over agents, of the best deviation (negative: the largest gain).
    best_deviation : the most profitable deviation (the witness), or the least costly one.
    strategies, deviation_payments : the class as ``(S, k)`` report maps and each agent's expected
        payment for each map, others truthful ``(n_agents, S)``.
    uninformative_payments : each agent's best payment over profiles where every agent reports a
        constant (independent random uninformative strategies pay a mixture of these; DMI pays 0
        to any uninformative strategy).
    beats_uninformative : truth pays every agent strictly more than all of them.
    uninformative_equilibria : constant reports ``c`` such that everybody reporting ``c`` is a BNE.
    beats_uninformative_equilibria : truth pays every agent strictly more than each of those.
    symmetric_payments : payments when all agents use the same map from the class ``(S, n_agents)``
        (None when too large to enumerate).
    informed_truthful : truth pays at least as much as every symmetric profile and strictly more
        than every uninformative one (Shnayder et al. 2016), or None.
    """

    mechanism: str
    n_agents: int
    n_signals: int
    strategy_class: str
    report_labels: tuple[str, ...]
    truthful_payments: np.ndarray
    is_bne: bool
    is_strict_bne: bool
    margin: float
    best_deviation: Deviation | None
    strategies: np.ndarray
    deviation_payments: np.ndarray
    uninformative_payments: np.ndarray
    beats_uninformative: bool
    uninformative_equilibria: tuple[int, ...]
    beats_uninformative_equilibria: bool
    symmetric_payments: np.ndarray | None
    informed_truthful: bool | None
    atol: float

    def __post_init__(self):
        for name in ("truthful_payments", "strategies", "deviation_payments", "uninformative_payments",
                     "symmetric_payments"):
            value = getattr(self, name)
            if value is not None:
                arr = np.array(value)
                arr.setflags(write=False)
                object.__setattr__(self, name, arr)

    @property
    def n_strategies(self) -> int:
        return int(self.strategies.shape[0])

    def _rows(self) -> dict:
        fmt = dict(precision=4, suppress_small=True)
        return {
            "mechanism": self.mechanism,
            "agents x signals": f"{self.n_agents} x {self.n_signals}",
            "strategy class": f"{self.strategy_class} ({self.n_strategies} maps)",
            "truthful payments": np.array2string(self.truthful_payments, **fmt),
            "truthful is BNE": self.is_bne,
            "truthful is strict BNE": self.is_strict_bne,
            "margin": f"{self.margin:.6g}",
            "best deviation": repr(self.best_deviation),
            "best uninformative payments": np.array2string(self.uninformative_payments, **fmt),
            "beats uninformative": self.beats_uninformative,
            "uninformative equilibria": [self.report_labels[c] for c in self.uninformative_equilibria],
            "beats uninformative equilibria": self.beats_uninformative_equilibria,
            "informed truthful": self.informed_truthful,
        }

    def __repr__(self) -> str:
        body = ",\n    ".join(f"{k}={v}" for k, v in self._rows().items())
        return f"EquilibriumReport(\n    {body})"

    def _repr_html_(self) -> str:
        import html

        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in self._rows().items())
        return f"<table><caption>EquilibriumReport</caption>{rows}</table>"


def _strategy_class(spec, k: int, menu, owner: str) -> tuple[str, np.ndarray]:
    m = menu.n_reports
    if isinstance(spec, str):
        if spec == "all":
            if m ** k > _MAX_STRATEGIES:
                fail("strategies", owner, f"a class of at most {_MAX_STRATEGIES:,} maps", spec,
                     hint=f"'all' has {m}**{k} maps here; use 'permutations', 'uninformative' or an explicit array.")
            maps = np.indices((m,) * k).reshape(k, -1).T
        elif spec == "permutations":
            perms = np.array(list(itertools.permutations(range(k))), dtype=np.int64)
            maps = menu.truthful[perms]
        elif spec == "uninformative":
            maps = np.repeat(np.arange(m)[:, None], k, axis=1)
        else:
            fail("strategies", owner, "'all', 'permutations', 'uninformative' or an array of maps", spec)
        return spec, np.ascontiguousarray(maps, dtype=np.int64)
    maps = check_array(spec, "strategies", owner, dtype="int", ndim=2)
    if maps.shape[1] != k or maps.shape[0] < 1:
        fail("strategies", owner, f"an array of shape (S, {k}): one report per signal in each row", maps)
    if maps.min() < 0 or maps.max() >= m:
        fail("strategies", owner, f"report indices in [0, {m - 1}] (the mechanism's report menu)", maps)
    return "custom", np.array(maps, dtype=np.int64)


def _one_hot(maps: np.ndarray, m: int) -> np.ndarray:
    """Pure maps ``(S, k)`` -> strategy matrices ``(S, k, m)``."""
    return (maps[..., None] == np.arange(m)).astype(float)


class _Evaluator:
    """Expected payments of unilateral deviations from a base profile, exactly."""

    def __init__(self, mechanism, model, menu):
        self.f = mechanism._expected_fn(model)
        self.linear = mechanism.linear
        self.n, self.k, self.m = model.n_agents, model.n_signals, menu.n_reports

    def profile(self, base: np.ndarray) -> np.ndarray:
        return self.f(base[None])[0]

    def deviations(self, base: np.ndarray, agent: int, maps: np.ndarray) -> np.ndarray:
        """Payment of ``agent`` for each map ``(S, k)``, the others playing ``base`` ``(n, k, m)``."""
        k, m = self.k, self.m
        if self.linear:  # E is linear in the agent's own strategy: price each (signal, report) cell once
            units = np.zeros((k * m, k, m))
            units[np.arange(k * m), np.repeat(np.arange(k), m), np.tile(np.arange(m), k)] = 1.0
            batch = np.broadcast_to(base, (k * m,) + base.shape).copy()
            batch[:, agent] = units
            cell = self.f(batch)[:, agent].reshape(k, m)
            with np.errstate(invalid="ignore"):
                return cell[np.arange(k), maps].sum(axis=-1)
        if maps.shape[0] > _MAX_NONLINEAR:
            fail("strategies", "verify_equilibrium", f"a class of at most {_MAX_NONLINEAR:,} maps for this mechanism",
                 maps, hint="Its payments are not linear in a strategy; use 'permutations' or an explicit array.")
        out = np.empty(maps.shape[0])
        step = 4096
        for lo in range(0, maps.shape[0], step):
            chunk = maps[lo:lo + step]
            batch = np.broadcast_to(base, (len(chunk),) + base.shape).copy()
            batch[:, agent] = _one_hot(chunk, m)
            out[lo:lo + step] = self.f(batch)[:, agent]
        return out


def _uninformative(ev: _Evaluator, maps, n, k, m, atol):
    """Best payment per agent over constant-report profiles, and the symmetric ones that are BNE."""
    if m ** n <= 4096:
        consts = np.indices((m,) * n).reshape(n, -1).T
    else:  # too many: only everybody-reports-the-same-constant profiles
        consts = np.repeat(np.arange(m)[:, None], n, axis=1)
    profiles = np.broadcast_to(consts[:, :, None, None] == np.arange(m), consts.shape + (k, m)).astype(float)
    pay = ev.f(profiles)  # (P, n)
    equilibria, eq_payments = [], []
    for p in np.flatnonzero(np.all(consts == consts[:, :1], axis=1)):
        if all(np.max(ev.deviations(profiles[p], i, maps)) <= pay[p, i] + atol * max(1.0, abs(pay[p, i]))
               for i in range(n)):
            equilibria.append(int(consts[p, 0]))
            eq_payments.append(pay[p])
    return pay.max(axis=0), equilibria, eq_payments


def _symmetric(ev: _Evaluator, mechanism, maps, n, k, m):
    """Payments ``(S, n)`` when every agent uses the same map, or None when too many to price."""
    work = maps.shape[0] * (m ** n if not mechanism.multi_task else n * n * k * k)
    if maps.shape[0] > _MAX_NONLINEAR or work > _MAX_WORK:
        logger.warning("verify_equilibrium: %d symmetric profiles are too many to price; informed_truthful=None",
                       maps.shape[0])
        return None
    profiles = np.broadcast_to(_one_hot(maps, m)[:, None], (maps.shape[0], n, k, m))
    out = np.empty((maps.shape[0], n))
    for lo in range(0, maps.shape[0], 4096):
        out[lo:lo + 4096] = ev.f(np.ascontiguousarray(profiles[lo:lo + 4096]))
    return out


def verify_equilibrium(mechanism: PeerPredictionMechanism, model, *, strategies="all",
                       atol: float = 1e-9) -> EquilibriumReport:
    """Decide exactly whether truth-telling is a (strict) Bayes-Nash equilibrium of a peer-prediction mechanism.

    Expected payments are computed exactly: by enumerating every signal and
    report profile for single-task mechanisms, and for multi-task mechanisms
    (tasks i.i.d. from ``model``, every agent using the same strategy on every
    task) by their closed forms, linear for Dasgupta-Ghosh and correlated
    agreement and by Cauchy-Binet for DMI.  For each agent, every map from
    signals to reports in the strategy class is priced against truthful
    others; uninformative profiles (every agent reporting a constant) and
    symmetric profiles (all agents using the same map) are priced too.

    A report is an item of the mechanism's *report menu*: the signals
    themselves, or for BTS/RBTS a pair (endorsed signal, prediction as if a
    given signal had been seen).  Deviations that differ from truth only at
    signals of probability 0 are not deviations.

    Parameters
    ----------
    mechanism : PeerPredictionMechanism
        ``OutputAgreement()``, ``PeerPrediction(rule=...)``, ``BayesianTruthSerum()``,
        ``RobustBayesianTruthSerum()``, ``DasguptaGhosh()``, ``CorrelatedAgreement()``,
        ``DeterminantMutualInformation()``.
    model : SignalModel or array_like (k, k)
        The common prior (a ``(k, k)`` array is the joint of two agents' signals).
    strategies : {"all", "permutations", "uninformative"} or array_like (S, k)
        The deviation class: every pure map from signals to reports, the
        relabelings of signals, the constant reports, or explicit maps
        (row ``s`` entry: the report given after signal ``s``).  Mixed
        deviations need no separate check: an agent's expected payment is
        linear in its own randomization, except under DMI, whose payment
        ``det(U)^2`` is largest at a permutation (a stochastic matrix has
        ``|det| <= 1``), which the pure classes contain.
    atol : float
        Tolerance, relative to ``max(1, |truthful payment|)``.

    Returns
    -------
    EquilibriumReport

    References
    ----------
    .. [1] N. Miller, P. Resnick and R. Zeckhauser, Management Science 51(9), 2005.
    .. [2] V. Shnayder, A. Agarwal, R. Frongillo and D. C. Parkes, "Informed
       truthfulness in multi-task peer prediction", EC 2016.

    Examples
    --------
    >>> from mechanisms.elicitation import SignalModel, OutputAgreement, verify_equilibrium
    >>> # a good item is rare; even a "good" signal leaves "bad" the likelier peer signal
    >>> model = SignalModel.from_world_states([0.1, 0.9], [[0.2, 0.8], [0.9, 0.1]], n_agents=2)
    >>> rep = verify_equilibrium(OutputAgreement(), model)
    >>> rep.is_bne, rep.best_deviation.strategy          # report "bad" whatever you see
    (False, (0, 0))
    """
    owner = "verify_equilibrium"
    if not isinstance(mechanism, PeerPredictionMechanism):
        fail("mechanism", owner, "a PeerPredictionMechanism object", mechanism,
             hint="For example mechanisms.elicitation.CorrelatedAgreement().")
    if not isinstance(model, SignalModel):
        model = SignalModel.from_pair(check_array(model, "model", owner, ndim=2, nonnegative=True))
    atol = check_real(atol, "atol", owner, low=0.0)
    n, k = model.n_agents, model.n_signals
    menu = mechanism._menu(model)
    m = menu.n_reports
    class_name, maps = _strategy_class(strategies, k, menu, owner)
    ev = _Evaluator(mechanism, model, menu)

    truthful = np.broadcast_to(_one_hot(menu.truthful[None], m)[0], (n, k, m)).copy()
    truth_pay = ev.profile(truthful)
    tol = atol * np.maximum(1.0, np.abs(truth_pay))

    dev_pay = np.empty((n, maps.shape[0]))
    best_gain = np.full(n, -math.inf)
    best_idx = np.full(n, -1)
    for i in range(n):
        dev_pay[i] = ev.deviations(truthful, i, maps)
        support = model.marginal(i) > 0
        equivalent = np.all((maps == menu.truthful) | ~support, axis=1)
        with np.errstate(invalid="ignore"):
            gains = np.where(equivalent, -np.inf, dev_pay[i] - truth_pay[i])
        if not equivalent.all():
            best_idx[i] = int(np.argmax(gains))
            best_gain[i] = gains[best_idx[i]]
    scaled = best_gain - tol
    is_bne = bool(np.all(best_gain <= tol))
    is_strict = bool(np.all(best_gain < -tol))
    margin = float(-np.max(best_gain)) + 0.0  # no -0.0
    best = None
    if np.any(best_idx >= 0):
        agent = int(np.argmax(np.where(best_idx >= 0, scaled, -np.inf)))
        row = maps[best_idx[agent]]
        best = Deviation(agent=agent, strategy=tuple(int(v) for v in row),
                         labels=tuple(menu.labels[v] for v in row),
                         payment=float(dev_pay[agent, best_idx[agent]]), gain=float(best_gain[agent]))

    unin_best, equilibria, eq_payments = _uninformative(ev, maps, n, k, m, atol)
    beats_unin = bool(np.all(truth_pay > unin_best + tol))
    beats_eq = bool(all(np.all(truth_pay > pay + tol) for pay in eq_payments))
    sym_pay = _symmetric(ev, mechanism, maps, n, k, m)
    informed = None if sym_pay is None else bool(np.all(sym_pay.max(axis=0) <= truth_pay + tol) and beats_unin)

    return EquilibriumReport(
        mechanism=getattr(mechanism, "name", type(mechanism).__name__), n_agents=n, n_signals=k,
        strategy_class=class_name, report_labels=menu.labels, truthful_payments=truth_pay, is_bne=is_bne,
        is_strict_bne=is_strict, margin=margin, best_deviation=best, strategies=maps, deviation_payments=dev_pay,
        uninformative_payments=unin_best, beats_uninformative=beats_unin,
        uninformative_equilibria=tuple(equilibria), beats_uninformative_equilibria=beats_eq,
        symmetric_payments=sym_pay, informed_truthful=informed, atol=atol)
