"""The registry machinery shared by the rule and axiom registries (internal).

One :class:`Registry` per kind of registered object (``"rule"``, ``"axiom"``):
id normalization, aliases, lazy discovery of the registering modules (the
decorators run when a package's modules are imported, on the first look-up),
duplicate detection, look-up with close-match suggestions
(:class:`~solvers.errors.UnknownNameError`) and sorted listing.  The public
front ends (``get_rule``/``list_rules``/``register_rule`` and
``get_axiom``/``list_axioms``/``register_axiom``) stay in their packages.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator

from solvers.errors import UnknownNameError, ValidationError
from solvers.validation import fail

__all__ = ["Registry", "normalize_id"]


def normalize_id(name: str) -> str:
    """``" Beat-Path "`` -> ``"beat_path"``: the form ids and aliases are stored and looked up in."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


class Registry:
    """Objects registered under stable lowercase ids (and aliases), discovered from the modules of ``package``.

    Parameters
    ----------
    kind : str
        What is registered (``"rule"``), for messages.
    package : str
        The package whose public modules register the objects (imported once, on first use).
    skip_modules : iterable of str
        Public modules of ``package`` that register nothing (not imported by discovery).
    """

    def __init__(self, kind: str, package: str, *, skip_modules: Iterable[str] = ()):
        self.kind = kind
        self.package = package
        self.skip_modules = frozenset(skip_modules)
        self.items: dict[str, object] = {}
        self.aliases: dict[str, str] = {}
        self._loaded = False

    # ------------------------------------------------------------------ discovery
    def ensure_loaded(self) -> None:
        """Import every public module of the package once, so that their decorators run."""
        if self._loaded:
            return
        self._loaded = True
        package = importlib.import_module(self.package)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if info.name.startswith("_") or info.name in self.skip_modules:
                continue
            importlib.import_module(f"{self.package}.{info.name}")

    # ------------------------------------------------------------------ registration
    def check_id(self, id, owner: str) -> str:
        """``id`` if it is a nonempty normalized identifier (letters, digits, underscores), else ValidationError."""
        if not isinstance(id, str) or not id or id != normalize_id(id) or not id.replace("_", "").isalnum():
            fail("id", owner, "a nonempty lowercase identifier (letters, digits, underscores)", id)
        return id

    def add(self, id: str, obj, function: Callable, *, aliases: Iterable[str] = ()) -> None:
        """Register ``obj`` (implemented by ``function``) under ``id`` and ``aliases``.

        Registering the same function again (a module reloaded) replaces the entry;
        another function under a taken id or alias raises ValidationError.
        """
        previous = self.items.get(id)
        if previous is not None and (previous.function.__module__, previous.function.__qualname__) != (
                function.__module__, function.__qualname__):
            raise ValidationError(f"{self.kind.capitalize()} id {id!r} is already registered by "
                                  f"{previous.function.__module__}.{previous.function.__qualname__}.")
        aliases = tuple(aliases)
        for alias in aliases:
            owner_id = self.aliases.get(alias, alias if alias in self.items else None)
            if (owner_id is not None and owner_id != id) or alias == id:
                raise ValidationError(f"Alias {alias!r} of {self.kind} {id!r} is already taken by {owner_id!r}.")
        self.items[id] = obj
        for alias in aliases:
            self.aliases[alias] = id
        # doctest only looks at functions and classes; list the implementation so its
        # docstring examples still run (they see the module globals, i.e. the registered object)
        module = sys.modules.get(function.__module__)
        if module is not None:
            module.__dict__.setdefault("__test__", {})[function.__name__] = function

    # ------------------------------------------------------------------ look-up
    def get(self, id, owner: str, cls: type):
        """The object registered under ``id`` (an alias, or an instance of ``cls`` passed through)."""
        if isinstance(id, cls):
            return id
        if not isinstance(id, str):
            fail("id", owner, f"{'an' if self.kind[0] in 'aeiou' else 'a'} {self.kind} id (str)", id)
        self.ensure_loaded()
        key = normalize_id(id)
        key = self.aliases.get(key, key)
        try:
            return self.items[key]
        except KeyError:
            raise UnknownNameError(self.kind, id, list(self.items) + list(self.aliases)) from None

    def names(self) -> set[str]:
        """Every id and alias."""
        self.ensure_loaded()
        return set(self.items) | set(self.aliases)

    def sorted(self, keep: Callable[[object], bool] | None = None) -> Iterator:
        """The registered objects sorted by id, those for which ``keep(obj)`` is true."""
        self.ensure_loaded()
        for id in sorted(self.items):
            obj = self.items[id]
            if keep is None or keep(obj):
                yield obj
