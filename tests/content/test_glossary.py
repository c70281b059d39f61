"""content/glossary.yaml and the `content check` warning for variant spellings in Korean text."""

from __future__ import annotations

import subprocess
import sys
from textwrap import dedent

from quizapp.content.glossary import load_glossary, variant_warnings
from quizapp.content.sources import bundled_content
from tests.conftest import REPO

QUESTION = dedent(
    """\
    ---
    id: q
    answer: A
    tags: [알람]
    ---
    # T
    ## Question
    Which alarm?
    ## Options
    - A) one
    - B) two
    - C) three
    - D) four
    ## 질문
    어떤 알람입니까? `알람` 은 코드입니다.
    ## 보기
    - A) 하나
    - B) 베이스라인 둘
    - C) 셋
    - D) 넷
    ## 설명
    ```
    알람 in a code block
    ```
    재학습 후 경보를 봅니다.
    """
)

GLOSSARY = "alarm: {ko: 경보, avoid: [알람]}\nbaseline: {ko: 기준선, avoid: [베이스라인]}\nretraining: {ko: 재훈련, avoid: [재학습]}\n"


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizapp", "content", "check", *args], capture_output=True, text=True, cwd=REPO, timeout=60)


def test_bundled_glossary_loads_and_holds_the_agreed_terms():
    glossary, problems = load_glossary(bundled_content() / "glossary.yaml")
    assert problems == []
    terms = {t.english: t for t in glossary.terms}
    expected = {"alarm": ("경보", "알람"), "baseline": ("기준선", "베이스라인"), "retraining": ("재훈련", "재학습"),
                "training job": ("훈련 작업", "학습 작업"), "metric": ("지표", "메트릭"), "feature": ("특성", "피처"),
                "feature attribution drift": ("특성 어트리뷰션 드리프트", "특징 속성 드리프트")}
    for english, (korean, variant) in expected.items():
        assert terms[english].korean == korean and variant in terms[english].avoid
    assert terms["ground truth"].korean == "실측 레이블"
    assert all(v not in t.korean for t in glossary.terms for v in t.avoid)  # a term never flags itself


def test_variants_in_korean_prose_warn_with_line_and_preferred_term(write):
    glossary, _ = load_glossary(write("g.yaml", GLOSSARY))
    got = [str(p) for p in variant_warnings(QUESTION, "q.md", glossary)]
    assert got == [
        "q.md:15: warning: '알람' is not the glossary term: use '경보' (alarm)",
        "q.md:18: warning: '베이스라인' is not the glossary term: use '기준선' (baseline)",
        "q.md:25: warning: '재학습' is not the glossary term: use '재훈련' (retraining)",
    ]  # front matter (line 4), inline code and the fenced block are not prose


def test_content_check_reports_glossary_warnings_and_still_exits_0(write):
    write("c/facts.yaml", "- {id: F01, statement: a}\n")
    write("c/glossary.yaml", GLOSSARY)
    root = write("c/questions/q.md", QUESTION.replace("answer: A", "answer: A\ncovers: [F01]")).parent.parent
    run = check(str(root))
    assert run.returncode == 0, run.stdout
    assert "c/questions/q.md:16: warning: '알람' is not the glossary term: use '경보' (alarm)" in run.stdout
    assert "0 errors, 4 warnings" in run.stdout  # three glossary variants, one question without reasons


def test_malformed_glossary_entries_are_errors_with_their_line(write):
    path = write("g.yaml", "alarm: 경보\nbaseline: [기준선]\nmetric: {ko: 지표, avoid: 5}\n")
    glossary, problems = load_glossary(path, "g.yaml")
    assert [str(p) for p in problems] == [
        "g.yaml:2: glossary entry 'baseline' must be a Korean term or {ko: ..., avoid: [...]}",
        "g.yaml:3: glossary entry 'metric' must be a Korean term or {ko: ..., avoid: [...]}",
    ]
    assert [t.english for t in glossary.terms] == ["alarm"]


def test_glossary_is_read_with_safe_load(write):
    path = write("g.yaml", "alarm: !!python/object/apply:os.system ['echo pwned']\n")
    glossary, problems = load_glossary(path, "g.yaml")
    assert glossary.terms == [] and len(problems) == 1 and "bad YAML" in problems[0].message
