"""Wagtail admin viewsets whose every view sees only the rows the user may reach.

Wagtail's generic views check permissions per model; Sanfu's roles are scoped to a
campaign or a unit, so each view also narrows its queryset through the app's
``access`` functions. An object outside the scope answers 404, as if it did not exist.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.forms import ModelForm, modelform_factory
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

Scope = Callable[..., QuerySet[Any]]

# Views that act on one object; with ``write``, those that change it.
_OBJECT_VIEWS = {
    "edit_view_class": True,
    "delete_view_class": True,
    "history_view_class": False,
    "usage_view_class": False,
    "copy_view_class": False,
    "inspect_view_class": False,
}


class ScopedViewMixin:
    scope: Scope | None = None
    write_access = False
    request: Any

    def scoped(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        assert self.scope is not None
        allowed = self.scope(self.request.user, write=self.write_access)
        return queryset.filter(pk__in=allowed.values("pk"))


class ScopedIndexMixin(ScopedViewMixin):
    """The listing shows only rows in scope."""

    def get_base_queryset(self) -> QuerySet[Any]:
        return self.scoped(super().get_base_queryset())  # type: ignore[misc]


class ScopedObjectMixin(ScopedViewMixin):
    """One object's views answer 404 for an object out of scope. (Their own
    querysets, such as a history view's log entries, are left alone.)"""

    def get_object(self, *args: Any, **kwargs: Any) -> Model:
        obj = super().get_object(*args, **kwargs)  # type: ignore[misc]
        if not self.scoped(type(obj)._default_manager.filter(pk=obj.pk)).exists():
            raise Http404
        return obj


def refuse_protected_delete(request: Any, obj: Model, count: int) -> HttpResponse:
    """Tell the user why ``obj`` was not deleted (``count`` records refer to it)
    and send them back."""
    messages.error(
        request,
        ngettext(
            "“%(object)s” cannot be deleted: %(count)d record still refers "
            "to it. Make it inactive or move that record first.",
            "“%(object)s” cannot be deleted: %(count)d records still refer "
            "to it. Make it inactive or move those records first.",
            count,
        )
        % {"object": obj, "count": count},
    )
    return HttpResponseRedirect(request.get_full_path())


class GuardedDeleteMixin:
    """A row that others still refer to is not deleted: the user is told why and
    sent back to it, instead of a server error."""

    object: Model
    request: Any

    def form_valid(self, form: Any) -> HttpResponse:
        # Wagtail refuses a row its reference index knows to be protected as a
        # permission error; the database refuses the rest: both are told the same.
        usage = getattr(self, "usage", None)
        if usage is not None and usage.is_protected:
            return refuse_protected_delete(self.request, self.object, usage.count())
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except (ProtectedError, RestrictedError) as error:
            return refuse_protected_delete(
                self.request, self.object, len(error.args[1])
            )


class ScopedModelForm(WagtailAdminModelForm):
    """Limits each foreign-key choice to what the user may write to.

    ``scoped_choices`` maps a field name to an access function taking the user.
    """

    scoped_choices: dict[str, Scope] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name, scope in self.scoped_choices.items():
            if name in self.fields and user is not None:
                field: Any = self.fields[name]
                field.queryset = field.queryset.filter(
                    pk__in=scope(user, write=True).values("pk")
                )


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose views go through ``scope(user, write=...)``.

    ``scoped_choices`` names the foreign keys whose choices are limited to what the
    user may write to, each with its access function.
    """

    scope: Scope
    scoped_choices: dict[str, Scope] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        views = {"index_view_class": (ScopedIndexMixin, False)} | {
            attr: (ScopedObjectMixin, write) for attr, write in _OBJECT_VIEWS.items()
        }
        for attr, (mixin, write) in views.items():
            base = getattr(self, attr)
            guards = (GuardedDeleteMixin,) if attr == "delete_view_class" else ()
            scoped = type(
                f"Scoped{base.__name__}",
                (*guards, mixin, base),
                {"write_access": write, "scope": staticmethod(type(self).scope)},
            )
            setattr(self, attr, scoped)

    def get_form_class(self, for_update: bool = False) -> type[ModelForm]:
        base = type(
            f"{self.model.__name__}ScopedForm",
            (ScopedModelForm,),
            {"scoped_choices": self.scoped_choices},
        )
        return modelform_factory(
            self.model,
            form=base,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
            exclude=self.get_exclude_form_fields(),
        )
