"""The database refuses to change or remove audit records (see ``audit.trail``)."""

from django.db import migrations

TABLES = ("wagtailcore_modellogentry", "wagtailcore_pagelogentry")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION sanfu_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'audit records are append-only: ' || TG_OP || ' refused';
    END IF;
    -- Wagtail may flag an entry deleted, or lose its content type with the type
    IF (to_jsonb(NEW) - 'deleted' - 'content_type_id')
            IS DISTINCT FROM (to_jsonb(OLD) - 'deleted' - 'content_type_id')
        OR (NEW.content_type_id IS NOT NULL
            AND NEW.content_type_id IS DISTINCT FROM OLD.content_type_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'audit records are append-only: ' || TG_OP || ' refused';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# Every column but ``deleted`` and a content type going NULL.
SQLITE_COLUMNS = {
    "wagtailcore_modellogentry": ["object_id"],
    "wagtailcore_pagelogentry": ["page_id"],
}
COMMON = [
    "id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION sanfu_audit_append_only()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            changed = " OR ".join(
                f"NEW.{column} IS NOT OLD.{column}"
                for column in COMMON + SQLITE_COLUMNS[table]
            )
            changed += (
                " OR (NEW.content_type_id IS NOT NULL"
                " AND NEW.content_type_id IS NOT OLD.content_type_id)"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"WHEN {changed} BEGIN "
                "SELECT RAISE(ABORT, 'audit records are append-only'); END"
            )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only" + (
            f" ON {table}" if schema_editor.connection.vendor == "postgresql" else ""
        ))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS sanfu_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
