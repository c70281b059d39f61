"""Pre- and post-processing scripts, with the handler signatures Model Monitor documents.

``preprocess_handler(inference_record)`` or ``preprocess_handler(inference_record, logger)``
is called once per captured record and returns

- a flat ``dict`` -> one row (keys become column names: flatten arrays into ``prediction0``,
  ``prediction1``, ...; the built-in container needs tabular or flat JSON);
- ``[]`` -> the record is dropped (custom sampling);
- ``None`` as a value -> that value is excluded (e.g. a ``-1`` sentinel for a missing optional
  feature), so the column is simply missing for that row.

For a real-time endpoint the record is an ``InferenceRecord`` (``.endpoint_input.data``,
``.endpoint_output.data``, ``.event_metadata.event_id`` ...). For batch transform it is the raw
record: a ``str`` (CSV) or a ``dict`` (JSON). A handler that returns the record itself (as the
AWS logging example does) keeps it unchanged; this simulator turns unchanged CSV input into
columns ``_c0, _c1, ...`` (Spark's default names; the container's exact behaviour is unconfirmed).

``postprocess_handler()`` takes no arguments and runs only after a successful analysis.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

_LOGGER = logging.getLogger("simulations.monitoring.preprocessing")


class PreprocessingError(ValueError):
    """A handler returned something the monitoring job cannot use."""


# the record a preprocessing script receives ---------------------------------------------
@dataclass(frozen=True)
class CapturedPayload:
    """``endpointInput`` or ``endpointOutput`` of a data-capture record."""

    data: str
    encoding: str = "CSV"
    mode: str = "INPUT"
    observed_content_type: str = "text/csv"


@dataclass(frozen=True)
class EventMetadata:
    event_id: str
    inference_id: str | None = None
    inference_time: str | None = None
    custom_attribute: list[str] | None = None  # attribute name as seen in user scripts (unconfirmed)


@dataclass(frozen=True)
class InferenceRecord:
    """What a preprocessing script gets for one real-time capture record."""

    endpoint_input: CapturedPayload | None
    endpoint_output: CapturedPayload | None
    event_metadata: EventMetadata
    event_version: str = "0"

    @classmethod
    def from_capture(cls, record: dict) -> InferenceRecord:
        """Build from one data-capture JSON object (``captureData``, ``eventMetadata``, ``eventVersion``)."""
        try:
            capture, meta = record["captureData"], record["eventMetadata"]
            halves = {}
            for key in ("endpointInput", "endpointOutput"):
                half = capture.get(key)
                halves[key] = None if half is None else CapturedPayload(
                    data=half["data"],
                    encoding=half.get("encoding", "CSV"),
                    mode=half.get("mode", "INPUT" if key == "endpointInput" else "OUTPUT"),
                    observed_content_type=half.get("observedContentType", "text/csv"),
                )
            metadata = EventMetadata(
                event_id=meta["eventId"],
                inference_id=meta.get("inferenceId"),
                inference_time=meta.get("inferenceTime"),
                custom_attribute=meta.get("customAttributes"),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a data-capture record (missing {error}): {json.dumps(record)[:200]}") from None
        return cls(halves["endpointInput"], halves["endpointOutput"], metadata, str(record.get("eventVersion", "0")))


# running the handler --------------------------------------------------------------------
@dataclass(frozen=True)
class PreprocessingStats:
    kept: int
    dropped: int  # records the handler dropped with []
    excluded_values: int  # None values left out of kept rows

    @property
    def drop_ratio(self) -> float:
        total = self.kept + self.dropped
        return self.dropped / total if total else 0.0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _wants_logger(handler: Callable) -> bool:
    """True for ``handler(record, logger)``, False for ``handler(record)``; else a clear TypeError."""
    try:
        parameters = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    varargs = any(p.kind is p.VAR_POSITIONAL for p in parameters)
    if len(required) > 2 or not (positional or varargs):
        raise TypeError(
            "preprocess_handler must take (inference_record) or (inference_record, logger); "
            f"{getattr(handler, '__name__', handler)!r} takes {len(required)} required arguments"
        )
    return len(positional) >= 2 or varargs


def _unchanged(record: Any, index: int) -> dict:
    """The row for a record the handler handed back as it was (see module docstring)."""
    if isinstance(record, dict):
        return record
    if isinstance(record, InferenceRecord):
        payload = record.endpoint_input
        data, encoding = (payload.data, payload.encoding) if payload else (None, None)
    else:
        data, encoding = record, "CSV"
    if not isinstance(data, str) or encoding != "CSV":
        raise PreprocessingError(
            f"record {index}: the handler returned the record unchanged, but only CSV input can be used as it is; "
            "return a flat dict instead"
        )
    return {f"_c{i}": value for i, value in enumerate(data.rstrip("\n").split(","))}


def _row(result: Any, record: Any, index: int) -> dict | None:
    """The handler's result as a row, or None when the record is dropped."""
    if isinstance(result, list) and not result:
        return None
    if result is record:
        return _unchanged(record, index)
    if isinstance(result, dict):
        return result
    if result is None:
        raise PreprocessingError(
            f"preprocess_handler returned None for record {index} (a missing 'return'?); "
            "return a flat dict, or [] to drop the record"
        )
    if isinstance(result, list):
        raise PreprocessingError(
            f"preprocess_handler returned a non-empty list for record {index}; return one flat dict per "
            "record, or [] to drop it"
        )
    raise PreprocessingError(
        f"preprocess_handler returned {type(result).__name__} for record {index}; "
        "return a flat dict, or [] to drop the record"
    )


