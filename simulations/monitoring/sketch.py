"""A mergeable quantile sketch with a stated, merge-order-free error bound.

The service profiles data with Deequ on Spark, which sketches each numeric column with KLL and
merges the sketches of the partitions. This model needs the same property (profile chunks or
Dask partitions separately, merge, get the profile of the whole) with a bound that tests can
check exactly, so it uses a deterministic rank-bounds summary (in the family of Greenwald and
Khanna's): a sorted list of values ``points`` and, for each, lower and upper bounds on the number
of summarised values ``< point`` (``lt_lo``, ``lt_hi``) and ``<= point`` (``le_lo``, ``le_hi``).

Invariant, kept by ``from_sorted``, ``merge`` and the pruning after a merge: the first point is
the minimum (nothing below it), the last the maximum, and between neighbours
``lt_hi[k + 1] - le_lo[k] <= GAP * count``. On ``[points[k], points[k + 1])`` the true CDF lies in
``[le_lo[k], lt_hi[k + 1]] / count``, so the midpoint is within ``RANK_ERROR = GAP / 2`` of it:
**|F_sketch(x) - F(x)| <= RANK_ERROR = 1/4096 for every x, after any number of merges in any
order** (merging adds the two summaries' bounds, so the gaps add up to at most
``GAP * (n_a + n_b)``; pruning keeps only neighbours whose gap stays within ``GAP * count``).
A sketch holds about ``2 / GAP`` to ``3 / GAP`` points (4,000-6,000), whatever the data size;
with fewer distinct values than that it holds them all with exact counts.

Why not Apache DataSketches' KLL (``datasketches``), which would bring the real sketch layout:
it is not in the package lists this project can install from, and its error bound is
probabilistic (about 1.65 / k normalised rank error at 99 % confidence), while the tests here
state a deterministic bound. ``statistics.json`` keeps this model's single-level layout of
1,001 order statistics (see ``profile``), which ``drift.baseline_cdf`` reads, as it reads real
multi-level KLL data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StepCDF:
    """A right-continuous step CDF: ``cdf[k]`` holds on ``[points[k], points[k+1])``, 0 before."""

    points: np.ndarray  # strictly increasing
    cdf: np.ndarray  # non-decreasing, last value 1
    count: int  # number of values the CDF describes (n in the Robust allowance)

GAP = 1.0 / 2048  # largest share of values between two neighbouring points, bounds included
RANK_ERROR = GAP / 2  # the stated bound on |F_sketch(x) - F(x)|


@dataclass(frozen=True)
class QuantileSketch:
    """Rank bounds at ``points`` for ``count`` summarised values (see the module docstring)."""

    points: np.ndarray
    lt_lo: np.ndarray
    lt_hi: np.ndarray
    le_lo: np.ndarray
    le_hi: np.ndarray
    count: int

    @classmethod
    def from_sorted(cls, values: np.ndarray) -> QuantileSketch:
        """Summarise already sorted numbers (no NaN) with exact rank bounds."""
        n = len(values)
        if n == 0:
            empty = np.empty(0)
            return cls(empty, empty, empty, empty, empty, 0)
        step = max(1, int(GAP * n))  # chosen indices at most `step` apart: gaps <= step - 1 < GAP * n
        chosen = np.append(np.arange(0, n, step), n - 1)
        points = np.unique(values[chosen])
        lt = np.searchsorted(values, points, side="left").astype(np.float64)
        le = np.searchsorted(values, points, side="right").astype(np.float64)
        return cls(points, lt, lt.copy(), le, le.copy(), n)

    @property
    def is_exact(self) -> bool:
        """True when every summarised value is a point and every count is known exactly."""
        return bool(np.array_equal(self.le_lo, self.le_hi) and np.array_equal(self.lt_lo, self.lt_hi)
                    and np.array_equal(self.lt_hi[1:], self.le_lo[:-1]))

    def merge(self, other: QuantileSketch) -> QuantileSketch:
        """The sketch of both inputs' values; the invariant (and so ``RANK_ERROR``) still holds."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        points = np.union1d(self.points, other.points)
        lt_lo, lt_hi, le_lo, le_hi = (a + b for a, b in zip(self._bounds_at(points), other._bounds_at(points)))
        # bounds of counts that can only grow with x may borrow from neighbours: still valid, tighter
        le_lo, lt_lo = np.maximum.accumulate(le_lo), np.maximum.accumulate(lt_lo)
        lt_hi, le_hi = np.minimum.accumulate(lt_hi[::-1])[::-1], np.minimum.accumulate(le_hi[::-1])[::-1]
        count = self.count + other.count
        keep = _prune(lt_hi, le_lo, GAP * count)
        return QuantileSketch(points[keep], lt_lo[keep], lt_hi[keep], le_lo[keep], le_hi[keep], count)

    def _bounds_at(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Bounds on ``#(values < x)`` and ``#(values <= x)`` for sorted ``x``."""
        m = len(self.points)
        i = np.searchsorted(self.points, x, side="left")  # first point >= x
        inside = i < m
        at = np.minimum(i, m - 1)
        exact = inside & (self.points[at] == x)
        below = np.where(i > 0, self.le_lo[np.maximum(i - 1, 0)], 0.0)  # #(<= predecessor) <= #(< x)
        above = np.where(inside, self.lt_hi[at], float(self.count))  # #(< x) <= #(< next point)
        lt_lo = np.where(exact, np.maximum(below, self.lt_lo[at]), below)
        lt_hi = np.where(exact, self.lt_hi[at], above)
        le_lo = np.where(exact, self.le_lo[at], below)
        le_hi = np.where(exact, self.le_hi[at], above)
        return lt_lo, lt_hi, le_lo, le_hi

    # -- reading -----------------------------------------------------------------------------
    def step_cdf(self) -> StepCDF:
        """The CDF as a step function: on ``[points[k], points[k + 1])`` the middle of its bounds."""
        if self.count == 0:
            raise ValueError("an empty sketch has no CDF")
        upper = np.append(self.lt_hi[1:], float(self.count))
        cdf = (self.le_lo + upper) / (2.0 * self.count)
        cdf[-1] = 1.0
        return StepCDF(self.points, np.minimum(np.maximum.accumulate(cdf), 1.0), self.count)

    def count_below(self, x: np.ndarray) -> np.ndarray:
        """Estimated ``#(values < x)`` (the middle of its bounds)."""
        lt_lo, lt_hi, _, _ = self._bounds_at(np.asarray(x, dtype=np.float64))
        return (lt_lo + lt_hi) / 2.0

    def order_statistics(self, ranks: np.ndarray) -> np.ndarray:
        """Estimated values at 0-based ``ranks`` (exact when ``is_exact``)."""
        steps = self.step_cdf()
        cumulative = steps.cdf * self.count
        index = np.searchsorted(cumulative, np.asarray(ranks, dtype=np.float64) + 1.0 - 1e-9, side="left")
        return steps.points[np.minimum(index, len(steps.points) - 1)]


def _prune(lt_hi: np.ndarray, le_lo: np.ndarray, limit: float) -> np.ndarray:
    """Indices to keep: first, last, and greedily the farthest next point whose gap stays <= ``limit``.

    A loop over the kept points (a few thousand), not over values: each step is one binary search.
    """
    last = len(lt_hi) - 1
    kept = [0]
    p = 0
    while p < last:
        q = int(np.searchsorted(lt_hi, le_lo[p] + limit, side="right")) - 1
        p = min(max(q, p + 1), last)
        kept.append(p)
    return np.asarray(kept, dtype=np.int64)


def linf_between(a: StepCDF, b: StepCDF) -> float:
    """``sup_x |F_a(x) - F_b(x)|`` for two step CDFs: both are constant between their union points."""
    union = np.union1d(a.points, b.points)
    fa = _value_at(a, union)
    fb = _value_at(b, union)
    return float(np.max(np.abs(fa - fb), initial=0.0))


def _value_at(steps: StepCDF, x: np.ndarray) -> np.ndarray:
    index = np.searchsorted(steps.points, x, side="right") - 1
    return np.where(index >= 0, steps.cdf[np.maximum(index, 0)], 0.0)
