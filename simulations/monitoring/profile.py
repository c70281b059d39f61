"""Column profiles: the single pass over a dataset that the baseline and the checks share.

A profile sorts each numeric column once (NaN last, then dropped) and counts each string
column's values with ``pd.factorize`` + ``np.bincount`` (never sorting Python strings). The
``statistics.json`` entries (reference §3) are built from profiles, for the baseline dataset
and for the data a monitoring run checks.

Type inference follows the pandas dtype, the way Deequ infers from the CSV text:

- integer dtypes -> ``Integral``; float dtypes -> ``Fractional`` (a float column is Fractional
  even when every value is whole, as ``"3.0"`` would be in a CSV);
- ``object`` columns are inspected: all ints -> ``Integral``, numbers with a fraction ->
  ``Fractional``, anything else -> ``String``;
- strings, categoricals, booleans, datetimes -> ``String`` (booleans count as two categories);
- a column with no present value -> ``Unknown``.

Profiles merge: ``profile_column(a).compact().merge(profile_column(b).compact())`` is the profile
of both (counts, sum, min and max exact; mean and spread by Chan's parallel formulas; categories
exactly counted; the quantile sketch within ``sketch.RANK_ERROR`` of the exact CDF, see
``sketch``). ``profile_frame`` profiles a whole frame that way and ``FrameProfile.merge`` merges
frames, which is how chunks, capture folders and Dask partitions are profiled (``streaming``).
A compact profile keeps no per-row data: its memory does not grow with the rows (string columns
keep one count per distinct value).

The quantile sketch: real Model Monitor stores a KLL sketch (compactor levels, parameters
``c``/``k``). This model stores one level instead: the exact sorted values when the column has at
most 1,001 present values, else 1,001 evenly spaced order statistics, the ``j``-th taken at
0-based rank ``round(j * (n - 1) / 1000)``. ``drift.baseline_cdf`` knows both layouts (and real
multi-level KLL data).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from simulations.monitoring.sketch import QuantileSketch

INTEGRAL = "Integral"
FRACTIONAL = "Fractional"
STRING = "String"
UNKNOWN = "Unknown"
INFERRED_TYPES = (INTEGRAL, FRACTIONAL, STRING, UNKNOWN)
NUMERIC_TYPES = (INTEGRAL, FRACTIONAL)

QUANTILE_COUNT = 1001  # points stored in sketch.data for a column with more present values
KLL_BUCKETS = 10  # the materialised KLL histogram always has 10 buckets
KLL_PARAMETERS = {"c": 0.64, "k": 2048.0}  # written for schema fidelity; this model does not compact
MAX_CATEGORICAL_BUCKETS = 1000  # Deequ's histogram keeps at most 1,000 detail bins


@dataclass(frozen=True)
class ColumnProfile:
    """What one column looks like, read as one inferred type.

    ``type_matches`` counts present values that really are of ``inferred_type`` (the
    ``data_type_check`` uses it when a column is read as the baseline's type). Numeric profiles
    carry ``sorted_values`` (finite and infinite present numbers, ascending); string profiles carry
    ``categories`` (most frequent first) and ``counts``. ``num_categories`` is the full number of
    distinct values even when ``categories`` is cut to ``MAX_CATEGORICAL_BUCKETS``.
    """

    name: str
    inferred_type: str
    num_present: int
    num_missing: int
    type_matches: int
    sorted_values: np.ndarray | None = None
    categories: np.ndarray | None = None
    counts: np.ndarray | None = None
    summary: NumericSummary | None = None

    @property
    def item_count(self) -> int:
        return self.num_present + self.num_missing

    @property
    def number_count(self) -> int:
        """How many present values are numbers (numeric profiles)."""
        if self.sorted_values is not None:
            return len(self.sorted_values)
        return self.summary.count if self.summary is not None else 0

    def compact(self) -> ColumnProfile:
        """The same profile without per-row data: numeric values become a ``NumericSummary``."""
        if self.sorted_values is None:
            return self
        return replace(self, sorted_values=None, summary=NumericSummary.from_sorted(self.sorted_values))

    def merge(self, other: ColumnProfile) -> ColumnProfile:
        """The profile of both columns' values (both read as one type; Integral + Fractional = Fractional)."""
        a, b = self.compact(), other.compact()
        if a.inferred_type == UNKNOWN and a.num_present == 0:
            return replace(b, name=a.name, num_missing=a.num_missing + b.num_missing)
        if b.inferred_type == UNKNOWN and b.num_present == 0:
            return replace(a, num_missing=a.num_missing + b.num_missing)
        present, missing = a.num_present + b.num_present, a.num_missing + b.num_missing
        if a.inferred_type in NUMERIC_TYPES and b.inferred_type in NUMERIC_TYPES:
            kind = a.inferred_type if a.inferred_type == b.inferred_type else FRACTIONAL
            matches = (a.type_matches + b.type_matches if kind == a.inferred_type == b.inferred_type
                       else a.number_count + b.number_count)  # as Fractional every number matches
            summary = a.summary.merge(b.summary) if a.summary and b.summary else (a.summary or b.summary)
            return ColumnProfile(a.name, kind, present, missing, matches, summary=summary)
        if a.inferred_type == b.inferred_type == STRING:
            labels = np.concatenate([a.categories, b.categories])
            codes, uniques = pd.factorize(labels)
            counts = np.bincount(codes, weights=np.concatenate([a.counts, b.counts])).astype(np.int64)
            order = np.argsort(-counts, kind="stable")
            return ColumnProfile(a.name, STRING, present, missing, a.type_matches + b.type_matches,
                                 categories=np.asarray(uniques, dtype=object)[order], counts=counts[order])
        if a.inferred_type == b.inferred_type == UNKNOWN:
            return ColumnProfile(a.name, UNKNOWN, present, missing, 0)
        raise ValueError(f"column {a.name!r} is {a.inferred_type} in one part of the data and {b.inferred_type} in "
                         f"another; give it one dtype in every chunk (e.g. dtype=str or float)")


@dataclass(frozen=True)
class NumericSummary:
    """What a numeric column's statistics need, mergeable: exact count, sum, min, max; mean and
    ``m2`` (sum of squared deviations) by Chan's parallel update; the quantile sketch."""

    count: int
    total: float
    mean: float
    m2: float
    low: float
    high: float
    sketch: QuantileSketch

    @classmethod
    def from_sorted(cls, ordered: np.ndarray) -> NumericSummary:
        n = len(ordered)
        if n == 0:
            return cls(0, 0.0, 0.0, 0.0, np.nan, np.nan, QuantileSketch.from_sorted(ordered))
        with np.errstate(over="ignore", invalid="ignore"):
            total = float(np.sum(ordered))
            mean = total / n
            m2 = _squared_deviations(ordered, mean)
        return cls(n, total, mean, m2, float(ordered[0]), float(ordered[-1]), QuantileSketch.from_sorted(ordered))

    def merge(self, other: NumericSummary) -> NumericSummary:
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        n = self.count + other.count
        with np.errstate(over="ignore", invalid="ignore"):
            delta = other.mean - self.mean
            mean = self.mean + delta * other.count / n
            m2 = self.m2 + other.m2 + delta * delta * self.count * other.count / n
        return NumericSummary(n, self.total + other.total, mean, m2, min(self.low, other.low),
                              max(self.high, other.high), self.sketch.merge(other.sketch))


@dataclass(frozen=True)
class FrameProfile:
    """Compact profiles of a frame's columns (in order) and its row count; ``merge`` adds rows."""

    columns: tuple[str, ...]
    profiles: dict[str, ColumnProfile]
    item_count: int

    def merge(self, other: FrameProfile) -> FrameProfile:
        if self.columns != other.columns:
            raise ValueError(f"chunks have different columns: {list(self.columns)} and {list(other.columns)}")
        return FrameProfile(self.columns, {name: self.profiles[name].merge(other.profiles[name]) for name in self.columns},
                            self.item_count + other.item_count)


def profile_frame(df: pd.DataFrame, as_types: dict[str, str] | None = None) -> FrameProfile:
    """Compact profiles of every column of ``df`` (each read as ``as_types[name]`` when given)."""
    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names):
        raise ValueError("column names must be unique; repeated: " + ", ".join(sorted({repr(n) for n in names if names.count(n) > 1})))
    profiles = {}
    for i, name in enumerate(names):  # one column at a time: its sorted copy is freed before the next
        wanted = (as_types or {}).get(name)
        profiles[name] = profile_column(df.iloc[:, i], as_type=wanted, name=name).compact()
    return FrameProfile(tuple(names), profiles, len(df))


