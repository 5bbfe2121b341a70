from text.segment import search_text, segment


def test_it_finds_the_commissions_name_in_traditional_text() -> None:
    assert "珠江委" in segment("珠江委召開會議")


def test_it_gives_the_same_tokens_for_both_scripts() -> None:
    assert segment("黨群工作網開設專欄") == segment("党群工作网开设专栏")


def test_it_knows_the_campaigns_terms() -> None:
    tokens = segment("三服務一促進主題實踐活動領導小組,岳中明、黃遠亮、蔡尚途")

    for term in (
        "三服务一促进",
        "主题实践活动",
        "领导小组",
        "岳中明",
        "黄远亮",
        "蔡尚途",
    ):
        assert term in tokens


def test_it_leaves_out_white_space_and_punctuation() -> None:
    tokens = segment("服務基層、服務群眾。 “促進和諧”! ")

    assert tokens
    assert all(token.strip() and token not in "、。“”! " for token in tokens)


def test_it_folds_full_width_letters() -> None:
    assert segment("ＡＢＣ") == segment("ABC")


def test_it_joins_tokens_with_spaces_for_the_index() -> None:
    assert search_text("珠江委召開會議") == " ".join(segment("珠江委召開會議"))
    assert search_text("") == ""
