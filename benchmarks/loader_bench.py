"""Loading 1,000 question files must take well under a second.

Writes 1,000 project-format question files (about the size of the bundled ones) to a temp
folder, loads them with quizapp.content.load_content several times and prints the median,
next to a floor measured in the same run: reading the same files' bytes.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.content import load_content  # noqa: E402

TEMPLATE = """---
id: q{n:04d}
domain: monitoring
tags: [baseline, drift, model-monitor]
answer: B
covers: [F06, F07]
difficulty: 2
---
# Question {n}
## Question
A team monitors a production endpoint with SageMaker Model Monitor. After retraining the model on
recent data, the monitoring schedule still reports baseline drift violations for several features.
What should the team do so that monitoring compares traffic against the right reference?
## Options
- A) Trigger the monitoring job again by hand.
- B) Run the baseline job on the new training set and point the schedule at the new baseline.
- C) Delete the endpoint and create it again with the original configuration.
- D) Retrain once more on the original and the new data together.
## Answer
B) Re-baseline on the new training set.
## Explanation
The schedule still compares production traffic with statistics computed from the old training
data, so every normal request of the new model looks like drift. A new baseline fixes the reference.
## 설명
기존 기준선은 이전 데이터 분포를 설명하므로 새 모델의 정상 트래픽도 위반으로 판단됩니다.
## Why not the others
- A) The same traffic is compared with the same stale baseline, so the same violations come back.
- C) The endpoint configuration is not the cause; the baseline is.
- D) The model changes but the baseline does not, so the violations persist.
"""


def main(count: int = 1000, runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        (root / "questions").mkdir(parents=True)
        (root / "facts.yaml").write_text("- {id: F06, statement: a}\n- {id: F07, statement: b}\n")
        for n in range(count):
            (root / "questions" / f"q{n:04d}.md").write_text(TEMPLATE.format(n=n), encoding="utf-8")
        floors, loads = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            for path in sorted((root / "questions").iterdir()):
                path.read_bytes()
            floors.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            content = load_content(root)
            loads.append(time.perf_counter() - t0)
        assert len(content.questions) == count and not content.problems, content.problems[:3]
        floor, load = statistics.median(floors), statistics.median(loads)
        print(f"files: {count}")
        print(f"read bytes only (floor): {floor * 1000:8.1f} ms")
        print(f"load_content:            {load * 1000:8.1f} ms   ({load / floor:.0f}x the floor, {load / count * 1e6:.0f} us per file)")
        print("goal: well under 1 s ->", "OK" if load < 0.5 else "TOO SLOW")


if __name__ == "__main__":
    main()