def infer_type(series: pd.Series) -> str:
    """The Model Monitor ``inferred_type`` of a column (see the module docstring)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        kind = STRING
    elif pd.api.types.is_integer_dtype(dtype):
        kind = INTEGRAL
    elif pd.api.types.is_float_dtype(dtype):
        kind = FRACTIONAL
    elif dtype == object:
        inferred = pd.api.types.infer_dtype(series, skipna=True)
        kind = {
            "empty": UNKNOWN,
            "integer": INTEGRAL,
            "floating": FRACTIONAL,
            "mixed-integer-float": FRACTIONAL,
            "decimal": FRACTIONAL,
        }.get(inferred, STRING)
    else:  # str, category, datetime, timedelta, ...
        kind = STRING
    return kind


def profile_column(series: pd.Series, as_type: str | None = None, name: str | None = None) -> ColumnProfile:
    """Profile ``series`` as ``as_type`` (default: its inferred type).

    Reading a column as a numeric type converts what can be converted and counts the rest as
    type mismatches; reading it as ``String`` keeps every present value (a numeric dtype read as
    String matches nothing, as digits would not be a String in a CSV).
    """
    name = str(series.name) if name is None else name
    if as_type is None:
        as_type = infer_type(series)
    if as_type in NUMERIC_TYPES:
        return _numeric_profile(series, name, as_type)
    if as_type == STRING:
        return _string_profile(series, name)
    if as_type == UNKNOWN:
        missing = int(series.isna().sum())
        return ColumnProfile(name, UNKNOWN, len(series) - missing, missing, type_matches=0)
    raise ValueError(f"column {name!r}: unknown inferred_type {as_type!r}; expected one of {', '.join(INFERRED_TYPES)}")


def _numeric_profile(series: pd.Series, name: str, as_type: str) -> ColumnProfile:
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        # sort the integers (faster than floats), then convert the sorted copy once
        ordered = np.sort(series.to_numpy()).astype(np.float64)
        return ColumnProfile(name, as_type, len(ordered), 0, len(ordered), sorted_values=ordered)
    values, missing, not_numbers, whole_by_dtype = _numeric_values(series)
    ordered = np.sort(values)[: len(values) - not_numbers]  # NaN sort last: missing or not a number
    if as_type == INTEGRAL and not whole_by_dtype:
        matches = int(np.count_nonzero(ordered == np.floor(ordered)))
    else:
        matches = len(ordered)
    return ColumnProfile(name, as_type, len(values) - missing, missing, matches, sorted_values=ordered)


def _numeric_values(series: pd.Series) -> tuple[np.ndarray, int, int, bool]:
    """(float64 values, NaN where missing or not a number; number missing; number of NaN; whole by dtype)."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = series.to_numpy()
        missing = int(np.count_nonzero(np.isnan(values)))
        return values, missing, missing, False
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):  # nullable Int64 / Float64
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = int(np.count_nonzero(np.isnan(values)))
        return values, missing, missing, pd.api.types.is_integer_dtype(dtype)
    missing = int(series.isna().sum())
    if dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)):
        texts = series.astype(object) if isinstance(dtype, pd.CategoricalDtype) else series
        values = np.asarray(pd.to_numeric(texts, errors="coerce"), dtype=np.float64)
        return values, missing, int(np.count_nonzero(np.isnan(values))), False
    # booleans, datetimes, ...: present, but never numbers
    return np.full(len(series), np.nan), missing, len(series), False


