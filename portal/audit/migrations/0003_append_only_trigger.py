# On PostgreSQL the database itself refuses UPDATE and DELETE on the audit table, whoever
# connects as the application's role, except:
# - the sealer's one-time fill of the chain columns (seq, prev_hash, hash from NULL to set,
#   nothing else changed);
# - Django's SET_NULL of the application link when an erased application is deleted
#   (docs/privacy.md: the link is not hashed; object_type/object_id keep naming the case).
# TRUNCATE is left to the table owner (test database flushes use it); emptying the table is
# caught by the signed checkpoint, like any removal of the newest rows (docs/security.md).

from django.db import migrations

TABLE = "applications_auditevent"

CREATE = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_rest jsonb;
    new_rest jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit events are append-only: DELETE refused (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    old_rest := to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash';
    new_rest := to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash';
    IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND new_rest = old_rest THEN
        RETURN NEW;  -- the sealer
    END IF;
    IF OLD.application_id IS NOT NULL AND NEW.application_id IS NULL
       AND (new_rest - 'application_id') = (old_rest - 'application_id')
       AND NEW.seq IS NOT DISTINCT FROM OLD.seq
       AND NEW.prev_hash IS NOT DISTINCT FROM OLD.prev_hash
       AND NEW.hash IS NOT DISTINCT FROM OLD.hash THEN
        RETURN NEW;  -- erasure of the linked application
    END IF;
    RAISE EXCEPTION 'audit events are append-only: UPDATE refused (id %)', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE};
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

DROP = f"""
DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the function body's "%" are PL/pgSQL's, not placeholders.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_sealed_chain_columns"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
