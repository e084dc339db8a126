"""mechanisms.plotting: what is drawn equals the data given, and bad input raises ValidationError."""

import subprocess
import sys

import numpy as np
import pytest

from mechanisms.plotting import plot_agreement, plot_margins
from solvers.errors import ValidationError

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_import_does_not_pull_in_matplotlib():
    code = "import sys, mechanisms.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_agreement_heatmap_shows_the_matrix_and_labels():
    matrix = np.array([[1.0, 0.25, np.nan], [0.25, 1.0, 0.5], [np.nan, 0.5, 1.0]])
    ax = plot_agreement(matrix, ["borda", "copeland", "irv"], title="agreement")
    image = ax.images[0].get_array()
    assert image.mask[0, 2] and image.mask[2, 0] and not image.mask[0, 1]
    np.testing.assert_array_equal(image.filled(-1), [[1, 0.25, -1], [0.25, 1, 0.5], [-1, 0.5, 1]])
    assert ax.images[0].get_clim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["borda", "copeland", "irv"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["borda", "copeland", "irv"]
    assert sorted(t.get_text() for t in ax.texts) == sorted(["1", ".25", "1", ".25", "1", ".50", ".50"])
    assert ax.get_title() == "agreement"


def test_agreement_draws_on_a_given_axes_without_annotations():
    fig, ax = plt.subplots()
    out = plot_agreement(np.eye(3), ["a", "b", "c"], ax=ax, annotate=False)
    assert out is ax and out.figure is fig and len(ax.texts) == 0


def test_large_matrices_are_not_annotated_by_default():
    ax = plot_agreement(np.ones((21, 21)), [str(i) for i in range(21)])
    assert len(ax.texts) == 0


def test_margins_heatmap_is_centred_at_zero():
    margins = np.array([[0, 3, -1], [-3, 0, 2], [1, -2, 0]])
    ax = plot_margins(margins, ["a", "b", "c"])
    assert ax.images[0].get_clim() == (-3.0, 3.0)
    np.testing.assert_array_equal(ax.images[0].get_array(), margins)
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(v) for v in margins.ravel())
    ax = plot_margins(np.zeros((2, 2)))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1"]


@pytest.mark.parametrize("matrix, labels, match", [
    (np.ones((2, 3)), ["a", "b"], "'matrix' parameter of plot_agreement must be a square"),
    (np.ones(3), ["a", "b", "c"], "'matrix' parameter of plot_agreement must be a 2-dimensional"),
    ([[1, 2], [2, 1]], ["a", "b"], r"shares in \[0, 1\]"),
    ([[1, np.inf], [np.inf, 1]], ["a", "b"], "finite or NaN"),
    (np.eye(2), ["a"], "'labels' parameter of plot_agreement must be a sequence of 2 labels"),
    (np.eye(2), "ab", "'labels' parameter of plot_agreement"),
    ([["x", "y"], ["z", "w"]], ["a", "b"], "'matrix' parameter of plot_agreement must be an array of real"),
])
def test_agreement_rejects_bad_input(matrix, labels, match):
    with pytest.raises(ValidationError, match=match):
        plot_agreement(matrix, labels)


def test_bad_axes_and_options_are_rejected():
    with pytest.raises(ValidationError, match="'ax' parameter of plot_agreement must be a matplotlib Axes"):
        plot_agreement(np.eye(2), ["a", "b"], ax="left")
    with pytest.raises(ValidationError, match="'annotate' parameter of plot_agreement must be a bool"):
        plot_agreement(np.eye(2), ["a", "b"], annotate="yes")


@pytest.mark.parametrize("margins, match", [
    ([[0, 1], [1, 0]], "antisymmetric"),
    ([[0, np.nan], [np.nan, 0]], "'margins' parameter of plot_margins must be finite"),
    (np.zeros((2, 3)), "'margins' parameter of plot_margins must be a square"),
])
def test_margins_rejects_bad_input(margins, match):
    with pytest.raises(ValidationError, match=match):
        plot_margins(margins)
