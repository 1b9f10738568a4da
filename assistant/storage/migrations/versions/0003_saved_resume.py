"""saved résumé: a talent's uploaded file kept with the profile, reviewed by default on /resume and in the chat

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column['name'] for column in sa.inspect(op.get_bind()).get_columns('market_profiles')}
    if 'resume_data' in columns:
        return
    with op.batch_alter_table('market_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resume_data', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('market_profiles', schema=None) as batch_op:
        batch_op.drop_column('resume_data')
