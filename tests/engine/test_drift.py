"""Drift distances: numeric L-infinity against scipy's two-sample KS statistic, categorical by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import ks_2samp

from simulations.monitoring import drift_distances, suggest_baseline
from simulations.monitoring.drift import (
    baseline_cdf,
    categorical_distance,
    exact_cdf,
    linf_to_sorted,
    numerical_distance,
    robust,
)
from simulations.monitoring.profile import feature_statistics, profile_column


def sketch_distance(base: np.ndarray, current: np.ndarray, method: str = "Simple") -> float:
    """Distance through the stored sketch, as the data-quality check computes it."""
    baseline = suggest_baseline(pd.DataFrame({"x": base})).with_monitoring_config(comparison_method=method)
    return drift_distances(pd.DataFrame({"x": current}), baseline)["x"]


def ks(a: np.ndarray, b: np.ndarray) -> float:
    """scipy's two-sample KS statistic (the p-value, which can warn for tiny samples, is not used)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return ks_2samp(a, b, method="asymp").statistic


SKETCH_BOUND = 0.0005  # stated in simulations.monitoring.drift: half of a 1/1000 rank bracket


@pytest.mark.parametrize(
    "make",
    [
        lambda rng: (rng.normal(0, 1, 100_000), rng.normal(0.05, 1, 60_000)),
        lambda rng: (rng.normal(0, 1, 100_000), rng.normal(0.4, 1.3, 100_000)),
        lambda rng: (rng.lognormal(0, 1, 100_000), rng.lognormal(0.1, 1, 30_000)),
        lambda rng: (rng.integers(0, 12, 100_000).astype(float), rng.integers(1, 12, 40_000).astype(float)),  # heavy ties
        lambda rng: (np.r_[np.zeros(60_000), rng.normal(5, 1, 40_000)], rng.normal(4, 2, 50_000)),  # point mass
    ],
    ids=["small-shift", "large-shift", "lognormal", "integers", "point-mass"],
)
def test_sketch_distance_is_within_the_stated_bound_of_ks_2samp(make):
    base, current = make(np.random.default_rng(7))
    exact = ks(base, current)
    measured = sketch_distance(base, current)
    assert abs(measured - exact) < 2e-3
    assert abs(measured - exact) <= SKETCH_BOUND + 1e-12


@pytest.mark.parametrize("n, m", [(1, 1), (5, 3), (200, 350), (1001, 1001), (1001, 20)])
def test_small_baselines_are_stored_whole_and_match_ks_2samp_exactly(n, m):
    rng = np.random.default_rng(n + m)
    base, current = rng.normal(0, 1, n).round(1), rng.normal(0.3, 1, m).round(1)
    assert sketch_distance(base, current) == pytest.approx(ks(base, current), abs=1e-12)


def test_robust_subtracts_the_sample_size_allowance():
    rng = np.random.default_rng(3)
    base, current = rng.normal(0, 1, 20_000), rng.normal(0.3, 1, 500)
    simple = sketch_distance(base, current, "Simple")
    expected = max(0.0, simple - 1.8 * math.sqrt((20_000 + 500) / (20_000 * 500)))
    assert sketch_distance(base, current, "Robust") == pytest.approx(expected, abs=1e-12)
    assert robust(0.05, 100, 100) == 0.0  # small windows are forgiven entirely
    assert robust(0.9, 10_000, 10_000) == pytest.approx(0.9 - 1.8 * math.sqrt(2 / 10_000))


def test_categorical_distance_matches_a_hand_computation():
    # baseline a:50 b:30 c:20 ; current a:20 b:30 d:50 -> |.5-.2|=.3, |.3-.3|=0, |.2-0|=.2, |0-.5|=.5
    distance = categorical_distance(np.array(["a", "b", "c"], dtype=object), np.array([50, 30, 20]), 100,
                                    np.array(["a", "b", "d"], dtype=object), np.array([20, 30, 50]))
    assert distance == pytest.approx(0.5)
    frame = pd.DataFrame({"s": ["a"] * 50 + ["b"] * 30 + ["c"] * 20})
    current = pd.DataFrame({"s": ["a"] * 2 + ["b"] * 3 + ["d"] * 5})
    assert drift_distances(current, suggest_baseline(frame))["s"] == pytest.approx(0.5)


