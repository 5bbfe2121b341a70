from demands.routing.engine import Example, Router, char_features, word_features
from text.demo_mark import DEMO_MARK, without_demo_mark


def test_the_mark_is_taken_out_in_either_width():
    assert "演示" not in without_demo_mark("水管爆裂（演示）")
    assert "演示" not in without_demo_mark("水管爆裂(演示)")
    assert without_demo_mark("演示文稿") == "演示文稿"  # the word itself stays


def test_the_routing_model_reads_no_mark():
    assert not any("演" in term for term in word_features("水管爆裂" + DEMO_MARK))
    assert not any("演" in term for term in char_features("水管爆裂" + DEMO_MARK))
    router = Router.train(
        [
            Example("水管 爆裂 停水" + DEMO_MARK, "water"),
            Example("採砂 河道 夜間" + DEMO_MARK, "river"),
        ]
    )
    guess = router.suggest("夜間採砂" + DEMO_MARK)[0]
    assert guess.label == "river"
    assert all("演示" not in word for word in guess.words)
