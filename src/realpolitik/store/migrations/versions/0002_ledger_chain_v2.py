"""Ledger chain hash version 2: every column and the sealed run record are covered.

Adds ``run_hash`` (SHA-256 of the ``runs`` row a forecast seals) and ``hash_version`` (NULL
for the entries already sealed, which keep their version-1 hash), and an index on ``run_id``
(sealing a run looks up what of it is already sealed).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger", sa.Column("run_hash", sa.String(64), nullable=True))
    op.add_column("ledger", sa.Column("hash_version", sa.Integer, nullable=True))
    op.create_index("ix_ledger_run_id", "ledger", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_run_id", table_name="ledger")
    with op.batch_alter_table("ledger") as b:
        b.drop_column("hash_version")
        b.drop_column("run_hash")
