"""Data capture: endpoint invocations -> JSONL records in the real data-capture shape (§1).

One record per invocation, one JSON object per line::

    {"captureData": {"endpointInput": {"observedContentType": "text/csv", "mode": "INPUT",
                                       "data": "69,0,153.7,109", "encoding": "CSV"},
                     "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT",
                                        "data": "0.0254", "encoding": "CSV"}},
     "eventMetadata": {"eventId": "<uuid4>", "inferenceId": "42", "inferenceTime": "2022-02-14T17:25:49Z"},
     "eventVersion": "0"}

written under ``{destination}/{endpoint}/{variant}/yyyy/mm/dd/hh/{file}.jsonl`` by the UTC hour of
the invocation. ``inferenceId`` appears only when the caller passed one. Content types listed as
CSV are captured as text with encoding ``"CSV"``, JSON types as text with ``"JSON"``, anything else
base64-encoded with ``"BASE64"`` (the last two literals are unconfirmed). File names
(``MM-SS-mmm-<token>.jsonl``, from the first record in the file) are this model's choice; AWS does
not document them. Event ids are UUID4s drawn from a seeded generator, so the same seed gives the
same files.

- ``CapturingEndpoint.invoke``: one invocation at a time (what a teaching timeline shows).
- ``capture_frame``: thousands of invocations at once, built with array operations.
- ``read_captured``: the records of a time window back as a DataFrame; a malformed line raises
  ``CaptureFormatError`` naming the file and line.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulations.monitoring.utc import as_utc, iso_z

CSV_CONTENT_TYPES = ("text/csv",)
JSON_CONTENT_TYPES = ("application/json",)
CAPTURE_MODES = ("Input", "Output", "InputAndOutput")  # API CaptureMode (the SDK says REQUEST/RESPONSE)
EVENT_VERSION = "0"
BASE_COLUMNS = ("event_id", "inference_id", "inference_time")
_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$")  # SageMaker endpoint and variant names


class CaptureFormatError(ValueError):
    """A captured file that cannot be read; the message starts with ``file:line:``."""


# -- settings ----------------------------------------------------------------------------------
def _check_name(value: str, argument: str) -> str:
    if not isinstance(value, str) or not _NAME_PATTERN.match(value) or len(value) > 63:
        raise ValueError(f"{argument} must be 1-63 letters, digits or hyphens, not starting or ending with '-'; got {value!r}")
    return value


def _check_settings(sampling_percentage: int, capture_mode: str) -> None:
    if isinstance(sampling_percentage, bool) or not isinstance(sampling_percentage, int) or not 0 <= sampling_percentage <= 100:
        raise ValueError(f"sampling_percentage must be an integer from 0 to 100, got {sampling_percentage!r}")
    if capture_mode not in CAPTURE_MODES:
        raise ValueError(f"capture_mode must be one of {', '.join(CAPTURE_MODES)}, got {capture_mode!r}")


def encoding_for(content_type: str, csv_types: Iterable[str] = CSV_CONTENT_TYPES,
                 json_types: Iterable[str] = JSON_CONTENT_TYPES) -> str:
    """``"CSV"``, ``"JSON"`` or ``"BASE64"`` for a content type (parameters such as charset ignored)."""
    base = content_type.split(";")[0].strip().lower()
    if base in {t.lower() for t in csv_types}:
        return "CSV"
    if base in {t.lower() for t in json_types}:
        return "JSON"
    return "BASE64"


def _hour_directory(root: Path, hour: datetime) -> Path:
    return root / f"{hour:%Y}" / f"{hour:%m}" / f"{hour:%d}" / f"{hour:%H}"


def _new_file(directory: Path, first: datetime, token: str) -> Path:
    return directory / f"{first:%M-%S}-{first.microsecond // 1000:03d}-{token}.jsonl"


# -- encoding one payload ------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return repr(value) if isinstance(value, float) else value


def encode_payload(payload: Any, encoding: str) -> str:
    """The capture ``data`` string of a request or response body.

    CSV: a string is kept; a flat sequence becomes one CSV line, a nested one several lines; a
    scalar becomes one field. JSON: a string is kept, anything else is ``json.dumps``-ed.
    BASE64: bytes (or the UTF-8 of a string) base64-encoded.
    """
    if encoding == "BASE64":
        raw = payload if isinstance(payload, bytes) else str(payload).encode("utf-8")
        return base64.b64encode(raw).decode("ascii")
    if isinstance(payload, bytes):
        return payload.decode("utf-8")
    if isinstance(payload, str):
        return payload
    if encoding == "JSON":
        return json.dumps(payload, default=lambda v: v.item() if isinstance(v, np.generic) else v.tolist())
    if isinstance(payload, (pd.Series, pd.DataFrame, np.ndarray)):
        payload = payload.tolist() if not isinstance(payload, pd.DataFrame) else payload.to_numpy().tolist()
    rows = payload if isinstance(payload, (list, tuple)) and payload and isinstance(payload[0], (list, tuple)) else [
        payload if isinstance(payload, (list, tuple)) else [payload]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[_plain(v) for v in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def capture_record(*, input_data: str | None, output_data: str | None, content_type: str, accept: str,
                   input_encoding: str, output_encoding: str, event_id: str, inference_id: str | None,
                   inference_time: datetime) -> dict:
    """One capture record as a dict (either half may be ``None`` when its mode is not captured)."""
    capture: dict = {}
    if input_data is not None:
        capture["endpointInput"] = {"observedContentType": content_type, "mode": "INPUT",
                                    "data": input_data, "encoding": input_encoding}
    if output_data is not None:
        capture["endpointOutput"] = {"observedContentType": accept, "mode": "OUTPUT",
                                     "data": output_data, "encoding": output_encoding}
    metadata = {"eventId": event_id}
    if inference_id is not None:
        metadata["inferenceId"] = str(inference_id)
    metadata["inferenceTime"] = iso_z(inference_time)
    return {"captureData": capture, "eventMetadata": metadata, "eventVersion": EVENT_VERSION}


# -- one invocation at a time --------------------------------------------------------------------
class CapturingEndpoint:
    """A model endpoint with data capture enabled.

    ``predict_fn(payload)`` plays the model. Each ``invoke`` is captured with probability
    ``sampling_percentage / 100`` (a seeded draw per invocation, so the same seed samples the
    same invocations). ``capture_mode`` is ``Input``, ``Output`` or ``InputAndOutput``. The time of
    an invocation is ``at`` if given, else ``clock``: a ``SimulatedClock`` (anything with ``.now``)
    or a function returning a datetime; without either, the wall clock.
    """

    def __init__(self, endpoint_name: str, variant_name: str, predict_fn: Callable[[Any], Any],
                 destination: str | Path, *, sampling_percentage: int = 100, capture_mode: str = "InputAndOutput",
                 seed: int = 0, clock: Any = None,
                 csv_content_types: Iterable[str] = CSV_CONTENT_TYPES,
                 json_content_types: Iterable[str] = JSON_CONTENT_TYPES):
        self.endpoint_name = _check_name(endpoint_name, "endpoint_name")
        self.variant_name = _check_name(variant_name, "variant_name")
        _check_settings(sampling_percentage, capture_mode)
        self.predict_fn = predict_fn
        self.destination = Path(destination)
        self.sampling_percentage = sampling_percentage
        self.capture_mode = capture_mode
        self.clock = clock
        self.csv_content_types = tuple(csv_content_types)
        self.json_content_types = tuple(json_content_types)
        self.invocations = 0
        self.captured = 0
        self._random = random.Random(seed)
        self._files: dict[datetime, Path] = {}

    @property
    def root(self) -> Path:
        """``{destination}/{endpoint}/{variant}``: where this endpoint's capture files go."""
        return self.destination / self.endpoint_name / self.variant_name

    def _clock_time(self) -> datetime:
        if self.clock is None:
            return datetime.now(timezone.utc)
        if hasattr(self.clock, "now"):
            now = self.clock.now
            return now() if callable(now) else now
        return self.clock()

    def invoke(self, payload: Any, inference_id: str | None = None, content_type: str = "text/csv",
               accept: str | None = None, at: datetime | None = None) -> Any:
        """Return ``predict_fn(payload)``; capture the invocation if it is sampled."""
        prediction = self.predict_fn(payload)
        moment = as_utc(at if at is not None else self._clock_time(), name="at")
        self.invocations += 1
        if self._random.random() * 100 >= self.sampling_percentage:
            return prediction
        accept = accept or content_type
        in_encoding = encoding_for(content_type, self.csv_content_types, self.json_content_types)
        out_encoding = encoding_for(accept, self.csv_content_types, self.json_content_types)
        record = capture_record(
            input_data=encode_payload(payload, in_encoding) if self.capture_mode != "Output" else None,
            output_data=encode_payload(prediction, out_encoding) if self.capture_mode != "Input" else None,
            content_type=content_type, accept=accept, input_encoding=in_encoding, output_encoding=out_encoding,
            event_id=str(uuid.UUID(int=self._random.getrandbits(128), version=4)),
            inference_id=inference_id, inference_time=moment,
        )
        hour = moment.replace(minute=0, second=0, microsecond=0)
        path = self._files.get(hour)
        if path is None:
            directory = _hour_directory(self.root, hour)
            directory.mkdir(parents=True, exist_ok=True)
            path = self._files[hour] = _new_file(directory, moment, f"{self._random.getrandbits(32):08x}")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
        self.captured += 1
        return prediction


