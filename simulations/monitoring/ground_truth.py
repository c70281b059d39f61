"""Ground-truth labels: the JSONL records, their label-date partitions, and the merge.

A record (one per line)::

    {"groundTruthData": {"data": "1", "encoding": "CSV"},
     "eventMetadata": {"eventId": "42"}, "eventVersion": "0"}

``eventId`` must equal the captured record's ``inferenceId`` when the capture has one, and the
captured ``eventId`` otherwise. Files live under ``{root}/yyyy/mm/dd/hh/`` where the date is when
the label was *collected*, not when the inference happened; one upload is one file named after
the upload minute and second (``MMSS.jsonl``, as the AWS example notebook does).

In memory, labels are a DataFrame with columns ``event_id`` (str), ``label`` (str, the ``data``
field as written) and ``label_time`` (UTC). The merge keeps captured records inside the window
that have a label; unmatched records drop out (AWS does not say so explicitly).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from .utc import as_utc

LABEL_COLUMNS = ("event_id", "label", "label_time")
_FILE_NAME = re.compile(r"(\d{2})(\d{2})(?:-\d+)?\.jsonl")


class GroundTruthFormatError(ValueError):
    """A ground-truth file holds a line that is not a valid record; the message starts ``file:line:``."""


# writing ---------------------------------------------------------------------------------
def _json_strings(values: pd.Series) -> pd.Series:
    """JSON string literals for every value; the plain-quote fast path covers ordinary ids."""
    text = values.astype(str)
    plain = text.str.fullmatch(r'[^"\\\x00-\x1f]*')
    if bool(plain.all()):
        return '"' + text + '"'
    return text.map(json.dumps)


def ground_truth_lines(labels: pd.DataFrame) -> pd.Series:
    """One JSON line per row of ``labels`` (vectorised string building, no per-row ``json.dumps``)."""
    _require_columns(labels, ("event_id", "label"), "labels")
    if labels["label"].isna().any() or labels["event_id"].isna().any():
        bad = labels.index[labels["label"].isna() | labels["event_id"].isna()][0]
        raise ValueError(f"labels row {bad!r} has no event_id or no label; every label record needs both")
    return (
        '{"groundTruthData": {"data": '
        + _json_strings(labels["label"])
        + ', "encoding": "CSV"}, "eventMetadata": {"eventId": '
        + _json_strings(labels["event_id"])
        + '}, "eventVersion": "0"}'
    )


def write_ground_truth(labels: pd.DataFrame, root: str | Path) -> list[Path]:
    """Write ``labels`` (``event_id``, ``label``, ``label_time``) under ``root/yyyy/mm/dd/hh/``.

    Rows are grouped by the UTC hour of ``label_time``; each group is one upload, written to
    ``MMSS.jsonl`` named after the group's latest label time (the moment it could be uploaded).
    Existing files are never overwritten (``MMSS-1.jsonl`` and so on). Returns the paths written.
    """
    _require_columns(labels, LABEL_COLUMNS, "labels")
    root = Path(root)
    if labels.empty:
        return []
    lines = ground_truth_lines(labels)
    times = pd.to_datetime(labels["label_time"], utc=True)
    if times.isna().any():
        raise ValueError("labels has rows without a label_time")
    frame = pd.DataFrame({"line": lines.reset_index(drop=True), "time": times.reset_index(drop=True)})
    frame["hour"] = frame["time"].dt.floor("h")
    written = []
    for hour, group in frame.groupby("hour", sort=True):
        upload = group["time"].max()
        folder = root / f"{hour:%Y/%m/%d/%H}"
        folder.mkdir(parents=True, exist_ok=True)
        path = _free_path(folder, f"{upload:%M%S}")
        path.write_text("\n".join(group["line"]) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _free_path(folder: Path, stem: str) -> Path:
    path, n = folder / f"{stem}.jsonl", 0
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.jsonl"
    return path


# reading ---------------------------------------------------------------------------------
def read_ground_truth(root: str | Path, *, until: datetime | str | None = None) -> pd.DataFrame:
    """Read every ``root/yyyy/mm/dd/hh/*.jsonl`` file into ``event_id``, ``label``, ``label_time``.

    ``label_time`` is the upload time the path and file name give (hour folder + ``MMSS``; the
    hour alone when the name is not ``MMSS.jsonl``). With ``until``, only labels uploaded at or
    before it are returned. A bad line raises ``GroundTruthFormatError`` with ``file:line:``.
    """
    root = Path(root)
    frames = []
    for path in sorted(root.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*.jsonl")):
        uploaded = _upload_time(path, root)
        if until is not None and uploaded > as_utc(until, name="until"):
            continue
        frame = _read_file(path)
        frame["label_time"] = pd.Timestamp(uploaded)
        frames.append(frame)
    if not frames:
        return pd.DataFrame({"event_id": pd.Series(dtype=str), "label": pd.Series(dtype=str),
                             "label_time": pd.Series(dtype="datetime64[ns, UTC]")})
    return pd.concat(frames, ignore_index=True)


def _upload_time(path: Path, root: Path) -> pd.Timestamp:
    year, month, day, hour = (int(p) for p in path.relative_to(root).parts[:4])
    try:
        moment = datetime(year, month, day, hour)
    except ValueError:
        raise GroundTruthFormatError(f"{path}: folder is not a valid yyyy/mm/dd/hh date") from None
    match = _FILE_NAME.fullmatch(path.name)
    if match and int(match[1]) < 60 and int(match[2]) < 60:
        moment = moment.replace(minute=int(match[1]), second=int(match[2]))
    return as_utc(moment)


def _read_file(path: Path) -> pd.DataFrame:
    numbered = [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    try:  # one C-level parse for the whole file; per-line parsing only to locate an error
        records = json.loads("[" + ",".join(line for _, line in numbered) + "]")
    except json.JSONDecodeError:
        for n, line in numbered:
            try:
                json.loads(line)
            except json.JSONDecodeError as error:
                raise GroundTruthFormatError(f"{path}:{n}: not valid JSON ({error.msg})") from None
        raise
    event_ids, labels = [], []
    for (n, _), record in zip(numbered, records):
        event_id, label = _fields(record)
        if not (isinstance(event_id, str) and isinstance(label, str)):
            raise GroundTruthFormatError(f"{path}:{n}: {_problem(record)}")
        event_ids.append(event_id)
        labels.append(label)
    return pd.DataFrame({"event_id": pd.Series(event_ids, dtype=str), "label": pd.Series(labels, dtype=str)})


def _fields(record: object) -> tuple[object, object]:
    try:
        if record["groundTruthData"].get("encoding") != "CSV" or "eventVersion" not in record:
            return None, None
        return record["eventMetadata"]["eventId"], record["groundTruthData"]["data"]
    except (TypeError, KeyError, AttributeError):
        return None, None


def _problem(record: object) -> str:
    """A precise description of what is wrong with a record ``_fields`` rejected."""
    shape = 'expected {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "..."}, "eventVersion": "0"}'
    if not isinstance(record, dict):
        return f"a record must be a JSON object; {shape}"
    truth, meta = record.get("groundTruthData"), record.get("eventMetadata")
    if not isinstance(truth, dict) or "data" not in truth:
        return f"missing groundTruthData.data; {shape}"
    if not isinstance(truth["data"], str):
        return f"groundTruthData.data must be a string such as \"1\", got {json.dumps(truth['data'])}"
    if truth.get("encoding") != "CSV":
        return f"groundTruthData.encoding must be \"CSV\" (the only documented encoding), got {json.dumps(truth.get('encoding'))}"
    if not isinstance(meta, dict) or "eventId" not in meta:
        return f"missing eventMetadata.eventId; {shape}"
    if not isinstance(meta["eventId"], str):
        return f"eventMetadata.eventId must be a string, got {json.dumps(meta['eventId'])}"
    return f"missing eventVersion; {shape}"


# merging ---------------------------------------------------------------------------------
@dataclass
class MergeResult:
    """The merged records (captured columns + ``label``, ``label_time``) and what happened to the rest."""

    merged: pd.DataFrame
    in_window: int  # captured records with inference_time in [start, end)
    matched: int  # of those, records with a label
    unmatched: int  # of those, records without one (they drop out)
    labels_not_yet_available: int  # labels ignored because label_time > labels_available_at


def join_keys(captured: pd.DataFrame) -> pd.Series:
    """The ground-truth ``eventId`` each captured record needs: its inferenceId, else its eventId."""
    _require_columns(captured, ("event_id", "inference_id"), "captured")
    inference = captured["inference_id"]
    has_inference = inference.notna() & inference.astype(str).ne("")
    return inference.where(has_inference, captured["event_id"]).astype(str)


def merge_ground_truth(
    captured: pd.DataFrame,
    labels: pd.DataFrame,
    window_start: datetime | str,
    window_end: datetime | str,
    labels_available_at: datetime | str | None = None,
) -> MergeResult:
    """Join captured records whose ``inference_time`` is in ``[window_start, window_end)`` to labels.

    ``captured`` needs ``event_id``, ``inference_id`` (None/NaN when absent) and
    ``inference_time``; ``labels`` needs ``event_id`` and ``label`` (and ``label_time`` to use
    ``labels_available_at``). When a key has several labels, the latest (by ``label_time``,
    then by order) wins: a simulator choice, AWS does not document it.
    """
    _require_columns(captured, ("event_id", "inference_id", "inference_time"), "captured")
    _require_columns(labels, ("event_id", "label"), "labels")
    clash = [c for c in ("label", "label_time") if c in captured.columns]
    if clash:
        raise ValueError(f"captured already has column(s) {clash}; rename them before merging labels")
    start, end = as_utc(window_start, name="window_start"), as_utc(window_end, name="window_end")
    if start >= end:
        raise ValueError(f"window_start {start.isoformat()} must be before window_end {end.isoformat()}")

    times = pd.to_datetime(captured["inference_time"], utc=True)
    in_window = captured.loc[(times >= pd.Timestamp(start)) & (times < pd.Timestamp(end))]

    pending = 0
    if "label_time" in labels.columns:
        labels = labels.assign(label_time=pd.to_datetime(labels["label_time"], utc=True))
        if labels_available_at is not None:
            arrived = labels["label_time"] <= pd.Timestamp(as_utc(labels_available_at, name="labels_available_at"))
            pending = int((~arrived).sum())
            labels = labels.loc[arrived]
        labels = labels.sort_values("label_time", kind="stable")
    elif labels_available_at is not None:
        raise ValueError("labels_available_at needs a label_time column in labels")
    keep = [c for c in ("event_id", "label", "label_time") if c in labels.columns]
    latest = labels[keep].assign(event_id=labels["event_id"].astype(str)).drop_duplicates("event_id", keep="last")

    keyed = in_window.assign(_join_key=join_keys(in_window).to_numpy())
    merged = keyed.merge(latest.rename(columns={"event_id": "_join_key"}), on="_join_key", how="inner")
    merged = merged.drop(columns="_join_key")
    return MergeResult(
        merged=merged,
        in_window=len(in_window),
        matched=len(merged),
        unmatched=len(in_window) - len(merged),
        labels_not_yet_available=pending,
    )


def _require_columns(frame: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}; it has {list(frame.columns)}")
