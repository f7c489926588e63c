"""Real Celery worker processes on the real PostgreSQL and Redis, started and killed by tests.

A worker process cannot see SQLite's in-memory test database nor a test's open transaction:
these tests need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), use `transactional_db`
(committed rows) and point the workers at pytest-django's test database. Each test gets a
Celery queue of its own on the Redis database of REDIS_URL (CI gives the run its own database),
so runs side by side never take each other's tasks.
"""

import os
import socket
import time
import uuid
from dataclasses import dataclass, field

import pytest

from invoices.benchmarks.processes import (
    ManagedProcess,
    queue_purge,
    queue_size,
    worker_environment,
    worker_start,
)

# A killed worker's flows are taken up again by the sweep at the next worker start, and its
# unacknowledged messages redelivered by Redis, after these few seconds (not hours).
FLOW_STALL_SECONDS = 3
VISIBILITY_TIMEOUT = 5
RECOVERY_DELAY = max(FLOW_STALL_SECONDS, VISIBILITY_TIMEOUT) + 1


@pytest.fixture
def real_stack(settings):
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip(
            "needs PostgreSQL: a worker process cannot see SQLite's in-memory test database "
            "(set DATABASE_URL=postgres://..., as CI does)"
        )
    if not settings.REDIS_URL:
        pytest.skip("needs Redis as the Celery broker (set REDIS_URL=redis://..., as CI does)")


@dataclass
class Workers:
    queue: str
    log_dir: object
    started: list[ManagedProcess] = field(default_factory=list)

    def start(self, **settings: str) -> ManagedProcess:
        """A worker; `settings`: more environment variables of the platform for it."""
        environment = worker_environment(
            queue=self.queue,
            FLOW_STALL_SECONDS=str(FLOW_STALL_SECONDS),
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            **settings,
        )
        number = len(self.started) + 1
        worker = worker_start(
            name=f"{self.queue}-{number}",
            environment=environment,
            concurrency=2,
            log_path=self.log_dir / f"worker-{number}.log",
        )
        self.started.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.log_tail()}" for w in self.started)

    def wait_idle(self, worker: ManagedProcess, timeout: float = 120) -> None:
        """Until the queue is empty and the worker runs nothing (late duplicates included)."""
        from chorus.celery import app

        deadline = time.monotonic() + timeout
        destination = f"{worker.name}@{socket.gethostname()}"
        while time.monotonic() < deadline:
            if not queue_size(self.queue):
                # Messages the worker took (prefetched) are no longer in the queue.
                inspect = app.control.inspect(destination=[destination], timeout=2)
                running, reserved = inspect.active() or {}, inspect.reserved() or {}
                if running.get(destination) == [] and reserved.get(destination) == []:
                    return
            time.sleep(0.2)
        pytest.fail(f"worker {worker.name} still busy after {timeout} s\n{self.logs()}")


@pytest.fixture
def workers(real_stack, transactional_db, tmp_path):
    """Starts real workers on this test's own queue; stops them all at the end, even on failure.

    Declared after `transactional_db`, so the workers are gone before pytest-django empties the
    tables. In this process, tasks are sent to the queue instead of running inline.
    """
    from chorus.celery import app

    queue = f"test-reliability-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    queue_purge(queue)
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    pool = Workers(queue=queue, log_dir=tmp_path / "workers")
    try:
        yield pool
    finally:
        for worker in pool.started:
            worker.stop()
        queue_purge(queue)
        app.conf.task_always_eager, app.conf.task_default_queue = previous
