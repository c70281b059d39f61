"""Distribution distances between a baseline and current data (reference §6, Deequ ``Distance``).

- Numeric: the L-infinity distance between the baseline CDF, rebuilt from the stored sketch, and
  the current column's exact empirical CDF (the Kolmogorov-Smirnov statistic). The current
  column is sorted once; the sketch points are looked up in it with ``np.searchsorted``, so the
  cost is one sort plus ~2,000 binary searches.
- Categorical (``LInfinity``): ``max_i |p_base,i - p_cur,i|`` over the union of categories.
- ``Simple`` is the raw distance; ``Robust`` subtracts a sample-size allowance,
  ``max(0, d - 1.8 * sqrt((n + m) / (n * m)))``, so small current windows rarely drift.
  This model applies ``comparison_method`` to numeric features only; categorical features use the
  raw L-infinity distance (a project decision: Deequ's categorical distance takes the same flag,
  but how SageMaker passes it on is not documented).

Accuracy of the sketch: with more than 1,001 baseline values the stored points are order
statistics at known ranks, so between two neighbouring points the true baseline CDF lies in a
bracket about 1/1000 wide; the midpoint of that bracket is used, which keeps the numeric distance
within about 0.0005 + 1/n of the exact two-sample KS statistic. With at most 1,001 baseline
values the sketch holds every value and the distance is exact.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulations.monitoring.profile import QUANTILE_COUNT, quantile_ranks
from simulations.monitoring.sketch import StepCDF, linf_between

COMPARISON_METHODS = ("Simple", "Robust")
CATEGORICAL_DRIFT_METHODS = ("LInfinity", "ChiSquared")
ROBUST_C_ALPHA = 1.8  # Deequ's default c(alpha), for alpha = 0.003


def baseline_cdf(feature: dict) -> StepCDF:
    """Rebuild the baseline CDF of one numeric ``statistics.json`` feature from its sketch.

    Three layouts: every value (one level, as many items as ``num_present``); this model's 1,001
    order statistics (one level of 1,001 items, more present values); real KLL compactor levels
    (level ``h`` items weigh ``2**h``). Raises ``ValueError`` naming the feature when the sketch is
    missing or malformed.
    """
    name = feature.get("name", "?")
    try:
        numbers = feature["numerical_statistics"]
        count = int(numbers["common"]["num_present"])
        levels = numbers["distribution"]["kll"]["sketch"]["data"]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"feature {name!r}: statistics have no numerical_statistics.distribution.kll.sketch.data") from exc
    if not isinstance(levels, list) or not levels or not all(isinstance(level, list) for level in levels):
        raise ValueError(f"feature {name!r}: sketch.data must be a list of lists of numbers")
    try:
        arrays = [np.asarray(level, dtype=np.float64) for level in levels]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"feature {name!r}: sketch.data must hold numbers only") from exc
    if sum(len(a) for a in arrays) == 0 or count <= 0:
        raise ValueError(f"feature {name!r}: the sketch is empty")
    if any(np.isnan(a).any() for a in arrays):
        raise ValueError(f"feature {name!r}: sketch.data holds NaN")
    if len(arrays) == 1 and len(arrays[0]) == QUANTILE_COUNT and count > QUANTILE_COUNT:
        return _order_statistics_cdf(arrays[0], count, name)
    items = np.concatenate(arrays)
    weights = np.concatenate([np.full(len(a), 2.0**level) for level, a in enumerate(arrays)])
    order = np.argsort(items, kind="stable")
    items, weights = items[order], weights[order]
    last = np.flatnonzero(np.append(items[1:] != items[:-1], True))
    cumulative = np.cumsum(weights)[last]
    return StepCDF(items[last], cumulative / cumulative[-1], count)


def _order_statistics_cdf(points: np.ndarray, count: int, name: str) -> StepCDF:
    if np.any(np.diff(points) < 0):
        raise ValueError(f"feature {name!r}: sketch.data is not sorted ascending")
    ranks = quantile_ranks(count)
    # j = last index of each run of equal points; on [points[j], next point) the baseline CDF lies
    # between (ranks[j] + 1) / n and ranks[j + 1] / n: take the midpoint.
    last = np.flatnonzero(np.append(points[1:] != points[:-1], True))
    upper = np.append(ranks[last[:-1] + 1], count).astype(np.float64)
    lower = ranks[last] + 1.0
    cdf = (lower + upper) / (2.0 * count)
    cdf[-1] = 1.0
    return StepCDF(points[last], cdf, count)


def exact_cdf(sorted_values: np.ndarray) -> StepCDF:
    """The empirical CDF of already sorted values (used for tests and current-vs-current)."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("cannot build a CDF from no values")
    last = np.flatnonzero(np.append(sorted_values[1:] != sorted_values[:-1], True))
    return StepCDF(sorted_values[last], (last + 1.0) / n, n)


