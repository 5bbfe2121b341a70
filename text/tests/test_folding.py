"""The folding rule for looking words up whatever the script, width or spacing."""

import pytest

from text.folding import fold, fold_with_positions


@pytest.mark.parametrize(
    "written",
    [
        "内部资料",
        "內部資料",
        "内 部 资 料",
        "內部·資料",
        "内\u200b部资料",
        "内部「资料」",
    ],
)
def test_a_word_folds_the_same_in_either_script_and_across_separators(written):
    assert fold(written) == fold("內部資料")


def test_full_width_letters_and_digits_fold_to_their_ascii_selves():
    assert fold("ＡＢＣ　１２３") == fold("abc123")


def test_a_match_is_shown_as_the_text_wrote_it():
    text = "本文引用了內部·資料，請刪去。"
    folded = fold_with_positions(text)
    [(start, end)] = folded.find_all(fold("内部资料"))
    assert text[start:end] == "內部·資料"


def test_an_empty_needle_matches_nothing():
    assert fold_with_positions("內部資料").find_all("") == []
