"""chat: an index for the recent waits of an inbox

The estimated wait of a queued chat is read from the last chats the inbox's agents accepted
(`views.QueueFacts.waits`): newest `accepted_at` first, per inbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 01:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_conversations", schema=None) as batch_op:
        batch_op.create_index("ix_chat_conversations_waits", ["chat_inbox_id", "accepted_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chat_conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_conversations_waits")
