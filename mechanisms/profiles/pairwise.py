"""Pairwise comparisons in the RLHF shape: (item a, item b, winner or tie, annotator, context)."""

from __future__ import annotations

import numpy as np

from solvers.validation import check_array, check_int, fail, require

from ._base import BallotData, frozen

__all__ = ["PairwiseComparisons", "TIE"]

#: Value of ``winner`` for a comparison that ended in a tie.
TIE = -1


class PairwiseComparisons(BallotData):
    """An immutable table of pairwise comparisons, the shape of RLHF preference data.

    Each row says that on ``context`` (a prompt), ``annotator`` compared items
    ``item_a`` and ``item_b`` and preferred ``winner`` (or tied: ``winner = -1``).

    Parameters
    ----------
    item_a, item_b : array_like of int, shape (n,)
        The two items compared (distinct ids in ``0 .. n_items-1``).
    winner : array_like of int, shape (n,)
        ``item_a``, ``item_b`` or ``-1`` for a tie.
    annotator : array_like of int, shape (n,), optional
        Who made each comparison (nonnegative ids).
    context : array_like of int, shape (n,), optional
        The prompt or context id of each comparison (nonnegative ids).
    features : array_like of float, shape (n_items, d), optional
        A feature vector per item (for linear social choice over features).
    weights : array_like of int, shape (n,), optional
        Multiplicity of each row (default 1).
    n_items : int, optional
        Defaults to ``len(labels)`` or the largest item id + 1.
    labels : sequence of str, optional
        Item names.

    Examples
    --------
    >>> pc = PairwiseComparisons([0, 0, 1], [1, 2, 2], [0, -1, 2], annotator=[0, 1, 1])
    >>> pc.win_count_matrix()
    array([[0, 1, 0],
           [0, 0, 0],
           [0, 1, 0]])
    >>> int(pc.tie_count_matrix()[0, 2]), pc.n_comparisons
    (1, 3)
    """

    __slots__ = ("_table", "_features", "_present")
    _owner = "PairwiseComparisons"

    def __init__(self, item_a, item_b, winner, *, annotator=None, context=None, features=None, weights=None,
                 n_items: int | None = None, labels=None, title: str = "", metadata=None):
        owner = "PairwiseComparisons"
        a = check_array(item_a, "item_a", owner, dtype="int", ndim=1)
        n = a.shape[0]
        b = check_array(item_b, "item_b", owner, dtype="int", shape=(n,))
        w = check_array(winner, "winner", owner, dtype="int", shape=(n,))
        cols = [a, b, w]
        object.__setattr__(self, "_present", (annotator is not None, context is not None))
        for name, value in (("annotator", annotator), ("context", context)):
            if value is None:
                cols.append(np.full(n, -1, dtype=np.int64))
            else:
                arr = check_array(value, name, owner, dtype="int", shape=(n,), nonnegative=True)
                cols.append(arr)
        if n_items is None:
            largest = int(max(a.max(initial=-1), b.max(initial=-1)))
            n_items = len(labels) if labels is not None else largest + 1
        else:
            n_items = check_int(n_items, "n_items", owner, low=1)
        if n_items < 1:
            fail("n_items", owner, "at least 1 (give n_items or labels for an empty table)", n_items)
        for name, arr in (("item_a", a), ("item_b", b)):
            if arr.size and (arr.min() < 0 or arr.max() >= n_items):
                fail(name, owner, f"item ids in [0, {n_items - 1}]", arr)
        if np.any(a == b):
            i = int(np.flatnonzero(a == b)[0])
            fail("item_b", owner, "different from item_a on every row (an item is not compared with itself)", b,
                 hint=f"Row {i} compares item {int(a[i])} with itself.")
        bad = (w != a) & (w != b) & (w != TIE)
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            fail("winner", owner, "item_a, item_b or -1 (tie) on every row", w,
                 hint=f"Row {i} compares {int(a[i])} and {int(b[i])} but names {int(w[i])}.")
        table = np.stack(cols, axis=1).astype(np.int64) if n else np.zeros((0, 5), dtype=np.int64)
        object.__setattr__(self, "_table", frozen(table))
        if features is None:
            object.__setattr__(self, "_features", None)
        else:
            f = check_array(features, "features", owner, ndim=2)
            if f.shape[0] != n_items:
                fail("features", owner, f"an array with one row per item ({n_items})", f)
            object.__setattr__(self, "_features", frozen(np.array(f, dtype=np.float64)))
        self._init_common(n, n_items, weights, labels, title, metadata, owner=owner)

    # ------------------------------------------------------------------ views
    def _rows(self):
        return self._table

    def _with_rows(self, rows, weights):
        return self._rebuild(rows, weights)

    def _rebuild(self, rows, weights):
        ann = rows[:, 3] if self.annotator is not None else None
        ctx = rows[:, 4] if self.context is not None else None
        return type(self)(rows[:, 0], rows[:, 1], rows[:, 2], annotator=ann, context=ctx, features=self._features,
                          weights=weights, n_items=self.n_items, labels=self._labels, title=self._title,
                          metadata=self._metadata)

    def _shape_key(self):
        f = None if self._features is None else self._features.tobytes()
        return (self.n_items, f, self._present)

    @property
    def n_items(self) -> int:
        return len(self._labels)

    @property
    def n_alternatives(self) -> int:
        """Alias of :attr:`n_items` (items are the alternatives)."""
        return self.n_items

    @property
    def n_comparisons(self) -> int:
        """Number of comparisons: the sum of the weights."""
        return self.n_voters

    @property
    def item_a(self) -> np.ndarray:
        return self._table[:, 0]

    @property
    def item_b(self) -> np.ndarray:
        return self._table[:, 1]

    @property
    def winner(self) -> np.ndarray:
        return self._table[:, 2]

    @property
    def annotator(self) -> np.ndarray | None:
        return self._table[:, 3] if self._present[0] else None

    @property
    def context(self) -> np.ndarray | None:
        return self._table[:, 4] if self._present[1] else None

    @property
    def features(self) -> np.ndarray | None:
        return self._features

    # ------------------------------------------------------------------ counts
    def _pair_counts(self, rows_mask, first, second) -> np.ndarray:
        n = self.n_items
        idx = first[rows_mask] * n + second[rows_mask]
        counts = np.bincount(idx, weights=self._weights[rows_mask], minlength=n * n)
        return np.rint(counts).astype(np.int64).reshape(n, n)

    def win_count_matrix(self) -> np.ndarray:
        """``W[i, j]``: comparisons (weighted) in which ``i`` beat ``j``; int64."""
        a, b, w = self.item_a, self.item_b, self.winner
        loser = np.where(w == a, b, a)
        return self._pair_counts(w != TIE, w, loser)

    def tie_count_matrix(self) -> np.ndarray:
        """``T[i, j] = T[j, i]``: comparisons (weighted) of ``i`` and ``j`` that tied; int64."""
        t = self._pair_counts(self.winner == TIE, self.item_a, self.item_b)
        return t + t.T

    def margin_matrix(self) -> np.ndarray:
        """``W - W.T``: wins of ``i`` over ``j`` minus wins of ``j`` over ``i``; int64."""
        w = self.win_count_matrix()
        return w - w.T

    def for_annotators(self, annotators) -> "PairwiseComparisons":
        """The comparisons made by the given annotator ids."""
        if self.annotator is None:
            fail("annotators", "PairwiseComparisons.for_annotators", "usable only when annotator ids were given",
                 annotators, show_got=False)
        ids = check_array(annotators, "annotators", "PairwiseComparisons.for_annotators", dtype="int", ndim=(0, 1))
        keep = np.isin(self.annotator, np.atleast_1d(ids))
        return self._rebuild(self._table[keep], self._weights[keep])

    # ------------------------------------------------------------------ pandas
    @classmethod
    def from_pandas(cls, df, *, item_a: str = "item_a", item_b: str = "item_b", winner: str = "winner",
                    annotator: str | None = None, context: str | None = None, weight: str | None = None,
                    labels=None, features=None, title: str = "") -> "PairwiseComparisons":
        """Build from a pandas DataFrame with one comparison per row.

        Items may be integer ids or any hashable names: names are mapped to ids
        in order of first appearance (or by ``labels`` when given).  The
        ``winner`` column holds the winning item, or a missing value (NaN/None)
        or ``-1`` for a tie.  Annotator and context columns may hold any
        hashable values; non-integer ones are mapped to ids in order of first
        appearance and their names kept in ``metadata``.
        """
        owner = "PairwiseComparisons.from_pandas"
        pd = require("pandas", "pandas", "PairwiseComparisons.from_pandas")
        if not isinstance(df, pd.DataFrame):
            fail("df", owner, "a pandas DataFrame", df)
        for name in (item_a, item_b, winner, annotator, context, weight):
            if name is not None and name not in df.columns:
                fail("df", owner, f"a DataFrame with a column {name!r}", list(df.columns),
                     hint="Name the columns with the item_a=, item_b=, winner=, ... keywords.")
        col_a, col_b, col_w = df[item_a], df[item_b], df[winner]
        integer_items = labels is None and all(pd.api.types.is_integer_dtype(c) for c in (col_a, col_b))
        metadata = {}
        if integer_items:
            a_ids, b_ids = col_a.to_numpy(np.int64), col_b.to_numpy(np.int64)
            wv = col_w.to_numpy()
            w_ids = np.array([TIE if _missing(v) else v for v in wv], dtype=np.int64) if col_w.dtype == object \
                else np.where(pd.isna(col_w).to_numpy(), TIE, col_w.fillna(TIE).to_numpy()).astype(np.int64)
        else:
            names = list(labels) if labels is not None else list(dict.fromkeys([*col_a.tolist(), *col_b.tolist()]))
            index = {v: i for i, v in enumerate(names)}
            try:
                a_ids = np.array([index[v] for v in col_a], dtype=np.int64)
                b_ids = np.array([index[v] for v in col_b], dtype=np.int64)
            except KeyError as exc:
                fail("labels", owner, "a list containing every item named in the table", labels,
                     hint=f"Missing: {exc.args[0]!r}.")
            w_ids = np.array([TIE if _missing(v) or (isinstance(v, (int, np.integer)) and v == TIE and v not in index)
                              else index.get(v, -2) for v in col_w], dtype=np.int64)
            labels = [str(x) for x in names]
        extra = {}
        for key, name in (("annotator", annotator), ("context", context)):
            if name is None:
                continue
            col = df[name]
            if pd.api.types.is_integer_dtype(col):
                extra[key] = col.to_numpy(np.int64)
            else:
                uniq = list(dict.fromkeys(col.tolist()))
                lookup = {v: i for i, v in enumerate(uniq)}
                extra[key] = np.array([lookup[v] for v in col], dtype=np.int64)
                metadata[f"{key}_labels"] = tuple(uniq)
        weights = df[weight].to_numpy() if weight is not None else None
        return cls(a_ids, b_ids, w_ids, annotator=extra.get("annotator"), context=extra.get("context"),
                   features=features, weights=weights, labels=labels, title=title, metadata=metadata,
                   n_items=len(labels) if labels is not None else None)

    def to_pandas(self, *, use_labels: bool = False):
        """A DataFrame with columns ``item_a, item_b, winner`` (+ annotator, context, weight).

        With ``use_labels=True`` items are written by label and ties as None;
        otherwise by id with ties as -1.
        """
        pd = require("pandas", "pandas", "PairwiseComparisons.to_pandas")
        data = {}
        if use_labels:
            lab = np.array(self._labels, dtype=object)
            data["item_a"] = lab[self.item_a]
            data["item_b"] = lab[self.item_b]
            data["winner"] = [None if v == TIE else self._labels[v] for v in self.winner]
        else:
            data["item_a"], data["item_b"], data["winner"] = self.item_a.copy(), self.item_b.copy(), self.winner.copy()
        for key in ("annotator", "context"):
            col = getattr(self, key)
            if col is not None:
                names = self._metadata.get(f"{key}_labels")
                data[key] = [names[i] for i in col] if (use_labels and names) else col.copy()
        data["weight"] = self._weights.copy()
        return pd.DataFrame(data)

    def _describe_row(self, row) -> str:
        a, b, w = (int(x) for x in row[:3])
        verdict = "tie" if w == TIE else f"{self._labels[w]} wins"
        who = f" (annotator {int(row[3])})" if row[3] >= 0 else ""
        return f"{self._labels[a]} vs {self._labels[b]}: {verdict}{who}"

    def _repr_fields(self):
        fields = {"n_items": self.n_items}
        if self._features is not None:
            fields["n_features"] = int(self._features.shape[1])
        return fields

    def __repr__(self) -> str:
        return super().__repr__().replace("n_voters=", "n_comparisons=").replace("n_ballots=", "n_rows=")


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(np.isnan(value))
    except (TypeError, ValueError):
        return False
