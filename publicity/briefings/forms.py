from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import get_rich_text_editor_widget

from publicity.models import BRIEFING_FEATURES
from text.forms import DOCUMENT_MAX, TextField


class BriefingForm(forms.Form):
    """Title, the editor's text, and the articles in order: an article is in the
    briefing when it has a position; positions give the order."""

    title = TextField(label=_("Title"), max_length=255)
    text = TextField(
        label=_("Editor's text"),
        max_length=DOCUMENT_MAX,
        required=False,
        widget=get_rich_text_editor_widget(features=BRIEFING_FEATURES),
    )
    revision_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        articles: list[Any],
        chosen: list[Any] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.articles = articles
        positions = {article.pk: n for n, article in enumerate(chosen or [], start=1)}
        for article in articles:
            self.fields[f"article_{article.pk}"] = forms.IntegerField(
                label=article.title,
                required=False,
                min_value=1,
                max_value=999,
                initial=positions.get(article.pk),
                help_text=article.published_on.isoformat(),
            )

    def article_fields(self) -> list[Any]:
        return [self[f"article_{article.pk}"] for article in self.articles]

    def chosen_articles(self) -> list[Any]:
        ranked = [
            (self.cleaned_data[f"article_{article.pk}"], index, article)
            for index, article in enumerate(self.articles)
            if self.cleaned_data.get(f"article_{article.pk}") is not None
        ]
        return [article for _pos, _index, article in sorted(ranked)]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors and not self.chosen_articles():
            raise forms.ValidationError(_("Give at least one article a position."))
        return cleaned
