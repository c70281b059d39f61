"""The names of the teaching simulations. Importing this costs nothing (no numpy/pandas):
the content loader uses it to validate ``simulation:`` links in question files."""

SIMULATION_NAMES: tuple[str, ...] = (
    "sales-drift",
    "stale-baseline",
    "retraining-strategies",
    "overfitting-alerts",
    "ground-truth-merge",
    "capture-preprocessing",
    "endpoint-autoscaling",
    "deployment-guardrails",
    "clarify-monitors",
    "training-monitors",
    "violation-types",
    "monitoring-schedules",
    "service-limits",
    "cloudwatch-alarms",
    "model-quality-constraints",
    "monitoring-scripts",
    "retraining-triggers",
    "endpoint-metrics",
)


def module_name(name: str) -> str:
    """``sales-drift`` -> ``simulations.sales_drift``."""
    return "simulations." + name.replace("-", "_")
