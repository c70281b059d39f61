"""The monitoring engine: a small, offline model of SageMaker Model Monitor.

Pure functions over pandas/numpy (never ``textual`` or ``quizapp``). The file formats follow
the real service (see ``reference/sagemaker-model-monitor.md``); where AWS is silent, each
module's docstring says which choice this model makes.

Data capture (``capture``)
    ``CapturingEndpoint(endpoint_name, variant_name, predict_fn, destination, *, sampling_percentage=100,
    capture_mode="InputAndOutput", seed=0, clock=None).invoke(payload, inference_id=None,
    content_type="text/csv", accept=None, at=None)`` -> prediction, captured as one JSONL record under
    ``{destination}/{endpoint}/{variant}/yyyy/mm/dd/hh/``.
    ``capture_frame(endpoint_name, variant_name, inputs, predictions, destination, *, times, inference_ids=None,
    sampling_percentage=100, seed=0, ...)`` -> DataFrame of captured ``event_id``/``inference_id``/...
    ``read_captured(destination, endpoint_name, variant_name, start=None, end=None, *, input_columns=None,
    output_columns=None)`` -> DataFrame; a malformed line raises ``CaptureFormatError`` (``file:line: ...``).

Baseline (``baseline``)
    ``suggest_baseline(df) -> Baseline`` with ``.statistics`` / ``.constraints`` (the two JSON documents as
    dicts), ``.problems`` (column names that are not Spark-compatible), ``.warnings`` (constraint keys not
    read: legacy or unknown), ``.save(dir)``, ``Baseline.load(dir)``,
    and edited copies: ``.with_threshold(0.2)``, ``.with_monitoring_config(comparison_method="Simple")``,
    ``.with_feature_constraints("age", completeness=0.9)``.

Data too large for memory (``streaming``, sketches in ``sketch``)
    ``suggest_baseline`` and ``check_data_quality``/``data_quality_report``/``drift_distances`` also take
    an iterable of DataFrame chunks, a data-capture folder (``yyyy/mm/dd/hh`` partitions of JSONL) or a Dask
    DataFrame; profiles merge (``profile.profile_frame(a).merge(profile_frame(b))``), numeric CDFs within
    ``sketch.RANK_ERROR`` (1/4096) of exact.

Data-quality checks (``checks``, distances in ``drift``)
    ``check_data_quality(df, baseline) -> {"violations": [{"feature_name", "constraint_check_type",
    "description"}]}``; ``drift_distances(df, baseline) -> {feature: distance}``;
    ``data_quality_report(df, baseline)`` -> both plus the current data's ``statistics.json``.

Model quality (``model_quality``)
    ``model_quality_statistics(problem_type, y_true, y_pred, *, y_score=None, positive_label=1, seed=0)``,
    ``suggest_model_quality_constraints(statistics, *, tolerance=0.0)``,
    ``check_model_quality(statistics, constraints) -> {"violations": [{"metric_name", ...}]}``.

Example::

    from simulations.monitoring import suggest_baseline, check_data_quality, drift_distances

    baseline = suggest_baseline(training_df)          # statistics + suggested constraints
    baseline.save("baseline/")                         # statistics.json, constraints.json
    report = check_data_quality(this_week_df, baseline)
    for v in report["violations"]:
        print(v["feature_name"], v["constraint_check_type"], v["description"])
    # e.g. age baseline_drift_check Baseline drift distance: 0.2712103 exceeds threshold: 0.1
    drift_distances(this_week_df, baseline)            # {"age": 0.2712, "state": 0.04, ...}
    looser = baseline.with_threshold(0.3)              # edit, then save again
    looser.save("baseline/")
"""

from simulations.monitoring.baseline import Baseline, suggest_baseline
from simulations.monitoring.capture import CaptureFormatError, CapturingEndpoint, capture_frame, read_captured
from simulations.monitoring.checks import DataQualityReport, check_data_quality, data_quality_report, drift_distances
from simulations.monitoring.model_quality import (
    PROBLEM_TYPES,
    binary_classification_metrics,
    check_model_quality,
    model_quality_statistics,
    multiclass_classification_metrics,
    regression_metrics,
    suggest_model_quality_constraints,
)

__all__ = [
    "Baseline",
    "CaptureFormatError",
    "CapturingEndpoint",
    "DataQualityReport",
    "PROBLEM_TYPES",
    "binary_classification_metrics",
    "capture_frame",
    "check_data_quality",
    "check_model_quality",
    "data_quality_report",
    "drift_distances",
    "model_quality_statistics",
    "multiclass_classification_metrics",
    "read_captured",
    "regression_metrics",
    "suggest_baseline",
    "suggest_model_quality_constraints",
]

# --- part 2 exports (ground truth, hooks, schedule, metrics) ---
# Offsets and windows (durations), ground truth, pre/post-processing hooks (hooks), cron and the
# simulated clock, schedules and executions (schedule), CloudWatch metrics/alarms, SNS topics.
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cloudwatch import Alarm, CloudWatch, MetricStore
from simulations.monitoring.cron import CronExpressionGenerator, next_fire_times, parse_cron
from simulations.monitoring.durations import format_offset, monitoring_window, parse_offset
from simulations.monitoring.ground_truth import (
    GroundTruthFormatError,
    MergeResult,
    merge_ground_truth,
    read_ground_truth,
    write_ground_truth,
)
from simulations.monitoring.hooks import InferenceRecord, PreprocessingError, apply_preprocessing, load_handler, run_job
from simulations.monitoring.schedule import (
    ModelMonitorService,
    MonitoringExecution,
    MonitoringJobError,
    MonitoringSchedule,
    ResourceInUse,
    ResourceNotFound,
)
from simulations.monitoring.sns import Outbox, Topic

__all__ += [
    "Alarm",
    "CloudWatch",
    "CronExpressionGenerator",
    "GroundTruthFormatError",
    "InferenceRecord",
    "MergeResult",
    "MetricStore",
    "ModelMonitorService",
    "MonitoringExecution",
    "MonitoringJobError",
    "MonitoringSchedule",
    "Outbox",
    "PreprocessingError",
    "ResourceInUse",
    "ResourceNotFound",
    "SimulatedClock",
    "Topic",
    "apply_preprocessing",
    "format_offset",
    "load_handler",
    "merge_ground_truth",
    "monitoring_window",
    "next_fire_times",
    "parse_cron",
    "parse_offset",
    "read_ground_truth",
    "run_job",
    "write_ground_truth",
]
