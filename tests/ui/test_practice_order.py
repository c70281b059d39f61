"""The learner's practice seed: created once, kept, never written through a symlink, stable when read-only."""

from __future__ import annotations

import os

from quizapp.ui.practice_order import SEED_FILE, learner_seed


def test_seed_is_created_once_and_kept(tmp_path):
    first = learner_seed(tmp_path)
    assert len(first) == 32 and (tmp_path / SEED_FILE).read_text().strip() == first
    assert learner_seed(tmp_path) == first


def test_a_damaged_seed_file_is_replaced(tmp_path):
    (tmp_path / SEED_FILE).write_text("not a seed")
    seed = learner_seed(tmp_path)
    assert seed != "not a seed" and learner_seed(tmp_path) == seed


def test_a_symlink_at_the_seed_path_is_replaced_not_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(outside, data / SEED_FILE)
    learner_seed(data)
    assert outside.read_text() == "keep me"
    assert not (data / SEED_FILE).is_symlink()


def test_unwritable_folder_gives_a_stable_seed(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    data = blocked / "data"  # nothing can be created under a file, even as root
    seed = learner_seed(data)
    assert len(seed) == 32 and learner_seed(data) == seed
    assert learner_seed(tmp_path / "elsewhere" / "data") != seed
