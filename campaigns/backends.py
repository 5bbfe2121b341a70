from typing import Any

from django.contrib.auth.backends import BaseBackend

from campaigns.access import roles_of
from campaigns.roles import permissions_for_roles


class RoleBackend(BaseBackend):
    """Grants the Django permissions that a person's positions and memberships carry."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_sanfu_role_perm_cache"):
            user_obj._sanfu_role_perm_cache = permissions_for_roles(roles_of(user_obj))
        return user_obj._sanfu_role_perm_cache

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
