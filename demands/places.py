"""Where a demand is: a district or street of the campaign (``Area``, kept by the
office), the rest of the address as typed, and an optional point (WGS 84) from the
browser's location, a map or an Open311 client's ``lat``/``long``.

The form fields work without JavaScript and without a map: the areas are one
``<select>`` grouped by district, and the point is two optional number boxes that
the "use my location" button (``demands/place.js``) fills when it can.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demands.models import Area

MICRO_DEGREE = Decimal("0.000001")


def parse_point(lat: Any, long: Any) -> tuple[Decimal, Decimal] | None:
    """``lat`` and ``long`` as a point on the earth (WGS 84, to a micro-degree), or
    None when neither is given; both or neither, else ``ValidationError``."""
    lat, long = str(lat or "").strip(), str(long or "").strip()
    if not lat and not long:
        return None
    try:
        point = (Decimal(lat), Decimal(long))
    except InvalidOperation:
        point = None
    if (
        point is None
        or not all(value.is_finite() for value in point)
        or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180)
    ):
        raise ValidationError(
            _("Give both latitude and longitude, in degrees (WGS 84)."),
            code="point",
        )
    return (point[0].quantize(MICRO_DEGREE), point[1].quantize(MICRO_DEGREE))


def offered_areas(campaigns: QuerySet[Any]) -> QuerySet[Area]:
    return (
        Area.objects.filter(campaign__in=campaigns, is_active=True)
        .select_related("district")
        .order_by("campaign", "sequence", "name")
    )


def area_choices(areas: QuerySet[Area]) -> list[Any]:
    """One group per district: the district as a whole, then its streets."""
    rows = list(areas)
    streets: dict[int, list[Area]] = {}
    for area in rows:
        if area.district_id is not None:
            streets.setdefault(area.district_id, []).append(area)
    choices: list[Any] = [("", _("Not given"))]
    for district in rows:
        if district.district_id is not None:
            continue
        whole = _("%(district)s (whole district)") % {"district": district.name}
        options = [(str(district.pk), whole)]
        options += [
            (str(street.pk), street.name) for street in streets.get(district.pk, [])
        ]
        choices.append((district.name, options))
    return choices


class AreaField(forms.ChoiceField):
    """A district or street of the offered areas, as an ``Area`` (or None)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("District and street"))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.areas: dict[str, Area] = {}

    def offer(self, areas: QuerySet[Area]) -> None:
        self.choices = area_choices(areas)
        self.areas = {str(area.pk): area for area in areas}

    def clean(self, value: Any) -> Area | None:
        value = super().clean(value)
        return self.areas.get(value) if value else None


def coordinate_field(label: Any, low: int, high: int, name: str) -> forms.Field:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(
            attrs={
                "step": "any",
                "inputmode": "decimal",
                "autocomplete": "off",
                f"data-place-{name}": "",
            }
        ),
    )


class PlaceFormMixin(forms.Form):
    """The place fields of a demand form: the area, and the point as ``point``
    (the latitude and longitude boxes go into one value, both or neither)."""

    area = AreaField()
    latitude = coordinate_field(gettext_lazy("Latitude"), -90, 90, "latitude")
    longitude = coordinate_field(gettext_lazy("Longitude"), -180, 180, "longitude")

    def offer_areas(self, campaigns: QuerySet[Any]) -> None:
        field = self.fields["area"]
        assert isinstance(field, AreaField)
        field.offer(offered_areas(campaigns))

    def clean_place(self, data: dict[str, Any]) -> dict[str, Any]:
        lat, long = data.pop("latitude", None), data.pop("longitude", None)
        if "latitude" in self.errors or "longitude" in self.errors:
            return data
        try:
            data["point"] = parse_point(lat, long)
        except ValidationError as error:
            self.add_error("longitude" if lat is not None else "latitude", error)
        return data

    @property
    def map_tiles(self) -> str:
        return str(settings.SANFU_MAP["TILE_URL"])

    @property
    def map_center(self) -> str:
        center: list[str] = settings.SANFU_MAP["CENTER"]
        return ",".join(str(value) for value in center)

    @property
    def map_zoom(self) -> int:
        zoom: int = settings.SANFU_MAP["ZOOM"]
        return int(zoom)