# -- many invocations at once --------------------------------------------------------------------
def capture_frame(endpoint_name: str, variant_name: str, inputs: pd.DataFrame, predictions: Any,
                  destination: str | Path, *, times: Any, inference_ids: Iterable[Any] | None = None,
                  sampling_percentage: int = 100, seed: int = 0, content_type: str = "text/csv",
                  accept: str | None = None, capture_mode: str = "InputAndOutput",
                  csv_content_types: Iterable[str] = CSV_CONTENT_TYPES,
                  json_content_types: Iterable[str] = JSON_CONTENT_TYPES) -> pd.DataFrame:
    """Capture one invocation per row of ``inputs`` (its prediction: the same row of ``predictions``).

    ``times`` is one datetime or one per row (naive = UTC); ``inference_ids`` is optional, one
    per row (``None`` = not passed). Returns one row per *captured* invocation, indexed like
    ``inputs``: ``event_id``, ``inference_id``, ``inference_time``, ``file``. Each line is
    byte-for-byte what ``CapturingEndpoint.invoke`` writes for the same row, id and time (the
    sampling draws and ids come from a numpy generator, so they differ from ``invoke``'s).
    """
    root = Path(destination) / _check_name(endpoint_name, "endpoint_name") / _check_name(variant_name, "variant_name")
    _check_settings(sampling_percentage, capture_mode)
    if not isinstance(inputs, pd.DataFrame):
        raise TypeError(f"inputs must be a DataFrame, got {type(inputs).__name__}")
    n = len(inputs)
    if isinstance(predictions, pd.DataFrame):
        outputs = predictions
    else:
        values = predictions.to_numpy() if isinstance(predictions, pd.Series) else np.asarray(predictions)
        outputs = pd.DataFrame(values) if values.ndim == 2 else pd.Series(values, name="prediction")
    if len(outputs) != n:
        raise ValueError(f"predictions has {len(outputs)} rows but inputs has {n}")
    stamps = pd.DatetimeIndex(pd.to_datetime(pd.Series(times) if np.ndim(times) else pd.Series([times] * n), utc=True))
    if len(stamps) != n:
        raise ValueError(f"times has {len(stamps)} values but inputs has {n}")
    if stamps.hasnans:
        raise ValueError("times has missing values")
    ids = None if inference_ids is None else pd.Series(list(inference_ids), dtype=object)
    if ids is not None and len(ids) != n:
        raise ValueError(f"inference_ids has {len(ids)} values but inputs has {n}")

    rng = np.random.default_rng(seed)
    keep = np.flatnonzero(rng.random(n) * 100 < sampling_percentage)
    accept = accept or content_type
    in_encoding = encoding_for(content_type, csv_content_types, json_content_types)
    out_encoding = encoding_for(accept, csv_content_types, json_content_types)
    stamps = stamps[keep]
    parts = ['{"captureData": {']
    if capture_mode != "Output":
        parts += ['"endpointInput": {"observedContentType": ', encode_basestring_ascii(content_type),
                  ', "mode": "INPUT", "data": ', _quoted(_frame_lines(inputs.iloc[keep], in_encoding)),
                  f', "encoding": "{in_encoding}"}}']
    if capture_mode != "Input":
        parts += [", " if capture_mode == "InputAndOutput" else "",
                  '"endpointOutput": {"observedContentType": ', encode_basestring_ascii(accept),
                  ', "mode": "OUTPUT", "data": ', _quoted(_frame_lines(outputs.iloc[keep], out_encoding)),
                  f', "encoding": "{out_encoding}"}}']
    event_ids = _uuid4_strings(rng.bytes(16 * len(keep)))
    parts += ['}, "eventMetadata": {"eventId": "', event_ids, '"']
    inference = None
    if ids is not None:
        inference = ids.iloc[keep].to_numpy()
        given = pd.notna(inference)
        quoted = np.array([encode_basestring_ascii(str(v)) for v in inference[given]], dtype=object)
        inference_part = np.full(len(keep), "", dtype=object)
        inference_part[given] = ', "inferenceId": ' + quoted
        parts.append(inference_part)
        inference = np.where(given, inference.astype(str), None)
    seconds = np.datetime_as_string(stamps.tz_localize(None).to_numpy().astype("datetime64[s]"), unit="s")
    parts += [', "inferenceTime": "', seconds.astype(object), 'Z"}, "eventVersion": "0"}\n']
    lines = np.full(len(keep), "", dtype=object)
    for part in parts:
        lines = lines + part

    files = np.empty(len(keep), dtype=object)
    hours = stamps.floor("h")
    hour_codes, hour_values = pd.factorize(hours, sort=True)
    order = np.argsort(hour_codes, kind="stable")
    bounds = np.searchsorted(hour_codes[order], np.arange(len(hour_values) + 1))
    for g, hour in enumerate(hour_values):
        rows = order[bounds[g]:bounds[g + 1]]
        directory = _hour_directory(root, hour.to_pydatetime())
        directory.mkdir(parents=True, exist_ok=True)
        path = _new_file(directory, stamps[rows[0]].to_pydatetime(), rng.bytes(4).hex())
        with path.open("x", encoding="utf-8") as handle:
            handle.write("".join(lines[rows]))
        files[rows] = str(path)
    index = inputs.index[keep]
    return pd.DataFrame({
        "event_id": pd.Series(event_ids, index=index, dtype=object),
        "inference_id": pd.Series(inference if inference is not None else [None] * len(keep), index=index, dtype=object),
        "inference_time": pd.Series(stamps.floor("s"), index=index),
        "file": pd.Series(files, index=index, dtype=object),
    })


