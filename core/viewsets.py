"""Wagtail admin viewsets whose every view sees only the rows the user may reach.

Wagtail's generic views check permissions per model; Sanfu's roles are scoped to a
campaign or a unit, so each view also narrows its queryset through the app's
``access`` functions. An object outside the scope answers 404, as if it did not exist.

Their create, edit and delete write the audit entry through the recorder the audit
app sets (``record_form_changes_with``): with the object's campaign, so that its
office finds it, and the fields changed, before and after.
"""

import copy
from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import (
    BooleanField,
    Model,
    ProtectedError,
    QuerySet,
    RestrictedError,
)
from django.forms import ModelForm, modelform_factory
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext, ngettext
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import (
    CopyViewMixin,
    CreateView,
    DeleteView,
    EditView,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.models.orderable import set_max_order

Scope = Callable[..., QuerySet[Any]]
# The request's user, of whichever model the project names (core sits below org).
User = AbstractBaseUser | AnonymousUser
# Writes the audit entry of a form's change: (object, action, actor).
Recorder = Callable[[Model, str, User], None]
_recorders: list[Recorder] = []

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


def yes_no(value: Any) -> str:
    """A boolean in words; "—" when unknown."""
    if value is None:
        return "—"
    return gettext("Yes") if value else gettext("No")


class YesNoColumn(Column):
    """A boolean field's column in words, not as Python's True and False."""

    def get_value(self, instance: Any) -> str:
        return yes_no(super().get_value(instance))


def _is_boolean(model: Any, name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), BooleanField)
    except FieldDoesNotExist:  # a method, a property or a lookup
        return False


class ScopedIndexMixin(ScopedViewMixin):
    """The listing shows only rows in scope, its booleans in words."""

    model: Any

    def get_base_queryset(self) -> QuerySet[Any]:
        return self.scoped(super().get_base_queryset())  # type: ignore[misc]

    def _get_custom_column(
        self, field_name: str, column_class: Any = Column, **kwargs: Any
    ) -> Any:
        if column_class is Column and _is_boolean(self.model, field_name):
            column_class = YesNoColumn
        return super()._get_custom_column(  # type: ignore[misc]
            field_name, column_class, **kwargs
        )


class ScopedObjectMixin(ScopedViewMixin):
    """One object's views answer 404 for an object out of scope. (Their own
    querysets, such as a history view's log entries, are left alone.)"""

    def get_object(self, *args: Any, **kwargs: Any) -> Model:
        obj = super().get_object(*args, **kwargs)  # type: ignore[misc]
        if not self.scoped(type(obj)._default_manager.filter(pk=obj.pk)).exists():
            raise Http404
        return obj


class YesNoInspectMixin:
    """The inspect view shows booleans in words."""

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        if isinstance(field, BooleanField):
            return yes_no(getattr(self.object, field_name))  # type: ignore[attr-defined]
        return super().get_field_display_value(field_name, field)  # type: ignore[misc]


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


def record_form_changes_with(recorder: Recorder) -> None:
    """Have the forms' create, edit and delete written by ``recorder`` (the audit
    app's, which adds the object's campaign and the changed fields to the entry);
    until then Wagtail's own entry is written."""
    _recorders[:] = [recorder]


def _record(instance: Model, action: str, actor: User) -> None:
    if _recorders:
        _recorders[0](instance, action, actor)
    else:
        log(instance=instance, action=action)


class AuditedCreateView(CreateView):
    """Wagtail's create, its audit entry written by the recorder."""

    def save_instance(self) -> Model:
        instance: Model = self.form.save()
        if self.sort_order_field and getattr(instance, self.sort_order_field) is None:
            set_max_order(instance, self.sort_order_field)
        _record(instance, "wagtail.create", self.request.user)
        return instance


class AuditedCopyView(CopyViewMixin, AuditedCreateView):
    """Wagtail's copy: a create form filled from the source. The form's instance is
    an unsaved twin of the source, so that saving creates a row (Wagtail's own would
    save over the source) and uniqueness is checked against the source too."""

    def get_initial_form_instance(self) -> Model:
        twin = copy.copy(super().get_initial_form_instance())
        twin.pk = None
        twin._state.adding = True
        return twin


class AuditedEditView(EditView):
    """Wagtail's edit, its audit entry written by the recorder."""

    def save_instance(self) -> Model:
        instance: Model = self.form.save()
        self.has_content_changes = self.form.has_changed()
        _record(instance, "wagtail.edit", self.request.user)
        return instance


class AuditedDeleteView(DeleteView):
    """Wagtail's delete, its audit entry written by the recorder."""

    def delete_action(self) -> None:
        with transaction.atomic():
            _record(self.object, "wagtail.delete", self.request.user)
            self.object.delete()


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
    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView
    copy_view_class = AuditedCopyView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        views = {"index_view_class": (ScopedIndexMixin, False)} | {
            attr: (ScopedObjectMixin, write) for attr, write in _OBJECT_VIEWS.items()
        }
        for attr, (mixin, write) in views.items():
            base = getattr(self, attr)
            guards: tuple[type, ...] = {
                "delete_view_class": (GuardedDeleteMixin,),
                "inspect_view_class": (YesNoInspectMixin,),
            }.get(attr, ())
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
            fields=self.form_fields_for(for_update),
            exclude=self.get_exclude_form_fields(),
        )

    def form_fields_for(self, for_update: bool) -> Any:
        """The form's fields: the same for creating and editing, unless a viewset
        keeps some (a slug, an owner) to creation."""
        return self.get_form_fields()
