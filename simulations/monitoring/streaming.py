"""Data that does not fit in memory: chunks, data-capture folders and Dask frames.

``suggest_baseline`` and ``check_data_quality`` take, besides a DataFrame:

- an iterable of DataFrame chunks (e.g. ``pd.read_csv(path, chunksize=500_000)``);
- a data-capture folder (``str`` or ``Path``): every ``yyyy/mm/dd/hh`` partition of JSONL capture
  files under it, read one hour at a time. Only the endpoint *input* is profiled (CSV columns
  ``_c0, _c1, ...`` as Spark names them, JSON keys as given), the way a data-quality job reads
  captured features;
- a Dask DataFrame: each partition is profiled where it lives (``map_partitions``) and the
  profiles are merged, like Deequ's sketches on Spark.

Each chunk is profiled into a compact ``FrameProfile`` (no per-row data, see ``profile``) and
merged into the running profile, so memory holds one chunk plus the profiles. Results equal the
whole-frame ones except the numeric CDFs, which are within ``sketch.RANK_ERROR`` (1/4096) of
exact: drift distances move by at most that much.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import reduce
from pathlib import Path

import pandas as pd

from simulations.monitoring.capture import hour_partitions, read_capture_files
from simulations.monitoring.profile import FrameProfile, profile_frame

CAPTURE_METADATA = ("event_id", "inference_id", "inference_time")


def is_dask_frame(data) -> bool:
    """A Dask DataFrame (checked by its methods, so Dask stays an optional import)."""
    return hasattr(data, "to_delayed") and hasattr(data, "npartitions") and hasattr(data, "map_partitions")


def capture_chunks(folder: str | Path, *, input_columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """One DataFrame of captured input features per hour partition under ``folder``."""
    hours = hour_partitions(folder)
    if not hours:
        raise ValueError(f"{folder}: no yyyy/mm/dd/hh folder with .jsonl capture files")
    for hour in hours:
        frame = read_capture_files(sorted(hour.glob("*.jsonl")), input_columns=input_columns, include_output=False)
        yield frame[[c for c in frame.columns if c not in CAPTURE_METADATA]]


def chunks_of(data) -> Iterator[pd.DataFrame]:
    """The chunks of ``data``: a DataFrame (one chunk), a capture folder, or an iterable of DataFrames."""
    if isinstance(data, pd.DataFrame):
        yield data
        return
    if isinstance(data, (str, Path)):
        yield from capture_chunks(data)
        return
    if isinstance(data, (Mapping, bytes)) or not isinstance(data, Iterable):
        raise TypeError(f"data must be a pandas DataFrame, an iterable of DataFrames, a capture folder or a "
                        f"Dask DataFrame, got {type(data).__name__}")
    for i, chunk in enumerate(data):
        if not isinstance(chunk, pd.DataFrame):
            raise TypeError(f"chunk {i} is a {type(chunk).__name__}, not a pandas DataFrame")
        yield chunk


def profile_data(data, as_types: dict[str, str] | None = None) -> FrameProfile:
    """The merged compact profile of ``data`` (any form ``chunks_of`` accepts, or a Dask DataFrame)."""
    if is_dask_frame(data):
        return profile_dask(data, as_types)
    merged: FrameProfile | None = None
    for chunk in chunks_of(data):
        if len(chunk) == 0:
            continue
        part = profile_frame(chunk, as_types)
        merged = part if merged is None else merged.merge(part)
    if merged is None:
        raise ValueError("the data has no rows")
    return merged


def _partition_profile(part: pd.DataFrame, as_types: dict[str, str] | None) -> pd.Series:
    return pd.Series([profile_frame(part, as_types)], dtype=object)


def profile_dask(frame, as_types: dict[str, str] | None = None) -> FrameProfile:
    """Profile each partition of a Dask DataFrame where it is (``map_partitions``), then merge the
    profiles (small objects, whatever the partition size) on the client."""
    profiles = frame.map_partitions(_partition_profile, as_types, meta=pd.Series(dtype=object)).compute().tolist()
    profiles = [p for p in profiles if p.item_count]
    if not profiles:
        raise ValueError("the data has no rows")
    return reduce(FrameProfile.merge, profiles)
