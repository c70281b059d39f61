"""Project-style files with full Korean: 질문 / 보기 / 설명 / 보기별 해설 beside the English sections."""

from __future__ import annotations

from textwrap import dedent

from quizapp.content import load_content

BILINGUAL = dedent(
    """\
    ---
    id: stale-baseline
    answer: B
    ---
    # Violations after retraining
    ## Question
    Model Monitor keeps flagging violations after retraining. What fixes it?
    ## Options
    - A) Re-run the monitoring job.
    - B) Run a new baseline job on the new training set.
    - C) Recreate the endpoint.
    - D) Retrain on combined data.
    ## Answer
    B) Run a new baseline job.
    ## Explanation
    The old baseline describes old data (not option A).
    ## Why not the others
    - A) Same baseline, same violations.
    - C) The endpoint is not the problem.
    - D) The baseline is still the old one.
    ## 질문
    재훈련 후에도 Model Monitor가 계속 위반을 보고합니다. 무엇으로 해결합니까?
    ## 보기
    - A) 모니터링 작업을 다시 실행한다.
    - B) 새 훈련 데이터로 기준선 작업을 다시 실행한다.
    - C) 엔드포인트를 다시 만든다.
    - D) 합친 데이터로 재훈련한다.
    ## 설명
    이전 기준선은 이전 데이터를 설명합니다.
    ## 보기별 해설
    - A) 기준선이 같으니 위반도 같습니다.
    - C) 엔드포인트는 원인이 아닙니다.
    - D) 기준선은 여전히 이전 것입니다.
    """
)


def load(write, text: str, name: str = "q.md"):
    write("content/facts.yaml", "- {id: F01, statement: a}\n")
    write(f"content/questions/{name}", text)
    return load_content(write("content/facts.yaml", "- {id: F01, statement: a}\n").parent)


def messages(content) -> list[str]:
    return [str(p) for p in content.problems]


def test_bilingual_file_holds_both_languages(write):
    content = load(write, BILINGUAL)
    assert messages(content) == []
    q = content.questions["stale-baseline"]
    assert q.stem.startswith("Model Monitor keeps flagging")
    assert q.option("B").text == "Run a new baseline job on the new training set."
    assert q.reasons["C"] == "The endpoint is not the problem."
    ko = q.translations["ko"]
    assert ko.stem.startswith("재훈련 후에도")
    assert ko.options["B"] == "새 훈련 데이터로 기준선 작업을 다시 실행한다."
    assert ko.reasons == {"A": "기준선이 같으니 위반도 같습니다.", "C": "엔드포인트는 원인이 아닙니다.", "D": "기준선은 여전히 이전 것입니다."}
    assert q.explanation == {"en": "The old baseline describes old data (not option A).", "ko": "이전 기준선은 이전 데이터를 설명합니다."}
    assert q.stem_in("ko") == ko.stem and q.stem_in("en") == q.stem
    assert [o.text for o in q.options_in("ko")][2] == "엔드포인트를 다시 만든다."
    assert q.reason_for("A", "ko") == "기준선이 같으니 위반도 같습니다."
    assert q.reason_for("A") == "Same baseline, same violations."
    assert q.reason_for("B", "ko") == "이전 기준선은 이전 데이터를 설명합니다."  # the key falls back to the explanation


def test_english_only_file_falls_back_to_english_in_korean(write):
    english = BILINGUAL[: BILINGUAL.index("## 질문")]
    q = load(write, english).questions["stale-baseline"]
    assert q.translations == {}
    assert q.stem_in("ko") == q.stem
    assert q.options_in("ko") == q.options
    assert q.reason_for("C", "ko") == "The endpoint is not the problem."


def test_korean_only_file_loads_with_korean_as_primary_text(write):
    head, _, korean = BILINGUAL.partition("## Question")
    korean = head + "## " + korean[korean.index("질문") :]
    content = load(write, korean.replace("## 설명", "## 설명"))
    q = content.questions["stale-baseline"]
    assert q.stem.startswith("재훈련 후에도")
    assert q.letters == ["A", "B", "C", "D"]
    assert q.reasons["C"] == "엔드포인트는 원인이 아닙니다."
    assert q.translations == {}
    assert [p for p in content.errors] == []


def line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def test_korean_options_with_other_letters_are_reported_with_the_line(write):
    text = BILINGUAL.replace("- D) 합친 데이터로 재훈련한다.", "- E) 합친 데이터로 재훈련한다.")
    content = load(write, text)
    line = line_of(text, "## 보기")
    assert f"content/questions/q.md:{line}: Korean options (보기) have letters A, B, C, E but the English options have A, B, C, D" in messages(content)
    assert content.errors  # a mismatch is an error, not a warning
    assert "stale-baseline" in content.questions  # the question itself still loads


def test_korean_reasons_with_other_letters_are_reported_with_the_line(write):
    text = BILINGUAL.replace("- D) 기준선은 여전히 이전 것입니다.\n", "")
    content = load(write, text)
    line = line_of(text, "## 보기별 해설")
    assert messages(content) == [
        f"content/questions/q.md:{line}: Korean reasons (보기별 해설) have letters A, C but the English reasons have A, C, D"
    ]


def test_duplicate_korean_option_is_reported(write):
    text = BILINGUAL.replace("- D) 합친 데이터로 재훈련한다.", "- C) 합친 데이터로 재훈련한다.")
    got = messages(load(write, text))
    assert any("Korean (보기) option C appears twice" in m for m in got)


def test_missing_korean_parts_of_a_bilingual_file_are_a_warning(write):
    text = BILINGUAL[: BILINGUAL.index("## 설명")]
    content = load(write, text)
    line = line_of(text, "## 질문") + 1
    assert messages(content) == [f"content/questions/q.md:{line}: warning: Korean text missing: ## 설명, ## 보기별 해설"]


def test_korean_stem_asking_for_two_answers_is_checked(write):
    text = BILINGUAL.replace("무엇으로 해결합니까?", "무엇으로 해결합니까? (두 개를 고르십시오.)")
    got = messages(load(write, text))
    assert any("the Korean stem asks for 2 answers but the answer lists 1" in m for m in got)


def test_counting_words_in_a_korean_stem_do_not_ask_for_two_answers(write):
    counted = BILINGUAL.replace("재훈련 후에도 Model Monitor가", "히스토그램 두 개를 그렸고 후보 모델 세 개가 있습니다. 재훈련 후에도 Model Monitor가")
    assert messages(load(write, counted)) == []
    asked = BILINGUAL.replace("무엇으로 해결합니까?", "무엇으로 해결합니까? (두 개를 고르십시오.)")
    assert messages(load(write, asked)) == [
        "content/questions/q.md:22: the Korean stem asks for 2 answers but the answer lists 1"]
def test_the_readme_example_question_loads_cleanly(write):
    from tests.conftest import REPO

    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Adding a question", 1)[1]
    example = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    write("content/facts.yaml", "- {id: F06, statement: a}\n- {id: F07, statement: b}\n")
    write("content/questions/stale-baseline-after-retraining.md", example)
    content = load_content(write("content/facts.yaml", "- {id: F06, statement: a}\n- {id: F07, statement: b}\n").parent)
    assert messages(content) == []
    q = content.questions["stale-baseline-after-retraining"]
    assert q.letters == ["A", "B", "C", "D"] and set(q.translations["ko"].options) == set("ABCD")
    assert set(q.translations["ko"].reasons) == set(q.reasons) == {"A", "C", "D"}
