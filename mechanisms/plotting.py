"""Plots of aggregation results (matplotlib, imported lazily inside each function).

* :func:`plot_agreement`: a heatmap of a rule-agreement matrix (the share of
  elections on which two rules choose the same winners);
* :func:`plot_margins`: a diverging heatmap of a majority-margin matrix.

Each function draws on ``ax`` when one is given (so it composes with the
caller's figure) and otherwise on a new figure from ``matplotlib.pyplot``; it
returns the :class:`matplotlib.axes.Axes`.  ``import mechanisms.plotting`` does
not import matplotlib; the first call does (``pip install
'alignment-mechanisms[plot]'``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from solvers.validation import check_array, check_bool, fail, require

__all__ = ["plot_agreement", "plot_margins"]


def _labels(labels, n: int, owner: str) -> list[str]:
    if isinstance(labels, (str, bytes)) or not isinstance(labels, (Sequence, np.ndarray)):
        fail("labels", owner, f"a sequence of {n} labels (one per row of the matrix)", labels)
    out = [str(x) for x in labels]
    if len(out) != n:
        fail("labels", owner, f"a sequence of {n} labels (one per row of the matrix)", labels,
             hint=f"It has {len(out)}.")
    return out


def _square(matrix, name: str, owner: str, *, finite: bool) -> np.ndarray:
    arr = check_array(matrix, name, owner, dtype="float", ndim=2, finite=False, min_size=1)
    if arr.shape[0] != arr.shape[1]:
        fail(name, owner, "a square 2-dimensional array", arr)
    if np.any(np.isinf(arr)) or (finite and np.any(np.isnan(arr))):
        fail(name, owner, "finite" + ("" if finite else " or NaN (NaN marks a missing entry)"), arr)
    return arr


def _axes(ax, owner: str, n: int):
    require("matplotlib", "plot", owner)
    if ax is None:
        import matplotlib.pyplot as plt

        size = min(3.0 + 0.42 * n, 16.0)
        _, ax = plt.subplots(figsize=(size + 1.2, size), layout="constrained")
        return ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        fail("ax", owner, "a matplotlib Axes or None", ax)
    return ax


def _heatmap(ax, arr, labels, *, cmap, vmin, vmax, annotate, fmt, colorbar_label, text_color):
    n = arr.shape[0]
    image = ax.imshow(np.ma.masked_invalid(arr), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks(np.arange(n), labels=labels, rotation=90, fontsize="small")
    ax.set_yticks(np.arange(n), labels=labels, fontsize="small")
    ax.set_xticks(np.arange(n + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    if annotate:
        for i, j in zip(*np.nonzero(np.isfinite(arr))):
            value = arr[i, j]
            ax.text(j, i, fmt(value), ha="center", va="center", fontsize="x-small", color=text_color(value))
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label=colorbar_label)
    return ax


def plot_agreement(matrix, labels, /, *, ax=None, title: str | None = None, annotate: bool | None = None,
                   cmap: str = "viridis"):
    """Heatmap of a rule-agreement matrix.

    Parameters
    ----------
    matrix : array_like, shape (n_rules, n_rules)
        Entry ``[i, j]`` is the share (in ``[0, 1]``) of elections on which rules
        ``i`` and ``j`` choose the same winner set; ``NaN`` marks a pair with no
        common election (drawn blank).
    labels : sequence of str, length n_rules
        Rule names, in the order of the rows.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    title : str, optional
        Axes title.
    annotate : bool, optional
        Write each value in its cell; default when there are at most 20 rules.
    cmap : str
        A matplotlib colormap name.

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    The agreement of voting rules across elections is the measure tabulated in
    D. G. Saari and V. R. Merlin (1996). The Copeland method: I. Relationships and the
    dictionary. *Economic Theory* 8(1), 51-76, and in F. Plassmann and T. N. Tideman (2014).
    How frequently do different voting rules encounter voting paradoxes in three-candidate
    elections? *Social Choice and Welfare* 42(1), 31-75.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mechanisms.plotting import plot_agreement
    >>> ax = plot_agreement([[1.0, 0.5], [0.5, 1.0]], ["borda", "copeland"])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['borda', 'copeland']
    """
    owner = "plot_agreement"
    arr = _square(matrix, "matrix", owner, finite=False)
    finite = arr[np.isfinite(arr)]
    if finite.size and (finite.min() < 0 or finite.max() > 1):
        fail("matrix", owner, "shares in [0, 1] (or NaN)", arr)
    names = _labels(labels, arr.shape[0], owner)
    annotate = arr.shape[0] <= 20 if annotate is None else check_bool(annotate, "annotate", owner)
    ax = _axes(ax, owner, arr.shape[0])
    _heatmap(ax, arr, names, cmap=cmap, vmin=0.0, vmax=1.0, annotate=annotate,
             fmt=lambda v: f"{v:.2f}".lstrip("0") if v < 1 else "1", colorbar_label="share of elections in agreement",
             text_color=lambda v: "white" if v < 0.5 else "black")
    if title is not None:
        ax.set_title(str(title))
    return ax


def plot_margins(margins, labels=None, /, *, ax=None, title: str | None = None, annotate: bool | None = None,
                 cmap: str = "RdBu"):
    """Diverging heatmap of a majority-margin matrix (row beats column when positive).

    Parameters
    ----------
    margins : array_like, shape (m, m)
        Antisymmetric margins ``M[a, b] = #(a over b) - #(b over a)`` (e.g.
        ``profile.margin_matrix()`` or ``comparisons.margin_matrix()``).
    labels : sequence of str, optional
        Alternative names (default ``0 .. m-1``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    title : str, optional
        Axes title.
    annotate : bool, optional
        Write each margin in its cell; default when ``m <= 12``.
    cmap : str
        A diverging matplotlib colormap name (centred at 0).

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    M. de Condorcet (1785). *Essai sur l'application de l'analyse à la probabilité des
    décisions rendues à la pluralité des voix.* Paris: Imprimerie Royale.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mechanisms.plotting import plot_margins
    >>> ax = plot_margins([[0, 3], [-3, 0]], ["a", "b"])
    >>> ax.images[0].get_clim()
    (-3.0, 3.0)
    """
    owner = "plot_margins"
    arr = _square(margins, "margins", owner, finite=True)
    if not np.allclose(arr, -arr.T):
        fail("margins", owner, "antisymmetric (M[a, b] == -M[b, a])", arr)
    names = [str(a) for a in range(arr.shape[0])] if labels is None else _labels(labels, arr.shape[0], owner)
    annotate = arr.shape[0] <= 12 if annotate is None else check_bool(annotate, "annotate", owner)
    bound = float(np.max(np.abs(arr))) or 1.0
    ax = _axes(ax, owner, arr.shape[0])
    integral = bool(np.all(arr == np.round(arr)))
    _heatmap(ax, arr, names, cmap=cmap, vmin=-bound, vmax=bound, annotate=annotate,
             fmt=(lambda v: f"{int(v)}") if integral else (lambda v: f"{v:.3g}"),
             colorbar_label="margin (row over column)",
             text_color=lambda v: "white" if abs(v) > 0.6 * bound else "black")  # dark at both ends
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    if title is not None:
        ax.set_title(str(title))
    return ax
