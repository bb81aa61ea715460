"""An optional read replica (DATABASE_REPLICA_URL): public pages read from it; the admin,
every write and every read made while writing use the primary."""

from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
reading_public_page = ContextVar("reading_public_page", default=False)


# Who is signed in, and their lockouts, are always read where they are written.
PRIMARY_ONLY = {"sessions", "auth", "axes", "otp_totp", "otp_static", "django_otp"}


def public_reads_alias():
    """The database a public page reads from now."""
    return REPLICA if reading_public_page.get() and REPLICA in connections.settings else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY:
            return "default"
        return public_reads_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