def _string_profile(series: pd.Series, name: str) -> ColumnProfile:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        uniques = np.asarray(dtype.categories, dtype=object)
    else:
        values = series.to_numpy(dtype=object) if not isinstance(dtype, np.dtype) or dtype == object else series.to_numpy()
        try:
            codes, uniques = pd.factorize(values)
        except TypeError:  # unhashable values (lists, dicts): profile their text, keep missing as missing
            texts = series.astype(str).to_numpy(dtype=object)
            texts[series.isna().to_numpy()] = None
            codes, uniques = pd.factorize(texts)
        uniques = np.asarray(uniques, dtype=object)
    tally = np.bincount(codes + 1, minlength=len(uniques) + 1)  # slot 0 counts the missing (-1)
    missing = int(tally[0])
    counts = tally[1:].astype(np.int64)
    labels = np.asarray(pd.Index(uniques).astype(str), dtype=object)
    if len(labels) and len(pd.unique(labels)) != len(labels):  # 1 and "1" are one category
        label_codes, merged = pd.factorize(labels)
        counts = np.bincount(label_codes, weights=counts).astype(np.int64)
        labels = np.asarray(merged, dtype=object)
    keep = counts > 0  # unused categories of a Categorical
    labels, counts = labels[keep], counts[keep]
    order = np.argsort(-counts, kind="stable")
    labels, counts = labels[order], counts[order]
    num_present = len(series) - missing
    textual = pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype)
    return ColumnProfile(name, STRING, num_present, missing, num_present if textual else 0,
                         categories=labels, counts=counts)


