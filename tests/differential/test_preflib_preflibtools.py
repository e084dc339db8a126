"""read_preflib against preflibtools (PrefLib's own parser, a dependency of pref_voting) on every bundled file."""

from __future__ import annotations

import numpy as np
import pytest

from mechanisms.data import list_preflib, preflib_path
from mechanisms.io import read_preflib

instances = pytest.importorskip("preflibtools.instances")


def margins_from_orders(orders, multiplicity, m):
    """Margins from preflibtools' parsed orders (1-based groups), unranked tied below every ranked one."""
    margins = np.zeros((m, m), dtype=np.int64)
    for order in orders:
        level = np.full(m, len(order), dtype=np.int64)
        for i, group in enumerate(order):
            level[[a - 1 for a in group]] = i
        above = level[:, None] < level[None, :]
        margins += multiplicity[order] * (above.astype(np.int64) - above.T.astype(np.int64))
    return margins


@pytest.mark.parametrize("name", [f for f in list_preflib() if not f.endswith(".cat")])
def test_ordinal_files_agree_with_preflibtools(name):
    peer = instances.OrdinalInstance(str(preflib_path(name)))
    ours = read_preflib(preflib_path(name))
    m = peer.num_alternatives
    assert ours.n_alternatives == m and ours.n_voters == peer.num_voters
    assert ours.labels == tuple(peer.alternatives_name[i] for i in range(1, m + 1))
    # same ballots, same order, same counts (preflibtools keeps a tied group in file order: sort it)
    assert [[sorted(a - 1 for a in g) for g in order] for order in peer.orders] == \
        [[list(g) for g in b] for b in ours.to_weak_orders()]
    assert ours.weights.tolist() == [peer.multiplicity[o] for o in peer.orders]
    np.testing.assert_array_equal(ours.margin_matrix(), margins_from_orders(peer.orders, peer.multiplicity, m))


@pytest.mark.parametrize("name", [f for f in list_preflib() if f.endswith(".cat")])
def test_cat_files_agree_with_preflibtools(name):
    peer = instances.CategoricalInstance(str(preflib_path(name)))
    ours = read_preflib(preflib_path(name))
    assert ours.n_voters == peer.num_voters
    assert [set(a - 1 for a in pref[0]) for pref in peer.preferences] == [set(s) for s in ours.to_sets()]
    assert ours.weights.tolist() == [peer.multiplicity[p] for p in peer.preferences]
