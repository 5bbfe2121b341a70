"""Hostile text through the forms the public and the units fill in: whatever a
field receives, the form either refuses it with an error on that field or cleans
it to NFC text without control or bidi characters within the field's limit. No
input raises."""

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Campaign
from demands.forms import DemandSubmitForm
from demands.office_forms import IntakeForm
from ledgers.forms import DeedForm, MeasureForm, ProblemForm, VisitForm
from org.models import Person, Unit
from publicity.forms import ArticleForm, ObjectionForm
from text.tests.test_normalise import BIDI, CONTROLS, hostile

pytestmark = pytest.mark.django_db
FormFactory = Callable[[Any, dict[str, Any]], forms.Form]


def _ledger(form_class: Any) -> FormFactory:
    def build(world: Any, data: dict[str, Any]) -> forms.Form:
        return form_class(
            {"campaign": world.campaign.pk, "unit": world.unit_a.pk, **data},
            campaigns=Campaign.objects.all(),
            units=Unit.objects.filter(pk=world.unit_a.pk),
        )

    return build


FORMS: dict[str, tuple[FormFactory, dict[str, str]]] = {
    "public demand": (
        lambda world, data: DemandSubmitForm(data, campaign=world.campaign),
        {
            "kind": "help",
            "urgency": "normal",
            "title": "路燈不亮",
            "content": "三號路燈不亮。",
            "location": "河南路",
            "submitter_name": "張三",
        },
    ),
    "office intake": (
        lambda world, data: IntakeForm(
            {"campaign": world.campaign.pk, **data}, user=world.clerk
        ),
        {
            "channel": "phone",
            "kind": "complaint",
            "urgency": "normal",
            "title": "夜間施工",
            "content": "工地施工到凌晨。",
            "location": "河南路",
            "submitter_name": "李四",
        },
    ),
    "article submission": (
        lambda world, data: ArticleForm(
            {"unit": world.unit_a.pk, **data},
            campaign=world.campaign,
            units=Unit.objects.all(),
        ),
        {
            "title": "甲處調研",
            "category": "measures",
            "author": "王五",
            "source": "本站",
            "summary": "摘要",
            "body": "第一段",
        },
    ),
    "objection": (
        lambda world, data: ObjectionForm(data),
        {"text": "此文有誤。", "name": "趙六"},
    ),
    "research visit": (
        _ledger(VisitForm),
        {
            "visited_on": "2007-04-02",
            "place": "基層站",
            "participants": "甲、乙",
            "topic": "防汛",
            "findings": "一\n二",
        },
    ),
    "problem": (
        _ledger(ProblemForm),
        {
            "source": "self_inspection",
            "severity": "general",
            "description": "台賬不全",
        },
    ),
    "deed": (
        _ledger(DeedForm),
        {
            "title": "修繕宿舍",
            "deed_class": "time_limited",
            "beneficiaries": "職工",
            "target": "六月底前完成",
            "deadline": "2007-06-30",
        },
    ),
    "measure": (
        lambda world, data: MeasureForm(data, people=Person.objects.all()),
        {"description": "補齊台賬", "deadline": "2007-06-30"},
    ),
}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return [s for s in vars(value).values() if isinstance(s, str)] if value else []


@pytest.mark.parametrize("name", FORMS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_hostile_text_is_refused_on_its_field_or_cleaned(name, world, data):
    build, valid = FORMS[name]
    text_fields = [
        key
        for key, field in build(world, valid).fields.items()
        if isinstance(field, forms.CharField) and key in valid
    ]
    field = data.draw(st.sampled_from(text_fields))
    value = data.draw(hostile | st.text(min_size=1).map(lambda s: s * 3000))
    form = build(world, {**valid, field: value})
    if not form.is_valid():
        assert field in form.errors, form.errors
        return
    limit = getattr(form.fields[field], "max_length", None)
    for text in _strings(form.cleaned_data[field]):
        assert not {c for c in text if c in BIDI or (c in CONTROLS and c not in "\n\t")}
        assert unicodedata.is_normalized("NFC", text)
        assert limit is None or len(text) <= limit


def test_the_valid_data_of_each_form_is_valid(world):
    for name, (build, valid) in FORMS.items():
        form = build(world, valid)
        assert form.is_valid(), (name, form.errors)


@pytest.mark.parametrize("body", ["0", "[1]", "null", '{"blocks": 5}'])
def test_an_article_body_of_json_not_the_editors_is_taken_as_text(world, body):
    # "0" posted as the body raised AttributeError inside Wagtail's converter
    build, valid = FORMS["article submission"]
    form = build(world, {**valid, "body": body})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == f"<p>{body}</p>"
