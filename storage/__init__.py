"""Persistence: SQLAlchemy 2 async tables, repository functions and Alembic migrations."""