def linf_to_sorted(baseline: StepCDF, current_sorted: np.ndarray) -> float:
    """``sup_x |F_base(x) - F_cur(x)|`` with ``F_cur`` the empirical CDF of ``current_sorted``.

    Both CDFs are right-continuous steps, so the supremum is reached on one of the pieces
    between consecutive points: below the first baseline point, and on each
    ``[points[k], points[k+1])`` where the current CDF climbs from ``#(c <= points[k])`` to
    ``#(c < points[k+1])``.
    """
    m = len(current_sorted)
    if m == 0:
        raise ValueError("the current data has no values to compare")
    left = np.searchsorted(current_sorted, baseline.points, side="left") / m  # F_cur just before each point
    right = np.searchsorted(current_sorted, baseline.points, side="right") / m  # F_cur at each point
    cdf = baseline.cdf
    candidates = (
        left[0],  # below the first point the baseline CDF is 0
        np.max(np.abs(cdf - right)),
        np.max(np.abs(cdf[:-1] - left[1:])) if len(cdf) > 1 else 0.0,
        abs(1.0 - cdf[-1]),
    )
    return float(max(candidates))


def robust(distance: float, n: int, m: int, c_alpha: float = ROBUST_C_ALPHA) -> float:
    """Deequ's small-sample correction: ``max(0, d - c * sqrt((n + m) / (n * m)))``."""
    return max(0.0, distance - c_alpha * math.sqrt((n + m) / (n * m)))


def numerical_distance(baseline: StepCDF, current: np.ndarray | StepCDF, method: str = "Robust") -> float:
    """The numeric drift distance by ``comparison_method`` ``Simple`` or ``Robust``.

    ``current`` is the current column sorted (exact) or, for streamed data, the step CDF of its
    merged sketch (within ``sketch.RANK_ERROR`` of exact).
    """
    if method not in COMPARISON_METHODS:
        raise ValueError(f"comparison_method must be one of {', '.join(COMPARISON_METHODS)}, got {method!r}")
    if isinstance(current, StepCDF):
        distance, m = linf_between(baseline, current), current.count
    else:
        distance, m = linf_to_sorted(baseline, current), len(current)
    if method == "Robust":
        distance = robust(distance, baseline.count, m)
    return distance


