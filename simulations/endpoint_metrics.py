"""The CloudWatch metrics a SageMaker endpoint publishes, computed from a simulated request log.

Four endpoints, each a request log (one row per InvokeEndpoint call, vectorised numpy/pandas) from
which the service's metrics are computed and published, per request, into the engine's
``MetricStore`` in ``AWS/SageMaker`` (dimensions ``EndpointName``, ``VariantName``), as SageMaker does:

- ``Invocation4XXErrors`` / ``Invocation5XXErrors``: 1 for each 4xx / 5xx response, otherwise 0
  (Average = error rate, Sum = count); ``Invocations``; ``ModelLatency`` (the container's time as
  SageMaker sees it) and ``OverheadLatency`` (SageMaker's own time on the request minus
  ModelLatency), both in **Microseconds**; ``CPUUtilization`` per instance in ``/aws/sagemaker/Endpoints``.
- serverless: ``ModelSetupTime`` (Microseconds), one datapoint per cold start, i.e. when new
  compute is launched; for serverless endpoints ``OverheadLatency`` includes that cold-start time.
- multi-model: ``ModelLoadingWaitTime`` (Microseconds; how long a request waited for its target model
  to be downloaded or loaded), ``ModelDownloadingTime``, ``ModelLoadingTime`` and ``ModelCacheHit``
  (1 when the model was already loaded, else 0; Average = hit ratio).

Worlds (one per question; the quiet-week control removes every premise at once):

1. **release** (mon-4xx-after-client-release): two hours of a recommendation endpoint (4
   instances, each serving at most ``capacity_per_instance`` requests a minute; beyond that the model
   server answers 503). At minute 60 a new app version starts sending ``new_client_share`` of the
   traffic. ``cause`` decides what the new version does: ``bad-payload`` (a share of its requests
   use a content type the container rejects with 415), ``crash-input`` (a share of its requests
   crash the current model version's handler: 500; the previous version handles them),
   ``s3-permissions`` (the role loses S3 access at the release; the instance replaced ten minutes
   later cannot read the model artifact and answers 500) or ``none``. Each option is replayed as an
   action (twice the instances, the previous model version) on the same requests.
2. **latency** (mon-latency-model-vs-overhead): 12 hours before and 12 after a new model version
   whose feature pipeline adds ``pipeline_extra_ms`` to the container's median time;
   ``network_extra_ms`` can slow the client's network path instead. The client sees
   network + OverheadLatency + ModelLatency; InvokeEndpoint times out after 60 s.
3. **serverless** (mon-serverless-cold-start): a week of low, irregular traffic; compute is released
   after ``idle_release_minutes`` without a request, and the next request waits for ModelSetupTime
   (6-8 s). Replayed with MaxConcurrency 200, 6144 MB memory, client back-off and provisioned
   concurrency scheduled for office hours.
4. **multi-model** (mon-mme-cold-load-metrics): 800 tenant models, Zipf-distributed traffic, a cache
   holding ``cache_models`` models. Whether a request finds its model loaded follows the LRU cache's
   characteristic time (Che's approximation: a model is evicted once about ``cache_models`` other
   models were used since its last request), so no per-request loop is needed.

Modelling choices: ModelLatency is published for answered requests (status below 400); the units of
ModelSetupTime and the multi-model metrics follow the monitoring-cloudwatch table as remembered (Microseconds
for the times, None for ModelCacheHit): the excerpts found confirm their meanings, not their units.
Only the units enter the words; no verdict depends on them except latency's (microseconds, F50).
Not modelled: throttling by the real-time service, model-server queueing inside a minute beyond
the 503 rule, per-model metrics (SageMaker does not publish them), percentiles in the engine (the
p99 figures are computed from the published samples here, as CloudWatch's extended statistics would).

Sources (checked 2026-12-01):
- https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html (invocation metrics and
  their units; ModelLatency and OverheadLatency in microseconds, as the project's fact F50 says)
- https://repost.aws/knowledge-center/sagemaker-endpoint-latency (ModelLatency vs OverheadLatency;
  ModelLoadingWaitTime, ModelDownloadingTime, ModelLoadingTime, ModelCacheHit)
- https://docs.aws.amazon.com/sagemaker/latest/dg/multi-model-endpoint-cloudwatch-metrics.html
- https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-monitoring.html (the exhaustive
  serverless list; OverheadLatency includes the cold-start time)
- https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RecommendationMetrics.html (ModelSetupTime)
- https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html (4XX/5XX: 1 per error
  response else 0, Units None, Average/Sum; async endpoints publish no Invocations or OverheadLatency. The
  async backlog question is not served here: its wrong options turn on which metrics are published where,
  a product fact no computation shows)
- https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html
  (MaxConcurrency 1-200, MemorySizeInMB 1024-6144, ProvisionedConcurrency)
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.cloudwatch import MetricStore
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Event, Outcome, Series, SimulationResult, criterion

NS = "AWS/SageMaker"
INSTANCE_NS = "/aws/sagemaker/Endpoints"
START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday
EPOCH0 = START.timestamp()

RELEASE_MINUTES, RELEASE_AT, INSTANCES = 120, 60, 4
LATENCY_HOURS = 12  # before and after the new version each
SLA_MS, TIMEOUT_S = 200.0, 60.0
SERVERLESS_DAYS, OFFICE = 7, (9, 18)  # office hours 09:00-18:00 UTC, Monday to Friday
SLOW_S = 1.0
MME_MODELS, MME_MINUTES, MME_INSTANCES = 800, 2 * 1440, 2
SEPARATES = 0.8  # separation (2 |AUC - 0.5|) a metric needs between minutes with and without a slow request

INFO = SimulationInfo(
    name="endpoint-metrics",
    title="Endpoint metrics: what Invocation4XX/5XX, ModelLatency, ModelSetupTime and ModelCacheHit show",
    summary="Request logs of a real-time, a serverless and a multi-model endpoint, turned into the CloudWatch metrics "
            "SageMaker publishes; each answer option is replayed and judged by what those metrics show.",
    questions=(
        QuestionLink("mon-4xx-after-client-release", {"A": "release:client-payload", "B": "release:scale-out",
                                                      "C": "release:rollback-model", "D": "release:s3-permissions"}),
        QuestionLink("mon-latency-model-vs-overhead", {"A": "latency:overhead", "B": "latency:network",
                                                       "C": "latency:container-code", "D": "latency:timeouts-in-ms"}),
        QuestionLink("mon-serverless-cold-start", {"A": "serverless:overhead-max-concurrency", "B": "serverless:model-latency-memory",
                                                   "C": "serverless:setup-time-provisioned", "D": "serverless:5xx-backoff"}),
        QuestionLink("mon-mme-cold-load-metrics", {"A": "mme:ModelSetupTime", "B": "mme:ModelLoadingWaitTime",
                                                   "C": "mme:Invocation5XXErrors", "D": "mme:InvocationsPerInstance",
                                                   "E": "mme:ModelCacheHit"}),
    ),
    params=(
        ParamSpec("requests_per_minute", int, 600, "release world: requests a minute before the release", min=100, max=2000),
        ParamSpec("traffic_growth", float, 0.05, "release world: traffic added by the release (0.05 = +5 %)", min=0.0, max=3.0),
        ParamSpec("capacity_per_instance", int, 250, "release world: requests a minute one instance serves before answering 503",
                  min=50, max=2000),
        ParamSpec("cause", str, "bad-payload", "release world: what the new app version changes",
                  choices=("bad-payload", "crash-input", "s3-permissions", "none")),
        ParamSpec("new_client_share", float, 0.8, "release world: share of the traffic from the new app after the release",
                  min=0.0, max=1.0),
        ParamSpec("affected_share", float, 0.375, "release world: share of the new app's requests the cause affects",
                  min=0.0, max=1.0),
        ParamSpec("pipeline_extra_ms", float, 102.0, "latency world: median time the new version's feature pipeline adds",
                  min=0.0, max=120000.0),
        ParamSpec("network_extra_ms", float, 0.0, "latency world: time added to the client's network path at the same moment",
                  min=0.0, max=5000.0),
        ParamSpec("office_rate", float, 0.15, "serverless world: requests a minute in office hours", min=0.01, max=60.0),
        ParamSpec("offhours_rate", float, 0.01, "serverless world: requests a minute outside office hours", min=0.0, max=60.0),
        ParamSpec("idle_release_minutes", int, 15, "serverless world: idle minutes after which compute is released",
                  min=1, max=120),
        ParamSpec("cache_models", int, 600, "multi-model world: models the container cache holds (800 tenants)",
                  min=10, max=MME_MODELS),
        ParamSpec("mme_requests_per_minute", float, 10.0, "multi-model world: requests a minute over all tenants",
                  min=1.0, max=200.0),
    ),
    facts=("F50", "F57", "F58"),
    presets=(
        Preset("quiet-week", {"cause": "none", "pipeline_extra_ms": 0.0, "office_rate": 2.0, "offhours_rate": 2.0,
                              "cache_models": MME_MODELS},
               "nothing goes wrong: the app release changes nothing, no new model version, steady serverless traffic, "
               "every tenant model stays cached", control=True,
               premise="no premise: no client change, no slower model, no idle gaps, no cold model loads"),
        Preset("overload", {"cause": "none", "traffic_growth": 1.5},
               "the release brings 2.5x the traffic and the fleet runs out of capacity"),
        Preset("crash-input", {"cause": "crash-input"}, "the new app sends inputs that crash the current model version"),
        Preset("s3-permissions", {"cause": "s3-permissions"}, "the role loses S3 access and a replaced instance cannot load its model"),
        Preset("network-regression", {"pipeline_extra_ms": 0.0, "network_extra_ms": 300.0},
               "the client's network path, not the model, gets 300 ms slower"),
    ),
)


# -- publishing: the service side of the metric store ---------------------------------------------------------------------
class ServiceMetrics(MetricStore):
    """The metric store as SageMaker writes it (``publish_service_metric``: the ``AWS/`` namespace is
    the service's own), with times in seconds since ``START``."""

    def publish(self, namespace: str, metric_name: str, values, seconds, dimensions: dict, unit: str) -> None:
        self.publish_service_metric(namespace, metric_name, values, EPOCH0 + np.asarray(seconds, dtype=float), dimensions, unit)

    def samples(self, namespace: str, metric_name: str, dimensions: dict) -> tuple[np.ndarray, np.ndarray]:
        """(seconds since START, values) of every published datapoint; empty arrays if none."""
        times, values, _ = self.datapoints(namespace, metric_name, dimensions)
        return times - EPOCH0, values

    def per_period(self, namespace: str, metric_name: str, dimensions: dict, period: int, slots: int, statistic: str) -> np.ndarray:
        return self.period_statistics(namespace, metric_name, dimensions, START, period, slots)[statistic]

    def unit(self, namespace: str, metric_name: str, dimensions: dict) -> str:
        return self.datapoints(namespace, metric_name, dimensions)[2]


def dims(endpoint: str) -> dict:
    return {"EndpointName": endpoint, "VariantName": "AllTraffic"}


def p99(values: np.ndarray) -> float:
    return float(np.percentile(values, 99)) if len(values) else 0.0


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def share(part: float, whole: float) -> float:
    return round(float(part) / float(whole), 4) if whole > 0 else 0.0


# -- world 1: the app release -----------------------------------------------------------------------------------------------
def release_requests(p: dict, rng: np.random.Generator) -> pd.DataFrame:
    minute_index = np.arange(RELEASE_MINUTES)
    rate = p["requests_per_minute"] * np.where(minute_index >= RELEASE_AT, 1.0 + p["traffic_growth"], 1.0)
    minute = np.repeat(minute_index, rng.poisson(rate))
    n = len(minute)
    after = minute >= RELEASE_AT
    return pd.DataFrame({
        "second": minute * 60 + rng.uniform(0, 60, n), "minute": minute, "after": after,
        "new_app": after & (rng.random(n) < p["new_client_share"]), "u_cause": rng.random(n),
        "u_400": rng.random(n), "u_500": rng.random(n), "slot": rng.integers(0, 1 << 30, n),
        "z_model": rng.standard_normal(n), "z_overhead": rng.standard_normal(n),
    })


def serve_release(d: pd.DataFrame, p: dict, instances: int = INSTANCES, model: str = "current") -> pd.DataFrame:
    """Status, log line, latencies and instance of every request (vectorised). ``model`` "previous" is the rollback."""
    affected = d["new_app"].to_numpy() & (d["u_cause"].to_numpy() < p["affected_share"])
    instance = d["slot"].to_numpy() % instances
    rank = pd.Series(np.zeros(len(d))).groupby([d["minute"].to_numpy(), instance]).cumcount().to_numpy()
    overloaded = rank >= p["capacity_per_instance"]
    replaced_at = RELEASE_AT + 10
    no_artifact = (p["cause"] == "s3-permissions") & (instance == 0) & (d["minute"].to_numpy() >= replaced_at)
    bad_payload = affected & (p["cause"] == "bad-payload")
    crash = affected & (p["cause"] == "crash-input") & (model == "current")
    legacy_400, legacy_500 = d["u_400"].to_numpy() < 0.002, d["u_500"].to_numpy() < 0.0005
    status = np.full(len(d), 200)
    log = np.full(len(d), "ok", dtype=object)
    for mask, code, line in ((legacy_500, 500, "worker error"), (legacy_400, 400, "payload: malformed CSV row"),
                             (crash, 500, "crash: worker died on field 'promo_code'"),
                             (bad_payload, 415, "payload: unsupported content type application/json, expected text/csv"),
                             (no_artifact, 500, "artifact: model not loaded, S3 AccessDenied on model.tar.gz"),
                             (overloaded, 503, "overload: model server queue full")):
        status[mask], log[mask] = code, line
    served = status != 503  # CPU: the container reads, parses and answers every request it gets, rejected or not
    load = pd.Series(served.astype(float)).groupby([d["minute"].to_numpy(), instance]).transform("sum").to_numpy()
    utilization = np.minimum(load / p["capacity_per_instance"], 1.0)
    model_us = 40_000 * np.exp(0.25 * d["z_model"].to_numpy()) * (1 + 2 * np.maximum(0.0, utilization - 0.8))
    model_us = np.where(status == 415, 1_500.0, model_us)
    return pd.DataFrame({"second": d["second"], "minute": d["minute"], "after": d["after"], "new_app": d["new_app"],
                         "instance": instance, "status": status, "log": log, "served": served,
                         "model_latency_us": np.round(model_us), "overhead_latency_us": np.round(4_000 * np.exp(0.2 * d["z_overhead"].to_numpy())),
                         "utilization": utilization})


def publish_release(store: ServiceMetrics, log: pd.DataFrame, endpoint: str) -> None:
    dm, t = dims(endpoint), log["second"].to_numpy()
    store.publish(NS, "Invocations", np.ones(len(log)), t, dm, "None")
    store.publish(NS, "Invocation4XXErrors", ((log["status"] >= 400) & (log["status"] < 500)).astype(float), t, dm, "None")
    store.publish(NS, "Invocation5XXErrors", (log["status"] >= 500).astype(float), t, dm, "None")
    served = log[log["status"] < 400]  # answered requests (whether error responses count is not documented)
    store.publish(NS, "ModelLatency", served["model_latency_us"], served["second"], dm, "Microseconds")
    store.publish(NS, "OverheadLatency", served["overhead_latency_us"], served["second"], dm, "Microseconds")
    cpu = log.groupby(["minute", "instance"])["utilization"].first().reset_index()
    store.publish(INSTANCE_NS, "CPUUtilization", cpu["utilization"] * 100, cpu["minute"] * 60 + 30, dm, "Percent")


def release_rates(store: ServiceMetrics, endpoint: str) -> dict:
    """Average of each error metric over the hour before and the hour after the release (period 3600 s)."""
    dm = dims(endpoint)
    e4 = store.per_period(NS, "Invocation4XXErrors", dm, 3600, 2, "Average")
    e5 = store.per_period(NS, "Invocation5XXErrors", dm, 3600, 2, "Average")
    inv = store.per_period(NS, "Invocations", dm, 3600, 2, "Sum")
    cpu_max = store.per_period(INSTANCE_NS, "CPUUtilization", dm, 3600, 2, "Maximum")
    cpu_avg = store.per_period(INSTANCE_NS, "CPUUtilization", dm, 3600, 2, "Average")
    lat = store.per_period(NS, "ModelLatency", dm, 3600, 2, "Average")
    return {"4xx": e4, "5xx": e5, "errors": e4 + e5, "invocations": inv, "cpu_max": cpu_max, "cpu_avg": cpu_avg, "model_latency_us": lat}


def release_world(p: dict, rng: np.random.Generator) -> dict:
    requests = release_requests(p, rng)
    store = ServiceMetrics()
    logs = {"today": serve_release(requests, p), "twice-the-instances": serve_release(requests, p, instances=2 * INSTANCES),
            "previous-model": serve_release(requests, p, model="previous")}
    rates = {}
    for name, log in logs.items():
        publish_release(store, log, f"recommender-{name}")
        rates[name] = release_rates(store, f"recommender-{name}")
    return {"requests": requests, "logs": logs, "rates": rates, "store": store}


def release_outcomes(p: dict, w: dict) -> list[Outcome]:
    r, log = w["rates"]["today"], w["logs"]["today"]
    rise4 = round(float(r["4xx"][1] - r["4xx"][0]), 4)
    rise5 = round(float(r["5xx"][1] - r["5xx"][0]), 4)
    after = log[log["after"]]
    after4 = after[(after["status"] >= 400) & (after["status"] < 500)]
    payload_new = share(((after4["log"].str.startswith("payload")) & after4["new_app"]).sum(), len(after4))
    added_errors = lambda key: round(float(w["rates"][key]["errors"][1] - w["rates"][key]["errors"][0]), 4)
    no_model = int(after.loc[after["log"].str.startswith("artifact"), "instance"].nunique())
    words = (f"Invocations {r['invocations'][0]:,.0f} -> {r['invocations'][1]:,.0f} per hour; Invocation4XXErrors Average "
             f"{r['4xx'][0]:.2%} -> {r['4xx'][1]:.2%}, Invocation5XXErrors {r['5xx'][0]:.2%} -> {r['5xx'][1]:.2%}, "
             f"ModelLatency Average {r['model_latency_us'][0]:,.0f} -> {r['model_latency_us'][1]:,.0f} us, "
             f"busiest instance CPU {r['cpu_max'][0]:.0f} -> {r['cpu_max'][1]:.0f} %.")
    rise4_c = criterion("Invocation4XXErrors Average, rise from the hour before the release to the hour after", rise4, ">=", 0.05,
                        detail=f"{r['4xx'][0]:.2%} -> {r['4xx'][1]:.2%}")
    rise5_c = criterion("Invocation5XXErrors Average, rise from the hour before the release to the hour after", rise5, ">=", 0.05,
                        detail=f"{r['5xx'][0]:.2%} -> {r['5xx'][1]:.2%}")
    return [
        Outcome("release:client-payload", "the new app sends requests the model rejects; compare them with the container logs", [
            rise4_c,
            criterion("share of the 4xx after the release whose container log line is a payload rejection of a new-app request",
                      payload_new, ">=", 0.9, detail=f"{len(after4):,} 4xx responses after the release"),
        ], evidence={"rise_4xx": rise4, "payload_share": payload_new}, finding=words, key="release:client-payload"),
        Outcome("release:scale-out", "overload: raise the auto scaling maximum so more instances share the load", [
            criterion("busiest instance's CPUUtilization (Maximum) in the hour after the release", round(float(r["cpu_max"][1]), 1), ">=", 90.0,
                      unit="%", detail=f"Average {r['cpu_avg'][1]:.0f} %"),
            criterion("error rate the release added, with twice the instances", added_errors("twice-the-instances"), "<=", 0.01,
                      detail=f"today it adds {added_errors('today'):.2%}"),
        ], evidence={"cpu_max_after": float(r["cpu_max"][1])}, finding=words, key="release:scale-out"),
        Outcome("release:rollback-model", "the container crashes on the new traffic; roll back to the previous model version", [
            rise5_c,
            criterion("error rate the release added, with the previous model version", added_errors("previous-model"), "<=", 0.01,
                      detail=f"today it adds {added_errors('today'):.2%}"),
        ], evidence={"rise_5xx": rise5}, finding=words, key="release:rollback-model"),
        Outcome("release:s3-permissions", "the role lost S3 permissions; the container cannot read the model artifact", [
            criterion("instances that could not read the model artifact after the release (the artifact is read when an instance starts)",
                      no_model, ">=", 1),
            rise5_c,
        ], evidence={"instances_without_model": no_model}, finding=words, key="release:s3-permissions"),
    ]


# -- world 2: a slower model version ----------------------------------------------------------------------------------------
def latency_world(p: dict, rng: np.random.Generator) -> dict:
    per_hour = 3600
    n = 2 * LATENCY_HOURS * per_hour
    second = np.sort(rng.uniform(0, 2 * LATENCY_HOURS * 3600, n))
    after = second >= LATENCY_HOURS * 3600
    z = rng.standard_normal((3, n))
    container_ms = lambda extra: (42.0 + extra) * np.exp(0.45 * z[0])
    model_ms = container_ms(np.where(after, p["pipeline_extra_ms"], 0.0))
    optimised_ms = container_ms(0.0)
    overhead_ms = 13.0 * np.exp(0.06 * z[1])
    network_ms = 20.0 * np.exp(0.3 * z[2]) + np.where(after, p["network_extra_ms"], 0.0)
    client_ms = network_ms + overhead_ms + model_ms
    store = ServiceMetrics()
    dm = dims("fraud-scorer")
    store.publish(NS, "ModelLatency", np.round(model_ms * 1000), second, dm, "Microseconds")
    store.publish(NS, "OverheadLatency", np.round(overhead_ms * 1000), second, dm, "Microseconds")
    store.publish(NS, "Invocations", np.ones(n), second, dm, "None")
    t, model_us = store.samples(NS, "ModelLatency", dm)
    _, overhead_us = store.samples(NS, "OverheadLatency", dm)
    late = t >= LATENCY_HOURS * 3600
    return {"after": after, "client_ms": client_ms, "network_ms": network_ms, "optimised_client_ms": network_ms + overhead_ms + optimised_ms,
            "model_p99_us": (p99(model_us[~late]), p99(model_us[late])), "overhead_p99_us": (p99(overhead_us[~late]), p99(overhead_us[late])),
            "unit": store.unit(NS, "ModelLatency", dm), "store": store, "second": second, "model_us": model_us}


def latency_outcomes(p: dict, w: dict) -> list[Outcome]:
    a = w["after"]
    client = (p99(w["client_ms"][~a]), p99(w["client_ms"][a]))
    network = (p99(w["network_ms"][~a]), p99(w["network_ms"][a]))
    d_client = client[1] - client[0]
    d_model = (w["model_p99_us"][1] - w["model_p99_us"][0]) / 1000
    d_overhead = (w["overhead_p99_us"][1] - w["overhead_p99_us"][0]) / 1000
    d_network = network[1] - network[0]
    grew = d_client >= 20.0

    def explained(part: float) -> float:
        return round(max(0.0, part) / d_client, 3) if grew else 0.0

    head = (f"Client p99 {client[0]:.0f} -> {client[1]:.0f} ms (SLA {SLA_MS:.0f} ms); p99 ModelLatency "
            f"{w['model_p99_us'][0]:,.0f} -> {w['model_p99_us'][1]:,.0f} {w['unit']}, p99 OverheadLatency "
            f"{w['overhead_p99_us'][0]:,.0f} -> {w['overhead_p99_us'][1]:,.0f} {w['unit']}, network p99 "
            f"{network[0]:.0f} -> {network[1]:.0f} ms.")
    no_growth = "" if grew else f"; the client p99 grew only {d_client:.0f} ms, nothing to explain"
    timeouts = float(np.mean(w["client_ms"][a] > TIMEOUT_S * 1000))
    optimised = p99(w["optimised_client_ms"][a])
    return [
        Outcome("latency:overhead", "focus on SageMaker's request handling (OverheadLatency)", [
            criterion("share of the client p99 growth that OverheadLatency's p99 growth explains", explained(d_overhead), ">=", 0.5,
                      detail=f"OverheadLatency p99 {d_overhead:+.1f} ms, client {d_client:+.0f} ms{no_growth}")],
            evidence={"d_overhead_ms": round(d_overhead, 2)}, finding=head, key="latency:overhead"),
        Outcome("latency:network", "focus on the network between the application and the endpoint", [
            criterion("share of the client p99 growth spent on the network path (outside both metrics)", explained(d_network), ">=", 0.5,
                      detail=f"network p99 {d_network:+.0f} ms, client {d_client:+.0f} ms{no_growth}")],
            evidence={"d_network_ms": round(d_network, 2)}, finding=head, key="latency:network"),
        Outcome("latency:container-code", "focus on the new version's inference and pre-processing code in the container", [
            criterion("share of the client p99 growth that ModelLatency's p99 growth explains", explained(d_model), ">=", 0.5,
                      detail=f"ModelLatency p99 {d_model:+.0f} ms (published in {w['unit']}), client {d_client:+.0f} ms{no_growth}"),
            criterion("client p99 once the container code is back to the old version's cost", round(optimised, 1), "<=", SLA_MS, unit="ms"),
        ], evidence={"d_model_ms": round(d_model, 2), "optimised_p99_ms": round(optimised, 1)}, finding=head, key="latency:container-code"),
        Outcome("latency:timeouts-in-ms", "the metrics are milliseconds: 410,000 means clients time out and retry", [
            criterion(f"share of requests after the deployment that hit the {TIMEOUT_S:.0f} s InvokeEndpoint timeout", round(timeouts, 4), ">=", 0.01,
                      detail=f"p99 ModelLatency {w['model_p99_us'][1]:,.0f} {w['unit']} = {w['model_p99_us'][1] / 1000:,.0f} ms"),
        ], evidence={"timeout_share": timeouts}, finding=head, key="latency:timeouts-in-ms"),
    ]


# -- world 3: a serverless endpoint ---------------------------------------------------------------------------------------
def office_mask(second: np.ndarray) -> np.ndarray:
    day, hour = (second // 86400).astype(int), (second % 86400) / 3600
    return (day % 7 < 5) & (hour >= OFFICE[0]) & (hour < OFFICE[1])


def serverless_requests(p: dict, rng: np.random.Generator) -> pd.DataFrame:
    minutes = np.arange(SERVERLESS_DAYS * 1440)
    rate = np.where(office_mask(minutes * 60.0 + 30), p["office_rate"], p["offhours_rate"])
    minute = np.repeat(minutes, rng.poisson(rate))
    second = np.sort(minute * 60 + rng.uniform(0, 60, len(minute)))
    n = len(second)
    return pd.DataFrame({"second": second, "z": rng.standard_normal(n), "setup_s": rng.uniform(6.0, 8.0, n),
                         "office": office_mask(second)})


def serve_serverless(d: pd.DataFrame, p: dict, *, memory_mb: int = 3072, max_concurrency: int = 10, provisioned_office: bool = False,
                     backoff: bool = False) -> pd.DataFrame:
    """Cold when the previous request arrived more than ``idle_release_minutes`` ago (the first request of the week
    follows a quiet weekend night); provisioned concurrency keeps capacity initialised in office hours. A request that
    arrives while ``max_concurrency`` requests are in flight is throttled and the client retries 1 s later (1 s more
    with ``backoff``). Failed requests (5xx) would be retried too; this endpoint has none."""
    second = d["second"].to_numpy()
    gap = np.diff(second, prepend=-np.inf)
    cold = gap > p["idle_release_minutes"] * 60
    if provisioned_office:
        cold &= ~d["office"].to_numpy()
    model_ms = 150.0 * np.exp(0.2 * d["z"].to_numpy()) * (0.8 if memory_mb >= 6144 else 1.0)
    setup_s = np.where(cold, d["setup_s"].to_numpy(), 0.0)
    overhead_ms = 10.0 + setup_s * 1000  # OverheadLatency includes the cold-start time on serverless endpoints
    total_s = (model_ms + overhead_ms) / 1000
    in_flight = np.arange(len(second)) - np.searchsorted(np.sort(second + total_s), second, side="right")
    throttled = in_flight >= max_concurrency
    total_s = total_s + np.where(throttled, 2.0 if backoff else 1.0, 0.0)
    return pd.DataFrame({"second": second, "office": d["office"], "cold": cold, "model_ms": model_ms, "overhead_ms": overhead_ms,
                         "setup_us": np.round(setup_s * 1e6), "total_s": total_s, "status": 200, "slow": total_s > SLOW_S,
                         "in_flight": in_flight, "throttled": throttled})


def serverless_world(p: dict, rng: np.random.Generator) -> dict:
    d = serverless_requests(p, rng)
    logs = {"today": serve_serverless(d, p), "max-concurrency-200": serve_serverless(d, p, max_concurrency=200),
            "memory-6144": serve_serverless(d, p, memory_mb=6144), "client-backoff": serve_serverless(d, p, backoff=True),
            "provisioned-office-hours": serve_serverless(d, p, provisioned_office=True)}
    store = ServiceMetrics()
    log, dm = logs["today"], dims("hr-intents")
    t = log["second"].to_numpy()
    cold = log[log["cold"]]
    store.publish(NS, "ModelSetupTime", cold["setup_us"], cold["second"], dm, "Microseconds")
    store.publish(NS, "ModelLatency", np.round(log["model_ms"] * 1000), t, dm, "Microseconds")
    store.publish(NS, "OverheadLatency", np.round(log["overhead_ms"] * 1000), t, dm, "Microseconds")
    store.publish(NS, "Invocation5XXErrors", (log["status"] >= 500).astype(float), t, dm, "None")
    return {"logs": logs, "store": store}


def serverless_outcomes(p: dict, w: dict) -> list[Outcome]:
    log, store, dm = w["logs"]["today"], w["store"], dims("hr-intents")
    slow_office = lambda key: int((w["logs"][key]["slow"] & w["logs"][key]["office"]).sum())
    before = slow_office("today")
    slow, fast = log[log["slow"]], log[~log["slow"]]
    setup_t, _ = store.samples(NS, "ModelSetupTime", dm)
    covered = share(np.isin(np.round(slow.loc[slow["office"], "second"].to_numpy(), 3), np.round(setup_t, 3)).sum(), before)
    _, overhead_us = store.samples(NS, "OverheadLatency", dm)
    _, model_us = store.samples(NS, "ModelLatency", dm)
    slow_mask = log["slow"].to_numpy()
    ratio = lambda values: round(float(np.median(values[slow_mask]) / np.median(values[~slow_mask])), 2) if slow_mask.any() else 1.0
    _, e5 = store.samples(NS, "Invocation5XXErrors", dm)
    slow_5xx = int(e5[slow_mask].sum())
    provisioned_hours = 5 * (OFFICE[1] - OFFICE[0])
    words = (f"{len(log):,} requests in a week, {int(log['cold'].sum())} cold starts ({before} slow requests in office hours); "
             f"ModelSetupTime {len(setup_t)} datapoints; fast requests take {fast['total_s'].median() * 1000:.0f} ms, "
             f"slow ones {slow['total_s'].median() if len(slow) else 0:.1f} s; {int(log['in_flight'].max()) + 1} request(s) "
             "at most in flight at once.")

    def remaining(key: str, name: str) -> object:
        return criterion(f"slow office-hours requests with {name}", slow_office(key), "<=", round(0.1 * before, 1),
                         detail=f"{before} today; the target is at most a tenth")

    return [
        Outcome("serverless:overhead-max-concurrency", "OverheadLatency; raise MaxConcurrency to 200", [
            criterion("OverheadLatency of the slow requests against the fast ones (median ratio)", ratio(overhead_us), ">=", 5.0, unit="x"),
            criterion("requests that found all 10 concurrency slots busy", int(log["throttled"].sum()), ">=", 1,
                      detail=f"at most {int(log['in_flight'].max()) + 1} request(s) in flight at once"),
            remaining("max-concurrency-200", "MaxConcurrency 200"),
        ], finding=words, key="serverless:overhead-max-concurrency"),
        Outcome("serverless:model-latency-memory", "ModelLatency; raise memory to 6144 MB", [
            criterion("ModelLatency of the slow requests against the fast ones (median ratio)", ratio(model_us), ">=", 5.0, unit="x"),
            remaining("memory-6144", "6144 MB memory"),
        ], finding=words, key="serverless:model-latency-memory"),
        Outcome("serverless:setup-time-provisioned", "ModelSetupTime; provisioned concurrency scheduled for office hours", [
            criterion("share of the slow office-hours requests that carry a ModelSetupTime datapoint", covered, ">=", 0.9,
                      detail=f"{before} slow office-hours requests"),
            remaining("provisioned-office-hours", "provisioned concurrency 09:00-18:00 on weekdays"),
            criterion("provisioned-concurrency hours a week", provisioned_hours, "<=", 84, detail="always on would be 168"),
        ], evidence={"cold_starts": int(log["cold"].sum()), "slow_office": before}, finding=words, key="serverless:setup-time-provisioned"),
        Outcome("serverless:5xx-backoff", "Invocation5XXErrors; the client backs off exponentially", [
            criterion("Invocation5XXErrors among the slow requests", slow_5xx, ">=", 1),
            remaining("client-backoff", "client back-off"),
        ], finding=words, key="serverless:5xx-backoff"),
    ]


# -- world 4: a multi-model endpoint ---------------------------------------------------------------------------------------
def characteristic_time(rates: np.ndarray, capacity: int) -> float:
    """Che's approximation of an LRU cache: the time T in which about ``capacity`` distinct models are requested,
    sum(1 - exp(-rate_i * T)) = capacity (seconds); infinite when the cache holds every model."""
    if capacity >= len(rates):
        return np.inf
    low, high = 0.0, 1.0
    while np.sum(1 - np.exp(-rates * high)) < capacity:
        high *= 2
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if np.sum(1 - np.exp(-rates * mid)) < capacity else (low, mid)
    return high


def mme_world(p: dict, rng: np.random.Generator) -> dict:
    weights = 1.0 / np.arange(1, MME_MODELS + 1) ** 1.1
    weights /= weights.sum()
    minute = np.repeat(np.arange(MME_MINUTES), rng.poisson(p["mme_requests_per_minute"], MME_MINUTES))
    n = len(minute)
    second = minute * 60 + rng.uniform(0, 60, n)
    model = rng.choice(MME_MODELS, n, p=weights)
    horizon = characteristic_time(weights * p["mme_requests_per_minute"] / 60, p["cache_models"])
    frame = pd.DataFrame({"second": second, "model": model}).sort_values("second", kind="stable")
    gap = frame.groupby("model")["second"].diff().to_numpy()
    gap = np.where(np.isnan(gap), frame["second"].to_numpy() + 86400.0, gap)  # the first request follows a quiet day
    frame["hit"] = gap <= horizon
    z = rng.standard_normal((3, n))
    frame["download_us"] = np.where(frame["hit"], 0.0, np.round(2.5e6 * np.exp(0.3 * z[0])))
    frame["load_us"] = np.where(frame["hit"], 0.0, np.round(1.0e6 * np.exp(0.3 * z[1])))
    frame["wait_us"] = frame["download_us"] + frame["load_us"]
    frame["model_us"] = np.round(80_000 * np.exp(0.3 * z[2]))
    frame["total_s"] = (frame["wait_us"] + frame["model_us"] + 5_000) / 1e6
    frame["minute"] = (frame["second"] // 60).astype(int)
    store = ServiceMetrics()
    dm = dims("tenant-models")
    t = frame["second"].to_numpy()
    cold = frame[~frame["hit"]]
    store.publish(NS, "ModelCacheHit", frame["hit"].astype(float), t, dm, "None")
    store.publish(NS, "ModelLoadingWaitTime", cold["wait_us"], cold["second"], dm, "Microseconds")
    store.publish(NS, "ModelDownloadingTime", cold["download_us"], cold["second"], dm, "Microseconds")
    store.publish(NS, "ModelLoadingTime", cold["load_us"], cold["second"], dm, "Microseconds")
    store.publish(NS, "ModelLatency", frame["model_us"], t, dm, "Microseconds")
    store.publish(NS, "Invocation5XXErrors", np.zeros(n), t, dm, "None")
    store.publish(NS, "InvocationsPerInstance", np.full(n, 1.0 / MME_INSTANCES), t, dm, "None")
    return {"log": frame, "store": store, "horizon": horizon}


MME_STATISTICS = {"ModelSetupTime": "Maximum", "ModelLoadingWaitTime": "Maximum", "Invocation5XXErrors": "Sum",
                  "InvocationsPerInstance": "Sum", "ModelCacheHit": "Average"}


def mme_per_minute(w: dict) -> dict[str, np.ndarray]:
    """Each option's metric per minute (the statistic a dashboard shows; no datapoint -> nothing waited / happened,
    except ModelCacheHit, whose minutes always hold requests)."""
    store, dm = w["store"], dims("tenant-models")
    out = {name: store.per_period(NS, name, dm, 60, MME_MINUTES, stat) for name, stat in MME_STATISTICS.items()}
    return {name: np.nan_to_num(values, nan=0.0 if name != "ModelCacheHit" else 1.0) for name, values in out.items()}


def separation(values: np.ndarray, positive: np.ndarray) -> float:
    """2 |AUC - 0.5|: 1 when the metric's per-minute value alone tells the positive minutes from the others,
    0 when it says nothing (the AUC is the Mann-Whitney rank statistic, ties counted half)."""
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return 0.0
    ranks = pd.Series(values).rank(method="average").to_numpy()
    auc = (ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    return round(2 * abs(float(auc) - 0.5), 3)


def mme_outcomes(p: dict, w: dict) -> list[Outcome]:
    log = w["log"]
    slow_minute = (log.assign(slow=log["total_s"] > SLOW_S).groupby("minute")["slow"].any()
                   .reindex(range(MME_MINUTES), fill_value=False).to_numpy())
    metrics = mme_per_minute(w)
    slow_n, cold_n = int((log["total_s"] > SLOW_S).sum()), int((~log["hit"]).sum())
    horizon = "never" if np.isinf(w["horizon"]) else f"after about {w['horizon'] / 3600:.1f} h without a request"
    words = (f"{len(log):,} requests to {log['model'].nunique()} models in two days; {cold_n:,} cold loads, {slow_n:,} requests "
             f"over {SLOW_S:.0f} s in {int(slow_minute.sum()):,} of {MME_MINUTES:,} minutes; a model leaves the "
             f"{p['cache_models']}-model cache {horizon}.")
    outcomes = []
    for name, statistic in MME_STATISTICS.items():
        values = metrics[name]
        datapoints = len(w["store"].samples(NS, name, dims("tenant-models"))[0])
        score = separation(values, slow_minute)
        with_slow = float(values[slow_minute].mean()) if slow_minute.any() else 0.0
        without = float(values[~slow_minute].mean()) if (~slow_minute).any() else 0.0
        detail = (f"{datapoints:,} datapoints published; mean {statistic} {number(with_slow)} in minutes with a slow request, "
                  f"{number(without)} in the others" if slow_minute.any() else f"{datapoints:,} datapoints published; no minute has a slow request")
        outcomes.append(Outcome(f"mme:{name}", f"examine {name}", [
            criterion(f"how well {name} ({statistic} per minute) tells minutes with slow requests from the others (2|AUC-0.5|)",
                      score, ">=", SEPARATES, detail=detail),
        ], evidence={"separation": score, "datapoints": datapoints}, finding=words, key=f"mme:{name}"))
    return outcomes


# -- the run ----------------------------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    total = 4
    if progress:
        progress(0, total, "world 1: an app release in front of a real-time endpoint")
    w1 = release_world(p, rng)
    if progress:
        progress(1, total, "world 2: a slower model version")
    w2 = latency_world(p, rng)
    if progress:
        progress(2, total, "world 3: a serverless endpoint over a week")
    w3 = serverless_world(p, rng)
    if progress:
        progress(3, total, "world 4: a multi-model endpoint with 800 tenants")
    w4 = mme_world(p, rng)
    outcomes = release_outcomes(p, w1) + latency_outcomes(p, w2) + serverless_outcomes(p, w3) + mme_outcomes(p, w4)

    r = w1["rates"]["today"]
    causes = {"bad-payload": "sends a content type the container rejects", "crash-input": "sends inputs that crash the model's handler",
              "s3-permissions": "ships while the role loses S3 access", "none": "changes nothing the endpoint notices"}
    s_log = w3["logs"]["today"]
    narrative = (
        f"Release: the new app {causes[p['cause']]}; Invocation4XXErrors {r['4xx'][0]:.1%} -> {r['4xx'][1]:.1%}, "
        f"Invocation5XXErrors {r['5xx'][0]:.1%} -> {r['5xx'][1]:.1%}, busiest CPU {r['cpu_max'][1]:.0f} %. "
        f"Latency: p99 ModelLatency {w2['model_p99_us'][0]:,.0f} -> {w2['model_p99_us'][1]:,.0f} microseconds, "
        f"p99 OverheadLatency {w2['overhead_p99_us'][1]:,.0f}. Serverless: {int(s_log['cold'].sum())} cold start(s) in a week, "
        f"{int((s_log['slow'] & s_log['office']).sum())} of them slow office-hours requests. Multi-model: "
        f"{int((~w4['log']['hit']).sum()):,} cold model loads, ModelCacheHit Average {w4['log']['hit'].mean():.3f}."
    )
    minutes = list(range(RELEASE_MINUTES))
    store = w1["store"]
    dm = dims("recommender-today")
    series = [Series(name, minutes, [round(float(v), 4) for v in np.nan_to_num(store.per_period(NS, name, dm, 60, RELEASE_MINUTES, "Average"))],
                     "line", "minute", "Average (error rate)", "Release: error metrics per minute")
              for name in ("Invocation4XXErrors", "Invocation5XXErrors")]
    hours = np.arange(2 * LATENCY_HOURS)
    hour_of = (w2["second"] // 3600).astype(int)
    model_p99 = pd.Series(w2["model_us"]).groupby(hour_of).quantile(0.99).reindex(hours, fill_value=0.0)
    series.append(Series("ModelLatency p99 (microseconds)", hours.tolist(), [round(float(v)) for v in model_p99], "line", "hour",
                         "microseconds", "Latency: p99 per hour"))
    mme_minutes = mme_per_minute(w4)
    series.append(Series("ModelCacheHit Average", list(range(MME_MINUTES)), [round(float(v), 4) for v in mme_minutes["ModelCacheHit"]],
                         "line", "minute", "hit ratio", "Multi-model: ModelCacheHit per minute"))
    slow = s_log[s_log["slow"]]
    series.append(Series("slow serverless requests", [round(float(s) / 3600, 2) for s in slow["second"]],
                         [round(float(v), 2) for v in slow["total_s"]], "scatter", "hour of the week", "seconds",
                         "Serverless: slow requests"))
    table = pd.DataFrame([{"world": "release", "metric": name, "before": round(float(r[key][0]), 4), "after": round(float(r[key][1]), 4)}
                          for name, key in (("Invocation4XXErrors Average", "4xx"), ("Invocation5XXErrors Average", "5xx"),
                                            ("Invocations Sum", "invocations"), ("CPUUtilization Maximum", "cpu_max"),
                                            ("ModelLatency Average (us)", "model_latency_us"))]
                         + [{"world": "latency", "metric": "ModelLatency p99 (us)", "before": w2["model_p99_us"][0], "after": w2["model_p99_us"][1]},
                            {"world": "latency", "metric": "OverheadLatency p99 (us)", "before": w2["overhead_p99_us"][0], "after": w2["overhead_p99_us"][1]}])
    timeline = [Event(iso_z(START + timedelta(minutes=RELEASE_AT)), "info", f"new app version released ({p['cause']})")]
    if p["cause"] == "s3-permissions":
        timeline.append(Event(iso_z(START + timedelta(minutes=RELEASE_AT + 10)), "info", "instance 0 replaced; model artifact read fails"))
    if progress:
        progress(total, total, "done")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
        tables={"metrics": table}, timeline=timeline, outcomes=outcomes, question_id=INFO.question_ids[0],
        key_numbers={"rise_4xx": round(float(r["4xx"][1] - r["4xx"][0]), 4), "rise_5xx": round(float(r["5xx"][1] - r["5xx"][0]), 4),
                     "model_p99_us": [round(v) for v in w2["model_p99_us"]], "serverless_cold_starts": int(s_log["cold"].sum()),
                     "mme_cold_loads": int((~w4["log"]["hit"]).sum())},
    )