def apply_preprocessing(
    records: Iterable[Any],
    handler: Callable | None,
    *,
    logger: logging.Logger | None = None,
    infer_types: bool = True,
) -> tuple[pd.DataFrame, PreprocessingStats]:
    """Run ``handler`` on every record; return the rows as a DataFrame and what happened.

    ``handler=None`` keeps every record unchanged. Columns appear in first-seen order; a key
    missing from a row (or excluded as None) is NaN there. With ``infer_types``, columns whose
    values all read as numbers become numeric, as the built-in container infers types.
    """
    handler = handler or (lambda record: record)
    call_with_logger = _wants_logger(handler)
    logger = logger or _LOGGER
    rows: list[dict] = []
    dropped = excluded = 0
    for index, record in enumerate(records):
        result = handler(record, logger) if call_with_logger else handler(record)
        row = _row(result, record, index)
        if row is None:
            dropped += 1
            continue
        clean = {}
        for key, value in row.items():
            if value is None:
                excluded += 1
            elif isinstance(value, (dict, list, tuple, set)):
                raise PreprocessingError(
                    f"record {index}: value for {key!r} is a {type(value).__name__}; the built-in container needs "
                    f"flat values, so flatten it (e.g. {key}0, {key}1, ...)"
                )
            else:
                clean[str(key)] = value
        rows.append(clean)
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    if infer_types:
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                converted = pd.to_numeric(frame[column], errors="coerce")
                if converted.notna().sum() == frame[column].notna().sum():
                    frame[column] = converted
    return frame, PreprocessingStats(kept=len(rows), dropped=dropped, excluded_values=excluded)


# a job with both hooks ------------------------------------------------------------------
@dataclass
class JobRun:
    report: dict
    stats: PreprocessingStats
    postprocessed: bool


def run_job(
    records: Iterable[Any],
    analyse: Callable[[pd.DataFrame], dict],
    *,
    preprocess: Callable | None = None,
    postprocess: Callable[[], object] | None = None,
    logger: logging.Logger | None = None,
) -> JobRun:
    """The processing-job flow: preprocess every record -> ``analyse(frame)`` -> ``postprocess_handler()``.

    If preprocessing or the analysis raises, the error propagates and the post-processing
    script does not run (it runs only after a successful monitoring run, violations or not).
    """
    frame, stats = apply_preprocessing(records, preprocess, logger=logger)
    report = analyse(frame)
    if postprocess is not None:
        postprocess()
    return JobRun(report=report, stats=stats, postprocessed=postprocess is not None)


# loading a user's script ----------------------------------------------------------------
def load_handler(path: str | Path, name: str = "preprocess_handler") -> Callable:
    """Import the Python file at ``path`` (as Model Monitor does with an uploaded script) and return ``name``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no script at {path}")
    module_name = "_monitor_script_" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"{path} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler = getattr(module, name, None)
    if not callable(handler):
        raise ValueError(f"{path} defines no function {name}()")
    return handler
