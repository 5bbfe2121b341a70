"""The campaign roles, apart, so that every app's roles.py can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignRole(models.TextChoices):
    LEADER = "leader", _("Leader of the leading group")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader of the leading group")
    GROUP_MEMBER = "group_member", _("Member of the leading group")
    OFFICE_DIRECTOR = "office_director", _("Office director")
    OFFICE_DEPUTY_DIRECTOR = "office_deputy_director", _("Office deputy director")
    COMPREHENSIVE = "comprehensive", _("Comprehensive group")
    PUBLICITY = "publicity", _("Publicity group")