def categorical_distance(
    base_values: np.ndarray,
    base_counts: np.ndarray,
    base_total: int,
    current_values: np.ndarray,
    current_counts: np.ndarray,
) -> float:
    """``max_i |p_base,i - p_cur,i|`` over the union of categories (missing category = 0).

    ``base_total`` may exceed ``base_counts.sum()`` when the baseline kept only its most frequent
    categories; the remainder is then one "other" category on both sides (current values not in
    the stored list), since the baseline share of any one of them is unknown.
    """
    base_counts = np.asarray(base_counts, dtype=np.float64)
    current_counts = np.asarray(current_counts, dtype=np.float64)
    current_total = current_counts.sum()
    if base_total <= 0 or current_total <= 0:
        raise ValueError("categorical distance needs at least one present value on each side")
    position = pd.Index(base_values).get_indexer(pd.Index(current_values))
    known = position >= 0
    p_current = current_counts / current_total
    current_on_base = np.bincount(position[known], weights=p_current[known], minlength=len(base_counts))
    distance = float(np.max(np.abs(base_counts / base_total - current_on_base), initial=0.0))
    unseen = p_current[~known]
    other_base = 1.0 - base_counts.sum() / base_total
    if other_base > 0:
        distance = max(distance, abs(other_base - float(unseen.sum())))
    else:
        distance = max(distance, float(np.max(unseen, initial=0.0)))
    return distance


# -- ChiSquared (categorical) ---------------------------------------------------------------------
YATES_MIN_EXPECTED = 5  # tables with more than 2 categories: at most 20 % of expected counts below 5
YATES_MAX_SHARE_BELOW = 0.2
COCHRAN_MIN_EXPECTED = 10  # 2 categories: both expected counts at least 10


def chi_squared_p_value(base_values: np.ndarray, base_counts: np.ndarray,
                        current_values: np.ndarray, current_counts: np.ndarray) -> float | None:
    """Deequ's ``ChisquareMethod``: a goodness-of-fit test of the current counts against the baseline.

    As in Deequ's ``categoricalChiSquareTest``: only baseline categories take part (current values
    outside the baseline are left out, and the baseline shares are scaled to the current count of
    the values inside it); while too many expected counts are small (Yates: more than 20 % below 5
    for more than 2 categories; Cochran: any below 10 for 2), the smallest category is merged into
    the next smallest; the statistic is Pearson's, with ``k - 1`` degrees of freedom. Returns the
    p-value, or ``None`` when fewer than 2 categories remain or no current value is in the baseline.
    How SageMaker compares it with ``categorical_comparison_threshold`` is not documented; this
    model reports drift when the p-value is below the threshold.
    """
    base_counts = np.asarray(base_counts, dtype=np.float64)
    position = pd.Index(current_values).get_indexer(pd.Index(base_values))
    observed = np.where(position >= 0, np.asarray(current_counts, dtype=np.float64)[np.maximum(position, 0)], 0.0)
    total_observed = observed.sum()
    if total_observed <= 0 or base_counts.sum() <= 0:
        return None
    expected = base_counts / base_counts.sum() * total_observed
    observed, expected = _regroup(observed, expected)
    if len(expected) < 2:
        return None
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return chi2_survival(statistic, len(expected) - 1)


def _regroup(observed: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    observed, expected = observed.copy(), expected.copy()
    while len(expected) >= 2:
        if len(expected) > 2:
            limit, allowed = YATES_MIN_EXPECTED, int(YATES_MAX_SHARE_BELOW * len(expected))
        else:
            limit, allowed = COCHRAN_MIN_EXPECTED, 0
        if np.count_nonzero(expected < limit) <= allowed:
            break
        order = np.argsort(expected, kind="stable")
        smallest, second = order[0], order[1]
        expected[second] += expected[smallest]
        observed[second] += observed[smallest]
        keep = np.arange(len(expected)) != smallest
        observed, expected = observed[keep], expected[keep]
    return observed, expected


def chi2_survival(statistic: float, degrees: int) -> float:
    """``P(X >= statistic)`` for a chi-square variable: the regularised upper gamma ``Q(k/2, x/2)``."""
    if statistic <= 0:
        return 1.0
    return _upper_gamma_regularised(degrees / 2.0, statistic / 2.0)


def _upper_gamma_regularised(a: float, x: float) -> float:
    """``Q(a, x)`` by its series (x < a + 1) or continued fraction (Numerical Recipes, §6.2)."""
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        denominator = a
        for _ in range(10_000):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-16:
            break
    return min(1.0, math.exp(log_prefix) * h)
