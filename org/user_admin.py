"""Wagtail's screens of people (``/admin/users/``), their create, edit and delete
written to the audit trail with the fields changed, like every form of the back
office (``core.viewsets``): who made whom a superuser, or inactive, is on it."""

from wagtail.users.views import users

from core.viewsets import AuditedCreateView, AuditedDeleteView, AuditedEditView


class CreateView(users.CreateView, AuditedCreateView):
    pass


class EditView(users.EditView, AuditedEditView):
    pass


class DeleteView(users.DeleteView, AuditedDeleteView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