def quantile_ranks(n: int) -> np.ndarray:
    """0-based ranks of the sketch points for ``n`` present values (see the module docstring)."""
    if n <= QUANTILE_COUNT:
        return np.arange(n)
    j = np.arange(QUANTILE_COUNT, dtype=np.int64)
    return (j * (n - 1) + (QUANTILE_COUNT - 1) // 2) // (QUANTILE_COUNT - 1)


def feature_statistics(profile: ColumnProfile) -> dict:
    """The ``statistics.json`` entry of one feature."""
    entry: dict = {"name": profile.name, "inferred_type": profile.inferred_type}
    common = {"num_present": profile.num_present, "num_missing": profile.num_missing}
    if profile.inferred_type in NUMERIC_TYPES and profile.sorted_values is not None and len(profile.sorted_values):
        entry["numerical_statistics"] = _numerical_statistics(profile.sorted_values, common)
    elif profile.inferred_type in NUMERIC_TYPES and profile.summary is not None and profile.summary.count:
        entry["numerical_statistics"] = _summary_statistics(profile.summary, common)
    elif profile.inferred_type == STRING and profile.categories is not None:
        kept = min(len(profile.categories), MAX_CATEGORICAL_BUCKETS)
        entry["string_statistics"] = {
            "common": common,
            "distinct_count": float(len(profile.categories)),
            "distribution": {"categorical": {"buckets": [
                {"value": str(value), "count": int(count)}
                for value, count in zip(profile.categories[:kept].tolist(), profile.counts[:kept].tolist())
            ]}},
        }
    return entry


def _numerical_statistics(ordered: np.ndarray, common: dict) -> dict:
    n = len(ordered)
    with np.errstate(over="ignore", invalid="ignore"):  # +-1e308 may overflow: stored as "Infinity"/"NaN"
        total = float(np.sum(ordered))
        mean = total / n
        std = float(np.sqrt(_squared_deviations(ordered, mean) / n))  # population std, as Deequ's StandardDeviation
    low, high = float(ordered[0]), float(ordered[-1])
    edges = _bucket_edges(low, high)
    cuts = np.searchsorted(ordered, edges[1:-1], side="left")
    counts = np.diff(np.concatenate(([0], cuts, [n])))  # the last bucket includes the maximum
    buckets = [
        {"lower_bound": float(edges[i]), "upper_bound": float(edges[i + 1]), "count": float(counts[i])}
        for i in range(KLL_BUCKETS)
    ]
    return {
        "common": common,
        "mean": mean,
        "sum": total,
        "std_dev": std,
        "min": low,
        "max": high,
        "distribution": {"kll": {
            "buckets": buckets,
            "sketch": {"parameters": dict(KLL_PARAMETERS), "data": [ordered[quantile_ranks(n)].tolist()]},
        }},
    }


def _summary_statistics(summary: NumericSummary, common: dict) -> dict:
    """``numerical_statistics`` from a merged summary: exact moments, sketch-estimated buckets and points."""
    n, sketch = summary.count, summary.sketch
    with np.errstate(over="ignore", invalid="ignore"):
        std = float(np.sqrt(summary.m2 / n))
    edges = _bucket_edges(summary.low, summary.high)
    below = np.round(sketch.count_below(edges[1:-1]))
    counts = np.diff(np.concatenate(([0.0], below, [float(n)])))
    buckets = [
        {"lower_bound": float(edges[i]), "upper_bound": float(edges[i + 1]), "count": float(counts[i])}
        for i in range(KLL_BUCKETS)
    ]
    return {
        "common": common, "mean": summary.mean, "sum": summary.total, "std_dev": std,
        "min": summary.low, "max": summary.high,
        "distribution": {"kll": {
            "buckets": buckets,
            "sketch": {"parameters": dict(KLL_PARAMETERS), "data": [sketch.order_statistics(quantile_ranks(n)).tolist()]},
        }},
    }


def _bucket_edges(low: float, high: float) -> np.ndarray:
    """``KLL_BUCKETS + 1`` evenly spaced edges; no overflow when ``high - low`` exceeds the float range."""
    if np.isfinite(high - low):
        return np.linspace(low, high, KLL_BUCKETS + 1)
    t = np.linspace(0.0, 1.0, KLL_BUCKETS + 1)
    return low * (1 - t) + high * t


_BLOCK = 1 << 16


def _squared_deviations(values: np.ndarray, mean: float) -> float:
    """``sum((values - mean) ** 2)`` through one small reused buffer (no column-sized temporary).

    Not ``np.dot``: OpenBLAS threads a long dot product, and its spinning threads make the run
    several times slower whenever another process holds a core.
    """
    buffer = np.empty(min(len(values), _BLOCK))
    total = 0.0
    for start in range(0, len(values), _BLOCK):
        block = np.subtract(values[start:start + _BLOCK], mean, out=buffer[: min(_BLOCK, len(values) - start)])
        total += float(np.square(block, out=block).sum())
    return total


def statistics_document(features: list[dict], item_count: int) -> dict:
    """A whole ``statistics.json`` document from its feature entries."""
    return {"version": 0.0, "dataset": {"item_count": int(item_count)}, "features": features}
