"""policy notices: subscriptions and the inbox (tables the eligibility store created itself before)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 06:38:08.012714
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Databases where the eligibility store already created these tables (CREATE TABLE IF NOT EXISTS) keep them.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'policy_inbox' in existing and 'policy_subscriptions' in existing:
        return
    op.create_table('policy_inbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('doc_id', sa.Text(), nullable=False),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('verdict', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Text(), nullable=True),
    sa.Column('deadline_soon', sa.Boolean(), nullable=False),
    sa.Column('created', sa.Text(), nullable=False),
    sa.Column('read', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'doc_id', 'version', name='policy_inbox_once')
    )
    with op.batch_alter_table('policy_inbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_inbox_user_id'), ['user_id'], unique=False)

    op.create_table('policy_subscriptions',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('opt_in', sa.Boolean(), nullable=False),
    sa.Column('updated', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    op.drop_table('policy_subscriptions')
    with op.batch_alter_table('policy_inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_inbox_user_id'))

    op.drop_table('policy_inbox')
