"""The long select writes what Django's select writes, faster."""

from django import forms
from django.test.html import parse_html

from core.widgets import LongSelect

CHOICES = [
    ("", "All units"),
    (1, "水政水資源處"),
    (2, '<script>alert("x")</script> & "quoted"'),
    (30, "規劃計劃處"),
]


def _both(value, attrs=None):
    plain = forms.Select(choices=CHOICES).render("unit", value, attrs)
    fast = LongSelect(choices=CHOICES).render("unit", value, attrs)
    return parse_html(plain), parse_html(fast), fast


def test_the_same_markup_as_djangos_select():
    for value in (None, "", 1, "2", 30):
        plain, fast, _html = _both(value, {"id": "id_unit", "aria-describedby": "h"})
        assert plain == fast


def test_labels_are_escaped_and_the_choice_is_selected():
    _plain, _fast, html = _both(2, {"required": True})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<option value="2" selected>' in html
    assert html.count("selected") == 1
    assert html.startswith('<select name="unit" required>')


def test_option_groups_are_left_to_djangos_select():
    grouped = [("處室", [(1, "甲"), (2, "乙")]), ("直屬單位", [(3, "丙")])]
    plain = forms.Select(choices=grouped).render("unit", 3)
    fast = LongSelect(choices=grouped).render("unit", 3)
    assert parse_html(plain) == parse_html(fast)
    assert "<optgroup" in fast
