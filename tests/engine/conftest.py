"""Shared fixtures for the monitoring-engine tests (part 1: capture, baseline, checks, model quality)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

STATES = ["CA", "NY", "TX", "WA", "FL"]


def customer_frame(n: int, seed: int, *, age_shift: float = 0.0, state_weights=None) -> pd.DataFrame:
    """A small, tidy training-like frame: Integral, Fractional and String features, no gaps."""
    rng = np.random.default_rng(seed)
    weights = np.asarray(state_weights if state_weights is not None else [0.3, 0.25, 0.2, 0.15, 0.1])
    return pd.DataFrame({
        "age": np.clip(rng.normal(40 + age_shift, 10, n).round(), 18, 90).astype(np.int64),
        "income": rng.lognormal(10, 0.5, n),
        "balance": rng.normal(0, 1, n),  # may be negative: no non-negative constraint
        "state": pd.Series(np.array(STATES, dtype=object)[rng.choice(len(STATES), n, p=weights / weights.sum())], dtype="str"),
    })


@pytest.fixture
def training() -> pd.DataFrame:
    return customer_frame(5_000, seed=1)


@pytest.fixture
def clean_current() -> pd.DataFrame:
    """Fresh data from the same population as ``training``."""
    return customer_frame(5_000, seed=2)


@pytest.fixture
def make_customers():
    """``make_customers(n, seed, age_shift=0.0, state_weights=None)`` -> a frame like ``training``."""
    return customer_frame
