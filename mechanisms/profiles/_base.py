"""Shared machinery of the profile classes: weights, labels, titles, metadata, grouping."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from solvers.validation import check_array, fail

__all__ = ["BallotData", "group_rows", "frozen", "densify_levels"]


def frozen(array: np.ndarray) -> np.ndarray:
    """Mark an array (that we own) read-only and return it."""
    array.setflags(write=False)
    return array


def group_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows of a 2-D integer array and, for every row, the index of its unique row.

    Rows whose entries fit a mixed-radix int64 code are grouped by a 1-D
    ``np.unique`` on the codes (fast); others by ``np.unique(axis=0)``.
    """
    n, m = rows.shape
    if n == 0:
        return rows.copy(), np.zeros(0, dtype=np.intp)
    lo = int(rows.min())
    span = int(rows.max()) - lo + 1
    if m == 0:
        return rows[:1].copy(), np.zeros(n, dtype=np.intp)
    if m * np.log2(max(span, 2)) < 62:
        shifted = rows.astype(np.int64) - lo
        radix = np.int64(span) ** np.arange(m - 1, -1, -1, dtype=np.int64)
        codes = shifted @ radix
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        return rows[first], inverse.reshape(-1)
    unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)


def densify_levels(ranks: np.ndarray) -> np.ndarray:
    """Map each row's nonnegative values to dense levels 0..k-1 (order kept); negative entries become -1."""
    n, m = ranks.shape
    out = np.full((n, m), -1, dtype=np.int64)
    if n == 0 or m == 0:
        return out
    big = np.int64(np.iinfo(np.int64).max)
    keyed = np.where(ranks < 0, big, ranks.astype(np.int64))
    order = np.argsort(keyed, axis=1, kind="stable")
    ordered = np.take_along_axis(keyed, order, axis=1)
    new_level = np.ones((n, m), dtype=np.int64)
    new_level[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    dense = np.cumsum(new_level, axis=1) - 1
    np.put_along_axis(out, order, dense, axis=1)
    out[ranks < 0] = -1
    return out


class BallotData:
    """Base of the profile classes: per-ballot integer weights, labels, title and metadata.

    Subclasses store one row per ballot in ``_rows`` (the array that defines
    equality and grouping) and implement ``_with_rows``.
    """

    __slots__ = ("_weights", "_labels", "_title", "_metadata", "_cache", "__weakref__")
    _owner = "Profile"

    def _init_common(self, n_ballots: int, n_alternatives: int, weights, labels, title, metadata,
                     *, owner: str, label_name: str = "labels"):
        if weights is None:
            w = np.ones(n_ballots, dtype=np.int64)
        else:
            w = np.array(check_array(weights, "weights", owner, dtype="int", ndim=1, nonnegative=True),
                         dtype=np.int64)
            if w.shape != (n_ballots,):
                fail("weights", owner, f"a vector with one nonnegative int per ballot ({n_ballots})", w)
        object.__setattr__(self, "_weights", frozen(w))
        object.__setattr__(self, "_labels", _check_labels(labels, n_alternatives, owner, label_name))
        if not isinstance(title, str):
            fail("title", owner, "a str", title)
        object.__setattr__(self, "_title", title)
        if metadata is None:
            metadata = {}
        if not isinstance(metadata, Mapping):
            fail("metadata", owner, "a mapping (dict) of extra information", metadata)
        object.__setattr__(self, "_metadata", MappingProxyType(dict(metadata)))
        object.__setattr__(self, "_cache", {})

    def _slot_names(self):
        for cls in type(self).__mro__:
            for name in getattr(cls, "__slots__", ()):
                if name not in ("_cache", "__weakref__"):
                    yield name

    def __getstate__(self):
        state = {name: getattr(self, name) for name in self._slot_names()}
        state["_metadata"] = dict(self._metadata)
        return state

    def __setstate__(self, state):
        for name, value in state.items():
            if isinstance(value, np.ndarray):
                value = frozen(np.array(value))
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_metadata", MappingProxyType(dict(state["_metadata"])))
        object.__setattr__(self, "_cache", {})

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one instead")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} is immutable")

    # -- common read-only views -------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        """Read-only int64 vector: how many voters cast each ballot row."""
        return self._weights

    @property
    def n_voters(self) -> int:
        """Number of voters: the sum of the weights."""
        return int(self._weights.sum())

    @property
    def n_ballots(self) -> int:
        """Number of ballot rows (distinct or not)."""
        return int(self._weights.shape[0])

    @property
    def labels(self) -> tuple[str, ...]:
        """Display names of the alternatives, indexed by their 0-based ids."""
        return self._labels

    @property
    def title(self) -> str:
        return self._title

    @property
    def metadata(self) -> Mapping[str, Any]:
        """Read-only mapping of extra information (e.g. PrefLib header lines)."""
        return self._metadata

    # -- grouping and equality ----------------------------------------------------
    def _rows(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _with_rows(self, rows: np.ndarray, weights: np.ndarray):  # pragma: no cover - abstract
        raise NotImplementedError

    def _grouped_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Unique rows (by decreasing total weight, then first appearance) and their weights."""
        if "grouped" not in self._cache:
            rows = self._rows()
            codes = _row_codes(rows)
            unique, inverse = group_rows(codes)
            totals = np.bincount(inverse, weights=self._weights, minlength=len(unique))
            totals = np.rint(totals).astype(np.int64)
            first = np.full(len(unique), rows.shape[0], dtype=np.int64)
            np.minimum.at(first, inverse, np.arange(rows.shape[0]))
            order = np.lexsort((first, -totals))
            self._cache["grouped"] = (rows[first[order]], totals[order])
        return self._cache["grouped"]

    def grouped(self):
        """The same profile with identical ballots merged (weights summed).

        Rows are ordered by decreasing weight, ties by first appearance.
        """
        rows, weights = self._grouped_arrays()
        return self._with_rows(rows, weights)

    def _canonical(self):
        rows, weights = self._grouped_arrays()
        keep = weights > 0
        rows, weights = rows[keep], weights[keep]
        if len(rows):
            order = np.lexsort(rows.T[::-1])
            rows, weights = rows[order], weights[order]
        return rows, weights

    def __eq__(self, other) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        if self._labels != other._labels or self._shape_key() != other._shape_key():
            return False
        r1, w1 = self._canonical()
        r2, w2 = other._canonical()
        return r1.shape == r2.shape and bool(np.array_equal(r1, r2)) and bool(np.array_equal(w1, w2))

    __hash__ = None  # type: ignore[assignment]

    def _shape_key(self):
        return self._rows().shape[1:]

    # -- display ------------------------------------------------------------------
    def _describe_row(self, row) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_fields(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        fields = {**self._repr_fields(), "n_voters": self.n_voters, "n_ballots": self.n_ballots}
        if self._title:
            fields["title"] = self._title
        body = ", ".join(f"{k}={v!r}" for k, v in fields.items())
        return f"{type(self).__name__}({body})"

    def _repr_html_(self, max_rows: int = 10) -> str:
        rows, weights = self._grouped_arrays()
        lines = "".join(
            f"<tr><td style='text-align:right'>{int(w)}</td><td>{html.escape(self._describe_row(r))}</td></tr>"
            for r, w in zip(rows[:max_rows], weights[:max_rows])
        )
        more = f"<tr><td colspan=2>... {len(rows) - max_rows} more distinct ballots</td></tr>" if len(rows) > max_rows else ""
        caption = html.escape(repr(self))
        return (f"<table><caption>{caption}</caption><tr><th>voters</th><th>ballot</th></tr>"
                f"{lines}{more}</table>")


def _row_codes(rows: np.ndarray) -> np.ndarray:
    """Rows as an integer array suitable for :func:`group_rows` (floats and bools mapped exactly)."""
    if rows.dtype.kind in "iu":
        return rows
    if rows.dtype.kind == "b":
        return rows.astype(np.int8)
    # floats: group on the exact bit pattern (with -0.0 folded into 0.0)
    clean = np.where(rows == 0, 0.0, rows).astype(np.float64)
    return clean.view(np.int64)


def _check_labels(labels, n: int, owner: str, name: str) -> tuple[str, ...]:
    if labels is None:
        return tuple(str(i) for i in range(n))
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence) and not isinstance(labels, np.ndarray):
        fail(name, owner, f"a sequence of {n} distinct strings", labels)
    labels = tuple(labels)
    if len(labels) != n:
        fail(name, owner, f"a sequence of {n} distinct strings (one per alternative)", labels)
    if not all(isinstance(x, (str, np.str_)) for x in labels):
        fail(name, owner, f"a sequence of {n} distinct strings", labels, hint="Convert with [str(x) for x in labels].")
    labels = tuple(str(x) for x in labels)
    if len(set(labels)) != n:
        dupes = sorted({x for x in labels if labels.count(x) > 1})
        fail(name, owner, "distinct strings", labels, hint=f"Repeated: {dupes}.")
    return labels
