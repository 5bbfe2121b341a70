from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from core.masking import mask_phone


class Organisation(models.Model):
    """The public body that runs campaigns (e.g. 珠江水利委員會)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership")
    DEPARTMENT = "department", _("Functional department")
    SUBORDINATE = "subordinate", _("Subordinate unit")
    GRASSROOTS = "grassroots", _("Grassroots unit")
    PARTY = "party", _("Party or mass organisation")


TREE_FIELDS = frozenset({"path", "depth", "numchild"})


class Unit(MP_Node):
    """A department, subordinate unit or grassroots unit of an organisation.

    A materialised-path tree, so a subtree is one indexed prefix query even with
    100,000 units.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    # No node_order_by: a sorted tree renumbers the paths of every later sibling on
    # each insert (costly with 100,000 units) and leaves loaded instances with stale
    # paths that a later save() writes back. Lists sort by name where they need to.

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unit_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # treebeard keeps path, depth and numchild with queryset updates; an instance
        # loaded before a sibling or child was added holds stale values, which a plain
        # save() would write back over the tree. Only tree operations write them.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in TREE_FIELDS
            ]
        super().save(*args, **kwargs)


class Person(AbstractUser):
    """A user of the platform.

    Chinese names are not split into given and family names, so ``full_name`` is
    one field.
    """

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # two-step sign-in (TOTP, RFC 6238): the shared secret once confirmed, and the
    # last time step a code was accepted for, so that no code works twice
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class UnitRole(models.TextChoices):
    HEAD = "head", _("Unit head")
    LIAISON = "liaison", _("Unit liaison")
    STAFF = "staff", _("Staff member")


class Membership(models.Model):
    """A person's place in a unit: the title they hold and the unit role it grants."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=UnitRole.choices, default=UnitRole.STAFF
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "person__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"], name="membership_once_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.title or self.get_role_display()}"


class WorkdayOverride(models.Model):
    """A day the official calendar package does not know, or that is kept otherwise
    here: a holiday (not a working day) or a make-up working day (調休上班)."""

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class HolidayNotice(models.Model):
    """The State Council's holiday notice for a year, as the office entered it:
    its days are working-day overrides, and the year's make-up days (調休) are
    known from then on (``org.calendar.calendar_gaps``)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    text = models.TextField(_("notice text"), blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
