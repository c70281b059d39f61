"""Mergeable profiles: merging the profiles of parts equals the profile of the whole, within the sketch's bound."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.monitoring.drift import exact_cdf
from simulations.monitoring.profile import feature_statistics, profile_column, profile_frame
from simulations.monitoring.sketch import GAP, RANK_ERROR, QuantileSketch, linf_between

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
parts = st.lists(st.lists(finite, min_size=1, max_size=400), min_size=1, max_size=6)


def merged_sketch(chunks: list[np.ndarray], order: list[int]) -> QuantileSketch:
    sketches = [QuantileSketch.from_sorted(np.sort(c)) for c in chunks]
    result = sketches[order[0]]
    for i in order[1:]:
        result = result.merge(sketches[i]) if i % 2 else sketches[i].merge(result)
    return result


@settings(max_examples=150, deadline=None)
@given(parts, st.randoms(use_true_random=False))
def test_merged_sketch_cdf_is_within_the_stated_bound_in_any_order(chunks, rnd):
    chunks = [np.asarray(c) for c in chunks]
    order = list(range(len(chunks)))
    rnd.shuffle(order)
    sketch = merged_sketch(chunks, order)
    whole = np.sort(np.concatenate(chunks))
    assert sketch.count == len(whole)
    assert linf_between(sketch.step_cdf(), exact_cdf(whole)) <= RANK_ERROR + 1e-12


def test_large_parts_need_the_bound_and_keep_a_bounded_size():
    rng = np.random.default_rng(7)
    chunks = [np.round(rng.normal(i * 0.1, 1, 200_000), 2) for i in range(8)]  # ties and shifts
    sketch = merged_sketch(chunks, list(range(8)))
    whole = np.sort(np.concatenate(chunks))
    error = linf_between(sketch.step_cdf(), exact_cdf(whole))
    assert 0 < error <= RANK_ERROR
    assert len(sketch.points) < 4 / GAP  # a few thousand points for 1.6M values


def test_small_data_is_kept_exactly():
    values = np.sort(np.array([3.0, 1.0, 2.0, 2.0, 5.0]))
    sketch = QuantileSketch.from_sorted(values[:2]).merge(QuantileSketch.from_sorted(values[2:]))
    assert sketch.is_exact
    assert sketch.order_statistics(np.arange(5)).tolist() == values.tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=300), st.lists(finite, min_size=1, max_size=300),
       st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=50))
def test_profile_merge_equals_profile_of_both(a, b, strings):
    frame_a = pd.DataFrame({"x": a, "s": (strings * len(a))[: len(a)]})
    frame_b = pd.DataFrame({"x": b, "s": (strings * len(b))[: len(b)]})
    merged = profile_frame(frame_a).merge(profile_frame(frame_b))
    both = pd.concat([frame_a, frame_b], ignore_index=True)
    whole = {name: profile_column(both[name]) for name in both.columns}
    assert merged.item_count == len(both)
    x, exact = merged.profiles["x"], whole["x"]
    assert (x.num_present, x.num_missing, x.inferred_type) == (exact.num_present, exact.num_missing, exact.inferred_type)
    ours = feature_statistics(x)["numerical_statistics"]
    truth = feature_statistics(exact)["numerical_statistics"]
    for key in ("min", "max"):
        assert ours[key] == truth[key]
    for key in ("sum", "mean", "std_dev"):
        assert ours[key] == pytest.approx(truth[key], rel=1e-9, abs=1e-6)
    assert linf_between(x.summary.sketch.step_cdf(), exact_cdf(exact.sorted_values)) <= RANK_ERROR + 1e-12
    s, s_exact = merged.profiles["s"], whole["s"]
    if s_exact.inferred_type == "String":
        assert dict(zip(s.categories, s.counts)) == dict(zip(s_exact.categories, s_exact.counts))
        assert (s.num_present, s.num_missing) == (s_exact.num_present, s_exact.num_missing)


def test_integral_and_fractional_parts_merge_as_fractional_and_strings_do_not_merge_with_numbers():
    ints = profile_frame(pd.DataFrame({"x": [1, 2, 3]}))
    floats = profile_frame(pd.DataFrame({"x": [1.5, 2.5]}))
    merged = ints.merge(floats).profiles["x"]
    assert (merged.inferred_type, merged.num_present, merged.type_matches) == ("Fractional", 5, 5)
    with pytest.raises(ValueError, match="'x' is Integral in one part of the data and String in another"):
        ints.merge(profile_frame(pd.DataFrame({"x": ["a", "b"]})))