def test_categorical_distance_with_a_truncated_baseline_compares_the_rest_as_one_bucket():
    # baseline kept a:40 b:30 of 100 (30 in other categories); current a:40 b:30 plus 30 of new values
    same = categorical_distance(np.array(["a", "b"], dtype=object), np.array([40, 30]), 100,
                                np.array(["a", "b", "x", "y"], dtype=object), np.array([40, 30, 20, 10]))
    assert same == pytest.approx(0.0)
    shifted = categorical_distance(np.array(["a", "b"], dtype=object), np.array([40, 30]), 100,
                                   np.array(["a", "x"], dtype=object), np.array([90, 10]))
    assert shifted == pytest.approx(0.5)  # a: |.4-.9|, b: |.3-0|, other: |.3-.1|


def test_real_multi_level_kll_sketches_weigh_level_h_items_by_two_to_the_h():
    feature = {"name": "x", "inferred_type": "Fractional", "numerical_statistics": {
        "common": {"num_present": 4}, "distribution": {"kll": {"sketch": {"data": [[1.0, 2.0], [3.0]]}}}}}
    cdf = baseline_cdf(feature)
    assert cdf.points.tolist() == [1.0, 2.0, 3.0]
    assert cdf.cdf.tolist() == [0.25, 0.5, 1.0]
    assert linf_to_sorted(cdf, np.array([3.0, 3.0, 3.0, 3.0])) == pytest.approx(0.5)


@pytest.mark.parametrize("data, message", [
    ([], "sketch.data"),
    ([[1.0, "a"]], "numbers"),
    ([[float("nan")]], "NaN"),
    ("oops", "list of lists"),
])
def test_a_malformed_sketch_is_an_error_naming_the_feature(data, message):
    feature = {"name": "price", "numerical_statistics": {"common": {"num_present": 3},
                                                         "distribution": {"kll": {"sketch": {"data": data}}}}}
    with pytest.raises(ValueError, match=f"price.*{message}"):
        baseline_cdf(feature)


def test_unknown_comparison_method_and_empty_current_data_are_errors():
    cdf = exact_cdf(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="comparison_method"):
        numerical_distance(cdf, np.array([1.0]), "Fancy")
    with pytest.raises(ValueError, match="no values"):
        linf_to_sorted(cdf, np.array([]))
    with pytest.raises(ValueError, match="at least one present value"):
        categorical_distance(np.array(["a"], dtype=object), np.array([1]), 1, np.array([], dtype=object), np.array([]))


floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
samples = st.lists(floats, min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(samples, samples)
def test_numeric_distance_properties(a, b):
    a, b = np.sort(np.array(a)), np.sort(np.array(b))
    forward = linf_to_sorted(baseline_cdf(feature_statistics(profile_column(pd.Series(a, name="x")))), b)
    backward = linf_to_sorted(baseline_cdf(feature_statistics(profile_column(pd.Series(b, name="x")))), a)
    assert 0.0 <= forward <= 1.0
    assert forward == pytest.approx(backward, abs=1e-12)  # exact sketches: symmetric
    assert forward == pytest.approx(ks(a, b), abs=1e-12)
    assert linf_to_sorted(exact_cdf(a), a) == 0.0


@settings(max_examples=30, deadline=None)
@given(st.integers(1002, 5000), st.integers(0, 2**32 - 1), st.integers(1, 10_000))
def test_identical_large_data_has_zero_distance_through_the_sketch(n, seed, distinct):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, distinct, n) * rng.normal()  # from all-equal to all-distinct values
    shuffled = rng.permutation(values)
    assert sketch_distance(values, shuffled) <= SKETCH_BOUND
    assert sketch_distance(values, shuffled, "Robust") == 0.0


counts = st.dictionaries(st.sampled_from(list("abcdefg")), st.integers(1, 500), min_size=1)


@settings(max_examples=80, deadline=None)
@given(counts, counts)
def test_categorical_distance_properties(base, current):
    def distance(x, y):
        return categorical_distance(np.array(list(x), dtype=object), np.array(list(x.values())), sum(x.values()),
                                    np.array(list(y), dtype=object), np.array(list(y.values())))

    d = distance(base, current)
    assert 0.0 <= d <= 1.0
    assert d == pytest.approx(distance(current, base), abs=1e-12)
    assert distance(base, base) == 0.0
    total_b, total_c = sum(base.values()), sum(current.values())
    by_hand = max(abs(base.get(k, 0) / total_b - current.get(k, 0) / total_c) for k in set(base) | set(current))
    assert d == pytest.approx(by_hand, abs=1e-12)
