from typing import Any

import factory

from org.models import Membership, Organisation, Person, Unit, UnitKind

PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"測試委員會{n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Sequence(lambda n: f"測試人員{n}")

    @factory.post_generation
    def password(
        obj: Person, create: bool, extracted: str | None, **kwargs: Any
    ) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    """Units are tree nodes, so they are made through treebeard's add_root."""

    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"測試處{n}")
    kind = UnitKind.DEPARTMENT

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        parent = kwargs.pop("parent", None)
        if parent is not None:
            return parent.add_child(**kwargs)
        return model_class.add_root(**kwargs)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    title = "聯絡員"
    role = "liaison"
