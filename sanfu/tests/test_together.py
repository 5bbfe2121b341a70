import pytest
from django.contrib.auth.models import Group
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save

from sanfu.lib.together import Step, insert_together

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="one statement is PostgreSQL's WITH"
)


@pytest.fixture
def signals():
    heard: list[tuple[str, str, bool | None]] = []

    def before(sender, instance, **kwargs):
        heard.append(("pre_save", instance.name, None))

    def after(sender, instance, created, **kwargs):
        heard.append(("post_save", instance.name, created))

    pre_save.connect(before, sender=Group, dispatch_uid="test-together-pre")
    post_save.connect(after, sender=Group, dispatch_uid="test-together-post")
    yield heard
    pre_save.disconnect(sender=Group, dispatch_uid="test-together-pre")
    post_save.disconnect(sender=Group, dispatch_uid="test-together-post")


@postgresql_only
def test_new_rows_are_written_by_one_statement_as_save_writes_them(
    signals, django_assert_num_queries
):
    rows = [Group(name="綜合組"), Group(name="宣傳組")]
    with django_assert_num_queries(1):
        insert_together(rows)
    for row in rows:
        assert row.pk is not None and not row._state.adding
        assert row._state.db == "default"
        assert Group.objects.get(pk=row.pk).name == row.name
    assert rows[0].pk != rows[1].pk
    assert signals == [
        ("pre_save", "綜合組", None),
        ("pre_save", "宣傳組", None),
        ("post_save", "綜合組", True),
        ("post_save", "宣傳組", True),
    ]


@postgresql_only
def test_a_step_reads_the_rows_written_before_it():
    row = Group(name="辦公室")
    step = Step(
        "copy",
        "INSERT INTO auth_group (name) SELECT %s || row0.id FROM row0 RETURNING 1",
        ["副本"],
    )
    insert_together([row], then=[step])
    assert Group.objects.filter(name=f"副本{row.pk}").exists()
    # with no rows: steps alone, which see the table as it was before them
    again = "INSERT INTO auth_group (name) SELECT name || %s FROM auth_group "
    insert_together(
        [], then=[Step("again", again + "WHERE id >= %s RETURNING 1", ["+", row.pk])]
    )
    assert set(Group.objects.filter(pk__gte=row.pk).values_list("name", flat=True)) == {
        "辦公室",
        f"副本{row.pk}",
        "辦公室+",
        f"副本{row.pk}+",
    }


@postgresql_only
def test_a_row_that_fails_leaves_nothing_written():
    Group.objects.create(name="已有")
    rows = [Group(name="新組"), Group(name="已有")]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together(rows)
    assert not Group.objects.filter(name="新組").exists()
    failing = Step(
        "fails",
        "INSERT INTO auth_group (name) SELECT (1 / 0)::text FROM row0 RETURNING 1",
        [],
    )
    with pytest.raises(DataError), transaction.atomic():
        insert_together([Group(name="又一組")], then=[failing])
    assert not Group.objects.filter(name="又一組").exists()


@postgresql_only
def test_what_cannot_be_written_together_is_refused_before_any_statement(
    django_assert_num_queries,
):
    saved = Group.objects.create(name="已存")
    same = Step("row0", "SELECT 1", [])
    with django_assert_num_queries(0):
        with pytest.raises(ValueError, match="nothing"):
            insert_together([])
        with pytest.raises(ValueError, match="only a new row"):
            insert_together([saved])
        with pytest.raises(ValueError, match="share a name"):
            insert_together([Group(name="重名")], then=[same])
    assert not Group.objects.filter(name="重名").exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="other databases")
def test_other_databases_are_refused():
    with pytest.raises(NotImplementedError):
        insert_together([Group(name="綜合組")])
    assert not Group.objects.filter(name="綜合組").exists()