def _frame_lines(frame: pd.DataFrame | pd.Series, encoding: str) -> list[str]:
    """One ``data`` string per row: a CSV line, or for JSON the row's object (a Series: its value)."""
    if len(frame) == 0:
        return []
    if encoding == "JSON":  # json.dumps per row: pandas' to_json would round floats to 10 digits
        plain = frame.astype(object).where(frame.notna(), None)
        rows = plain.tolist() if isinstance(plain, pd.Series) else plain.to_dict(orient="records")
        return list(map(json.dumps, rows))
    text = frame.to_csv(header=False, index=False, lineterminator="\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(frame):
        raise ValueError("a value contains a line break; a capture record holds one CSV line per row")
    if encoding == "BASE64":  # the CSV text, base64-encoded
        lines = [base64.b64encode(line.encode("utf-8")).decode("ascii") for line in lines]
    return lines


def _quoted(texts: list[str]) -> np.ndarray:
    return np.array(list(map(encode_basestring_ascii, texts)), dtype=object)


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_DASHES = (8, 13, 18, 23)


def _uuid4_strings(raw: bytes) -> np.ndarray:
    """Format 16 random bytes per id as UUID4 strings, vectorised (same as ``uuid.UUID(bytes=...)``)."""
    octets = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 16).copy()
    octets[:, 6] = (octets[:, 6] & 0x0F) | 0x40  # version 4
    octets[:, 8] = (octets[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    digits = np.empty((len(octets), 32), dtype=np.uint8)
    digits[:, 0::2] = _HEX[octets >> 4]
    digits[:, 1::2] = _HEX[octets & 0x0F]
    text = np.insert(digits, [8, 12, 16, 20], ord("-"), axis=1)
    return text.view("S36").ravel().astype(str).astype(object)


# -- reading back ------------------------------------------------------------------------------
def read_captured(destination: str | Path, endpoint_name: str, variant_name: str,
                  start: datetime | None = None, end: datetime | None = None, *,
                  input_columns: list[str] | None = None, output_columns: list[str] | None = None) -> pd.DataFrame:
    """Captured invocations with ``start <= inferenceTime < end`` (either bound optional).

    Columns: ``event_id``, ``inference_id`` (``None`` when not passed), ``inference_time``
    (UTC), then the input columns, then the output columns. CSV has no header, so input columns
    are ``_c0, _c1, ...`` (Spark's names) unless ``input_columns`` names them; a single output
    column is ``prediction`` (several: ``prediction_0, ...``) unless ``output_columns`` names them.
    JSON objects give their keys. A CSV payload with several lines gives several rows. To check
    data quality, pass only the feature columns: ``check_data_quality(frame[features], baseline)``
    (the id, time and prediction columns would be reported as extra columns).
    """
    root = Path(destination) / endpoint_name / variant_name
    start = as_utc(start, name="start") if start is not None else None
    end = as_utc(end, name="end") if end is not None else None
    return read_capture_files(_files_in_window(root, start, end), start, end,
                              input_columns=input_columns, output_columns=output_columns)


def hour_partitions(folder: str | Path) -> list[Path]:
    """Every ``yyyy/mm/dd/hh`` folder holding ``.jsonl`` files under ``folder`` (any depth), in time order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such capture folder")
    found = {path.parent for path in folder.rglob("*.jsonl")}
    hours = [d for d in found if len(d.parts) >= 4 and all(p.isdigit() for p in d.parts[-4:])]
    return sorted(hours, key=lambda d: (d.parts[-4:], str(d)))


def read_capture_files(files: list[Path], start: datetime | None = None, end: datetime | None = None, *,
                       input_columns: list[str] | None = None, output_columns: list[str] | None = None,
                       include_output: bool = True) -> pd.DataFrame:
    """The frame ``read_captured`` returns, from a list of capture files (``include_output=False``:
    without the endpoint output columns)."""
    records: list[dict] = []
    origins: list[tuple[Path, int]] = []
    for path in files:
        for number, record in _read_jsonl(path):
            records.append(record)
            origins.append((path, number))

    event_ids, inference_ids, times, inputs, outputs = [], [], [], [], []
    for record, (path, number) in zip(records, origins):
        try:
            metadata = record["eventMetadata"]
            capture = record["captureData"]
            event_ids.append(str(metadata["eventId"]))
            inference_ids.append(None if metadata.get("inferenceId") is None else str(metadata["inferenceId"]))
            times.append(metadata["inferenceTime"])
            inputs.append(capture.get("endpointInput"))
            outputs.append(capture.get("endpointOutput"))
        except (KeyError, TypeError, AttributeError):
            raise CaptureFormatError(f"{path}:{number}: not a capture record (needs captureData and "
                                     f"eventMetadata.eventId / inferenceTime)") from None
    stamps = pd.to_datetime(pd.Series(times, dtype=object), format="ISO8601", utc=True, errors="coerce")
    if stamps.isna().any():
        path, number = origins[int(np.flatnonzero(stamps.isna().to_numpy())[0])]
        raise CaptureFormatError(f"{path}:{number}: inferenceTime is not an ISO 8601 time")
    wanted = np.ones(len(stamps), dtype=bool)
    if start is not None:
        wanted &= (stamps >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        wanted &= (stamps < pd.Timestamp(end)).to_numpy()
    chosen = np.flatnonzero(wanted)
    chosen = chosen[np.argsort(stamps.to_numpy()[chosen], kind="stable")]
    origins = [origins[i] for i in chosen]
    base = pd.DataFrame({
        "event_id": pd.Series([event_ids[i] for i in chosen], dtype=object),
        "inference_id": pd.Series([inference_ids[i] for i in chosen], dtype=object),
        "inference_time": stamps.iloc[chosen].reset_index(drop=True),
    })
    halves = []
    for side, names, default in ((inputs, input_columns, "input"), (outputs, output_columns, "output")):
        halves.append(_decode_side([side[i] for i in chosen], origins, names, default))
    rows_in, frame_in = halves[0]
    rows_out, frame_out = halves[1]
    if not include_output and rows_in is not None:
        rows_out, frame_out = None, None
    if rows_in is not None and rows_out is not None and not np.array_equal(rows_in, rows_out):
        path, number = origins[int(np.flatnonzero(rows_in != rows_out)[0])]
        raise CaptureFormatError(f"{path}:{number}: input and output hold different numbers of rows")
    rows = rows_in if rows_in is not None else rows_out
    if rows is not None:
        base = base.iloc[np.repeat(np.arange(len(base)), rows)].reset_index(drop=True)
    clash = set(frame_in.columns) & set(frame_out.columns) if frame_in is not None and frame_out is not None else set()
    if clash:
        raise ValueError(f"input and output columns share names {sorted(clash)}; pass output_columns=")
    frames = [base] + [f for f in (frame_in, frame_out) if f is not None]
    return pd.concat(frames, axis=1) if len(frames) > 1 else base


def _files_in_window(root: Path, start: datetime | None, end: datetime | None) -> list[Path]:
    files = []
    for directory in sorted(root.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/[0-9][0-9]")):
        year, month, day, hour = (int(p) for p in directory.relative_to(root).parts)
        opened = datetime(year, month, day, hour, tzinfo=timezone.utc)
        if (end is not None and opened >= end) or (start is not None and opened + timedelta(hours=1) <= start):
            continue
        files.extend(sorted(directory.glob("*.jsonl")))
    return files


def _read_jsonl(path: Path) -> list[tuple[int, Any]]:
    """``(line number, record)`` for each non-blank line; the whole file is decoded in one call."""
    numbered = [(i, line) for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    try:
        parsed = json.loads("[" + ",".join(line for _, line in numbered) + "]")
        if len(parsed) == len(numbered):
            return [(i, record) for (i, _), record in zip(numbered, parsed)]
    except json.JSONDecodeError:
        pass
    for i, line in numbered:  # find the culprit line
        try:
            json.loads(line)
        except json.JSONDecodeError as exc:
            raise CaptureFormatError(f"{path}:{i}: malformed JSON: {exc.msg} (column {exc.colno})") from None
    raise CaptureFormatError(f"{path}: a line holds more than one JSON value")


def _decode_side(halves: list[dict | None], origins: list[tuple[Path, int]], names: list[str] | None,
                 side: str) -> tuple[np.ndarray | None, pd.DataFrame | None]:
    """Rows per record and the decoded columns of one side (input or output) of the records."""
    present = [h is not None for h in halves]
    if not any(present):
        return None, None
    if not all(present):
        path, number = origins[present.index(False)]
        raise CaptureFormatError(f"{path}:{number}: record has no endpoint{side.title()} while others have one")
    texts, kinds = [], []
    for half, (path, number) in zip(halves, origins):
        try:
            data, encoding, content_type = half["data"], half.get("encoding", "CSV"), half.get("observedContentType", "")
            if encoding == "BASE64":
                data = base64.b64decode(data, validate=True).decode("utf-8")
                encoding = "JSON" if "json" in content_type.lower() else "CSV" if "csv" in content_type.lower() else None
            if encoding not in ("CSV", "JSON") or not isinstance(data, str):
                raise CaptureFormatError(f"{path}:{number}: cannot read {side} data of type {content_type!r} as a table")
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CaptureFormatError):
                raise
            raise CaptureFormatError(f"{path}:{number}: unreadable endpoint{side.title()}: {exc}") from None
        texts.append(data)
        kinds.append(encoding)
    if len(set(kinds)) > 1:
        path, number = origins[kinds.index(kinds[-1])]
        raise CaptureFormatError(f"{path}:{number}: {side} encodings are mixed ({', '.join(sorted(set(kinds)))}) in one window")
    if kinds[0] == "CSV":
        rows, frame = _decode_csv(texts, origins)
    else:
        rows, frame = _decode_json(texts, origins)
    if names is not None:
        if len(names) != frame.shape[1]:
            raise ValueError(f"{side}_columns names {len(names)} columns but the captured {side} has {frame.shape[1]}")
        frame.columns = list(names)
    elif side == "output" and all(str(c).startswith("_c") for c in frame.columns):
        frame.columns = ["prediction"] if frame.shape[1] == 1 else [f"prediction_{i}" for i in range(frame.shape[1])]
    return rows, frame


def _decode_csv(texts: list[str], origins: list[tuple[Path, int]]) -> tuple[np.ndarray, pd.DataFrame]:
    per_record = [t.rstrip("\n").split("\n") for t in texts]
    rows = np.fromiter(map(len, per_record), dtype=np.int64, count=len(per_record))
    lines = [line for group in per_record for line in group]
    widths = np.fromiter(map(len, csv.reader(lines)), dtype=np.int64, count=len(lines))
    if len(widths) and (widths != widths[0]).any():
        bad = int(np.flatnonzero(widths != widths[0])[0])
        path, number = origins[int(np.searchsorted(np.cumsum(rows), bad, side="right"))]
        raise CaptureFormatError(f"{path}:{number}: CSV data has {widths[bad]} fields, earlier records have {widths[0]}")
    frame = pd.read_csv(io.StringIO("\n".join(lines) + "\n"), header=None, keep_default_na=False, na_values=[""])
    frame.columns = [f"_c{i}" for i in range(frame.shape[1])]
    return rows, frame


def _decode_json(texts: list[str], origins: list[tuple[Path, int]]) -> tuple[np.ndarray, pd.DataFrame]:
    rows, table = [], []
    for text, (path, number) in zip(texts, origins):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CaptureFormatError(f"{path}:{number}: data is not valid JSON: {exc.msg}") from None
        many = isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value)
        items = value if many else [value]
        rows.append(len(items))
        table.extend(item if isinstance(item, (dict, list)) else [item] for item in items)
    if all(isinstance(item, dict) for item in table):
        frame = pd.DataFrame.from_records(table)
    elif not any(isinstance(item, dict) for item in table):
        frame = pd.DataFrame(table)
        frame.columns = [f"_c{i}" for i in range(frame.shape[1])]
    else:
        raise CaptureFormatError(f"{origins[0][0]}: JSON data mixes objects and arrays")
    return np.asarray(rows, dtype=np.int64), frame
