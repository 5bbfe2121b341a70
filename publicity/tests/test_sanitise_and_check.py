"""Rich text cleaning and the confidentiality check's detectors."""

import pytest

from publicity.confidentiality import is_id_number, scan
from publicity.sanitise import clean_rendered_html, clean_stored_html, plain_text
from publicity.templatetags.publicity_tags import safe_richtext

HOSTILE = (
    '<p onclick="steal()">正文<script>alert(1)</script>'
    '<a href="javascript:alert(1)">鏈接</a><img src=x onerror="alert(1)">'
    '<a href="JaVaScRiPt:alert(2)">二</a><iframe src="https://evil"></iframe></p>'
)


@pytest.mark.parametrize("clean", [clean_stored_html, clean_rendered_html])
def test_no_script_handler_or_javascript_url_survives(clean):
    html = clean(HOSTILE)
    lowered = html.lower()
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe"):
        assert bad not in lowered
    assert "正文" in html


def test_the_public_render_cleans_a_body_written_around_the_model():
    html = str(safe_richtext(HOSTILE))
    assert "<script" not in html and "javascript:" not in html.lower()


def test_wagtail_links_and_embeds_are_kept_in_storage():
    stored = clean_stored_html(
        '<p><a linktype="page" id="3">頁</a>'
        '<embed embedtype="image" id="1" format="left" alt="圖"/></p>'
    )
    assert 'linktype="page"' in stored and 'embedtype="image"' in stored


def test_plain_text_drops_tags_and_entities():
    assert plain_text("<p>甲 &amp; 乙</p><p>丙</p>") == "甲 & 乙 丙"


def test_an_id_number_needs_its_checksum():
    assert is_id_number("11010519491231002X")
    assert not is_id_number("110105194912310021")


def test_scan_finds_id_numbers_phones_and_words_once_each():
    found = scan(
        {
            "body": "身份證11010519491231002X，電話138-1234-5678，座機(020)87654321，"
            "020-87654321，內部資料。",
            "attachments": "內部資料.pdf 110105194912310021",
        },
        ["內部資料"],
    )
    kinds = sorted((kind, text) for kind, text, _where in found)
    assert kinds == [
        ("id_number", "11010519491231002X"),
        ("phone", "02087654321"),
        ("phone", "13812345678"),
        ("word", "內部資料"),
    ]


def test_long_numbers_are_not_phone_numbers():
    assert scan({"body": "編號 201303280001234567890"}, []) == []


@pytest.mark.parametrize(
    ("where", "english"),
    [("body", "article text"), ("attachments", "Attachments")],
)
def test_a_finding_names_the_part_it_is_in_as_the_form_does(where, english):
    """The review list said "(body)" in the Chinese admin."""
    from django.utils import translation

    from publicity.confidentiality import Finding

    finding = Finding("word", "x", where)
    with translation.override("en"):
        assert finding.where_label == english
    with translation.override("zh-hans"):
        assert finding.where_label not in (where, english)
