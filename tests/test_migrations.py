"""The migration history is linear and matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import tend.models
from tend.migrations import alembic_config, current_revision, head_revision
from tend.runtime import Runtime


def test_one_linear_history(rt: Runtime) -> None:
    script = ScriptDirectory.from_config(alembic_config(rt.db.engine))
    assert len(script.get_heads()) == 1
    assert current_revision(rt.db.engine) == head_revision(rt.db.engine)


def test_models_match_migrations(rt: Runtime) -> None:
    with rt.db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, tend.models.Base.metadata)
    assert diff == [], f"write a migration for: {diff}"
