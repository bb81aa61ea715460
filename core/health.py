"""/healthz, for load balancers: the database answers, the cache keeps a value, and every
migration is applied (django-health-check)."""

import dataclasses

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """A server whose code expects migrations the database lacks must not get traffic."""

    def run(self):
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise ServiceUnavailable("migrations are not all applied")


health = HealthCheckView.as_view(
    checks=["health_check.checks.Database", "health_check.checks.Cache", MigrationsApplied]
)
