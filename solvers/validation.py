"""Input validation with one message shape.

Every helper checks one argument at the public boundary and returns the
normalized value.  Messages follow one shape::

    The 'n_winners' parameter of borda must be an int in [1, 5]. Got 7 instead.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .errors import BackendUnavailableError, ValidationError

__all__ = [
    "fail",
    "check_int",
    "check_real",
    "check_option",
    "check_bool",
    "check_array",
    "check_probabilities",
    "check_rng",
    "require",
]


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(name: str, owner: str, rule: str, got: Any = None, *, hint: str = "", show_got: bool = True):
    """Raise the project's :class:`ValidationError` in the one message shape."""
    message = f"The {name!r} parameter of {owner} must be {rule}."
    if show_got:
        message += f" Got {_describe(got)} instead."
    if hint:
        message += f" {hint}"
    raise ValidationError(message)


def _interval(low, high, closed_low=True, closed_high=True) -> str:
    left = "[" if closed_low else "("
    right = "]" if closed_high else ")"
    lo = "-inf" if low is None else f"{low}"
    hi = "inf" if high is None else f"{high}"
    return f"{left}{lo}, {hi}{right}"


def check_int(value: Any, name: str, owner: str, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as a Python int, checking ``low <= value <= high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fail(name, owner, f"an int in {_interval(low, high)}", value)
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        fail(name, owner, f"an int in {_interval(low, high)}", value)
    return value


def check_real(
    value: Any,
    name: str,
    owner: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float in the given interval."""
    rule = f"a finite real number in {_interval(low, high, not low_open, not high_open)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, owner, rule, value)
    value = float(value)
    if not np.isfinite(value):
        fail(name, owner, rule, value)
    if low is not None and (value < low or (low_open and value == low)):
        fail(name, owner, rule, value)
    if high is not None and (value > high or (high_open and value == high)):
        fail(name, owner, rule, value)
    return value


def check_bool(value: Any, name: str, owner: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        fail(name, owner, "a bool", value)
    return bool(value)


def check_option(value: Any, name: str, owner: str, options: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``options``."""
    options = tuple(options)
    try:
        ok = value in options
    except TypeError:
        ok = False
    if not ok:
        fail(name, owner, "one of " + ", ".join(repr(o) for o in options), value)
    return value


def check_array(
    value: Any,
    name: str,
    owner: str,
    *,
    ndim: int | Sequence[int] | None = None,
    dtype: str = "float",
    shape: Sequence[int | None] | None = None,
    finite: bool = True,
    nonnegative: bool = False,
    min_size: int = 0,
    copy: bool = False,
) -> np.ndarray:
    """Convert ``value`` to a read-only numpy array and check it.

    Parameters
    ----------
    dtype : {"float", "int", "bool"}
        ``"int"`` accepts integer arrays and integral-valued floats; ``"bool"``
        accepts booleans and 0/1 integers.
    shape : sequence of int or None
        Expected shape, ``None`` entries are free.
    """
    owner_rule = {"float": "real numbers", "int": "integers", "bool": "booleans"}[dtype]
    try:
        arr = np.array(value, copy=True) if copy else np.asarray(value)
    except (ValueError, TypeError):
        fail(name, owner, f"an array of {owner_rule}", value, hint="It could not be converted to an array (ragged rows?).")
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        fail(name, owner, f"an array of {owner_rule}", value)
    if ndim is not None:
        ndims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in ndims:
            want = " or ".join(f"{d}-dimensional" for d in ndims)
            fail(name, owner, f"a {want} array", arr)
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            fail(name, owner, f"an array of shape {want}", arr)
    if arr.size < min_size:
        fail(name, owner, f"an array with at least {min_size} entries", arr)
    kind = arr.dtype.kind
    if dtype == "float":
        if kind not in "biuf":
            fail(name, owner, "an array of real numbers", arr)
        arr = arr.astype(np.float64, copy=False)
        if finite and not np.all(np.isfinite(arr)):
            fail(name, owner, "finite (no NaN or infinity)", arr)
    elif dtype == "int":
        if kind == "f":
            if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
                fail(name, owner, "an array of integers", arr)
            if arr.size and np.max(np.abs(arr)) >= 2**53:
                fail(name, owner, "an array of integers below 2**53 in absolute value", arr)
            arr = arr.astype(np.int64)
        elif kind == "u" and arr.dtype.itemsize == 8 and arr.size and arr.max() > np.iinfo(np.int64).max:
            fail(name, owner, "an array of integers that fit in int64", arr)
        elif kind not in "biu":
            fail(name, owner, "an array of integers", arr)
        arr = arr.astype(np.int64, copy=False)
    elif dtype == "bool":
        if kind == "b":
            pass
        elif kind in "iuf" and np.all((arr == 0) | (arr == 1)):
            arr = arr.astype(bool)
        else:
            fail(name, owner, "an array of booleans (or 0/1)", arr)
    else:  # pragma: no cover - programming error
        raise ValueError(f"unknown dtype {dtype!r}")
    if nonnegative and arr.size and np.any(arr < 0):
        fail(name, owner, "nonnegative", arr)
    arr = arr.view()  # a read-only view: the caller's array keeps its own flags
    arr.setflags(write=False)
    return arr


def check_probabilities(value: Any, name: str, owner: str, *, axis: int = -1, atol: float = 1e-9) -> np.ndarray:
    """An array of nonnegative finite reals whose slices along ``axis`` sum to 1."""
    arr = check_array(value, name, owner, dtype="float", nonnegative=True, min_size=1)
    sums = arr.sum(axis=axis)
    if not np.allclose(sums, 1.0, rtol=0.0, atol=atol):
        worst = float(np.max(np.abs(sums - 1.0)))
        fail(name, owner, f"probabilities summing to 1 along axis {axis} (within {atol:g})", arr,
             hint=f"The largest deviation is {worst:.3g}; normalize with x / x.sum(axis={axis}, keepdims=True).")
    return arr


def check_rng(rng: Any, owner: str = "this function", name: str = "rng") -> np.random.Generator:
    """Normalize ``rng`` (a Generator, an int seed, a SeedSequence or None) to a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if int(rng) < 0:
            fail(name, owner, "a numpy.random.Generator, a nonnegative int seed, or None", rng)
        return np.random.default_rng(int(rng))
    fail(name, owner, "a numpy.random.Generator, a nonnegative int seed, or None", rng)


def require(module: str, extra: str, feature: str):
    """Import an optional dependency lazily, or explain which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendUnavailableError(
            f"{feature} needs the optional package {module!r}. "
            f"Install it with: pip install 'alignment-mechanisms[{extra}]'"
        ) from exc
