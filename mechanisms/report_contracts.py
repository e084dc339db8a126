"""The report's contracts section: optimal, linear, robust and incomplete contracts on a bundled example.

The instance is :func:`mechanisms.data.contracts.coding_agent_example`: a
developer paying a coding agent that can either game the visible tests or
solve the task.  The section shows, each with the residuals of its
certificate recomputed in numpy,

* the optimal (min-pay) contract on the outcome, the binding incentive
  constraints and their multipliers;
* the min-budget contract, the best linear contract and its ratio to the
  optimum, and Carroll's max-min (robust) linear contract with its guarantee;
* for each bundled evaluator (unit tests, hidden tests, an LLM judge), the
  optimal contract on its signal and the cost of incompleteness.

Every number has a pen-and-paper value (listed in
:mod:`mechanisms.data.contracts`), which ``tests/unit/test_report_contracts.py``
checks.
"""

from __future__ import annotations

import html
import math

import numpy as np

__all__ = ["contracts_section", "TITLE"]

#: Title of the section (the key of its data in ``report.json``).
TITLE = "Contracts: paying a coding agent (bundled example)"

_DIGITS = 8  # data are rounded to this many decimals (the LPs are solved to about 1e-9)


def _num(value) -> float | None:
    """A JSON-able float (None for NaN), rounded so that solver noise does not show."""
    value = float(value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        return value
    out = round(value, _DIGITS)
    return 0.0 if out == 0 else out


def _vec(values) -> list:
    return [_num(v) for v in np.asarray(values, dtype=float).reshape(-1)]


def _fmt(value, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v, digits) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _certificate(cert) -> dict:
    residuals = {k: _num(v) for k, v in cert.residuals().items()}
    return {"residuals": residuals, "max_residual": max((abs(v) for v in residuals.values() if v is not None),
                                                        default=0.0),
            "atol": float(cert.atol), "ok": bool(cert.ok)}


def _design(res, labels, **extra) -> dict:
    """One contract as JSON-able data (``action`` by label)."""
    feasible = res.payments is not None
    return {
        "design": res.design,
        "status": res.status.value,
        "action": labels[res.action] if feasible and res.action >= 0 else None,
        "payments": _vec(res.payments) if feasible else None,
        "expected_payment": _num(res.expected_payment),
        "principal_utility": _num(res.principal_utility),
        "agent_utility": _num(res.agent_utility),
        "certificate": _certificate(res.certificate),
        **extra,
    }


def _instance(example) -> dict:
    m = example.model
    fb = m.first_best()
    return {
        "name": example.name,
        "description": example.description,
        "actions": [str(a) for a in m.action_labels],
        "outcomes": [str(o) for o in m.outcome_labels],
        "outcome_probs": [_vec(row) for row in m.outcome_probs],
        "costs": _vec(m.costs),
        "rewards": _vec(m.rewards),
        "expected_rewards": _vec(m.expected_rewards),
        "welfare": _vec(m.welfare),
        "first_best": {"action": str(m.action_labels[fb.action]), "welfare": _num(fb.welfare)},
    }


def _instance_html(inst: dict) -> str:
    from .report import _table

    header = ["action", *(f"P({o})" for o in inst["outcomes"]), "cost", "E[reward]", "welfare"]
    rows = [[a, *(_fmt(p) for p in probs), _fmt(c), _fmt(r), _fmt(w)]
            for a, probs, c, r, w in zip(inst["actions"], inst["outcome_probs"], inst["costs"],
                                         inst["expected_rewards"], inst["welfare"])]
    rows.append(["reward (principal)", *(_fmt(r) for r in inst["rewards"]), "", "", ""])
    return _table(header, rows)


def contracts_section():
    """The report section on the bundled coding-agent contract (see the module docstring).

    Returns
    -------
    mechanisms.report.Section
        ``data`` holds ``instance``, ``designs`` (optimal, min-budget, best
        linear, robust linear), ``binding_deviations`` and ``incompleteness``
        (one entry per evaluator); every contract carries its certificate
        residuals.

    References
    ----------
    .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
       problem. Econometrica 51(1), 7-45.
    .. [2] Holmström, B. (1979). Moral hazard and observability. Bell Journal of
       Economics 10(1), 74-91.
    .. [3] Carroll, G. (2015). Robustness and linear contracts. American Economic
       Review 105(2), 536-563.
    .. [4] Dütting, P., Roughgarden, T., and Talgam-Cohen, I. (2019). Simple versus
       optimal contracts. EC '19, 369-387.

    Examples
    --------
    >>> section = contracts_section()
    >>> section.data["designs"]["optimal"]["payments"]
    [0.0, 0.0, 0.0, 2.0]
    >>> section.data["incompleteness"][0]["cost_of_incompleteness"]
    4.2
    """
    from .contracts import PrincipalAgent, carroll_contract, cost_of_incompleteness
    from .data.contracts import coding_agent_example
    from .report import Section, _table

    example = coding_agent_example()
    model = example.model
    labels = [str(a) for a in model.action_labels]
    inst = _instance(example)

    optimal = model.optimal_contract()
    best = optimal.action
    budget = model.min_budget_contract(best)
    linear = model.best_linear_contract()
    robust = carroll_contract(model)
    robust_action = robust.actions[0] if robust.actions and robust.actions[0] >= 0 else None
    designs = {
        "optimal": _design(optimal, labels, objective=_num(optimal.objective),
                           note="min-pay contract of the best action (expected payment minimized)"),
        "min_budget": _design(budget, labels, objective=_num(budget.objective),
                              note="smallest largest payment implementing the same action"),
        "linear": _design(linear, labels, alpha=_num(linear.alpha), ratio_to_optimal=_num(linear.ratio_to_optimal),
                          note="best contract paying a share alpha of the principal's reward"),
        "robust_linear": {
            "design": "robust_linear",
            "status": robust.status.value,
            "action": None if robust_action is None else labels[robust_action],
            "payments": _vec(robust.payments),
            "alpha": _num(robust.alpha),
            "guarantee": _num(robust.guarantee),
            "principal_utility": _num(robust.values[0]) if robust.values is not None else None,
            "certificate": _certificate(robust.certificate),
            "note": "Carroll's max-min contract: best worst case when the agent may have unknown further actions",
        },
    }
    ic = np.asarray(optimal.duals.get("ic", np.zeros(model.n_actions)), dtype=float)
    binding = [{"action": labels[a], "multiplier": _num(ic[a])} for a in np.flatnonzero(ic > 1e-9)]

    incompleteness = []
    first_best = model.first_best().action
    for name, channel in example.evaluators.items():
        inc = cost_of_incompleteness(model, channel)
        on_signal = PrincipalAgent(model.outcome_probs, model.costs, model.rewards, observation=channel,
                                   action_labels=model.action_labels, outcome_labels=model.outcome_labels)
        implement = on_signal.min_pay_contract(first_best)
        entry = _design(inc.incomplete, labels)
        entry.update({
            "evaluator": name,
            "sees": example.evaluator_descriptions[name],
            "observation": [_vec(row) for row in inc.observation],
            "n_signals": int(inc.observation.shape[1]),
            "cost_of_incompleteness": _num(inc.cost),
            "relative_cost": _num(inc.relative_cost),
            "action_changed": bool(inc.action_changed),
            "first_best_action": labels[first_best],
            "pay_to_implement_first_best": _num(implement.expected_payment),
            "implement_first_best_status": implement.status.value,
        })
        incompleteness.append(entry)

    data = {"instance": inst, "designs": designs, "binding_deviations": binding, "incompleteness": incompleteness}

    design_rows = []
    for key, label in (("optimal", "optimal (min-pay)"), ("min_budget", "min-budget"), ("linear", "best linear"),
                       ("robust_linear", "robust linear (Carroll)")):
        d = designs[key]
        extra = ""
        if key == "linear":
            extra = f"alpha = {_fmt(d['alpha'])}, ratio to optimal = {_fmt(d['ratio_to_optimal'])}"
        elif key == "robust_linear":
            extra = f"alpha = {_fmt(d['alpha'])}, worst-case guarantee = {_fmt(d['guarantee'])}"
        elif key == "min_budget":
            extra = f"largest payment = {_fmt(d['objective'])}"
        design_rows.append([label, d["action"] or "-", _fmt(d["payments"]), _fmt(d.get("expected_payment")),
                            _fmt(d["principal_utility"]), _fmt(d.get("agent_utility")),
                            _fmt(d["certificate"]["max_residual"], 2), d["status"], extra])
    inc_rows = [[e["evaluator"], e["sees"], e["n_signals"], e["action"], _fmt(e["payments"]),
                 _fmt(e["principal_utility"]), _fmt(e["cost_of_incompleteness"]),
                 _fmt(e["pay_to_implement_first_best"]), _fmt(e["certificate"]["max_residual"], 2)]
                for e in incompleteness]
    deviations = ", ".join(f"{html.escape(b['action'])} (multiplier {_fmt(b['multiplier'])})" for b in binding)
    body = (
        f"<p>{html.escape(example.description)}</p>"
        + _instance_html(inst)
        + "<h3>Contracts on the outcome</h3>"
        "<p>Payments per outcome (" + html.escape(", ".join(inst["outcomes"])) + "); the certificate column is the "
        "largest residual (incentive, participation, limited liability, duality gap) recomputed in numpy.</p>"
        + _table(["design", "implements", "payments", "E[payment]", "principal", "agent", "certificate", "status",
                  "note"], design_rows)
        + f"<p>Binding deviations of the optimal contract: {deviations or 'none'}. A multiplier is the extra "
        "expected payment per unit increase in the cost gap to that deviation.</p>"
        + "<h3>Incomplete contracts: paying on an evaluator's signal</h3>"
        "<p>The cost of incompleteness is the principal utility of the optimal contract on the outcome minus "
        "that of the optimal contract on the evaluator's signal; the last column but one is the expected payment "
        f"needed to implement the first-best action ({html.escape(labels[first_best])}) on that signal.</p>"
        + _table(["evaluator", "sees", "signals", "implements", "payments per signal", "principal",
                  "cost of incompleteness", "pay to implement first best", "certificate"], inc_rows)
    )
    return Section(TITLE, body, data)
