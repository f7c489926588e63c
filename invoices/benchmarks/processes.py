"""Real processes of the platform started from Python: Celery workers, the SFTP server, the web
server; for the benchmark and the crash-and-restart test.

`process_start` runs a command in a process group of its own, output to a log file, so that it
can be killed whole (`kill -9` of a worker's main process and its pool children, as a crash
would) or stopped cleanly, and its memory measured (the resident set of every process of the
group, from /proc). `worker_environment` gives them the database, broker, queue and files of
the caller; `worker_start` starts `celery -A chorus worker`.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def database_url(database: dict) -> str:
    """The DATABASE_URL of a Django database definition (PostgreSQL), e.g. the test database."""
    if "postgresql" not in database["ENGINE"]:
        raise ValueError(f"a worker process needs PostgreSQL, not {database['ENGINE']}")
    credentials = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database.get("HOST") or "localhost"
    if host.startswith("/"):  # a Unix socket folder, percent-encoded in a URL
        host = quote(host, safe="")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(database['NAME'], safe='')}"


def worker_environment(*, queue: str, **overrides: str) -> dict[str, str]:
    """The caller's environment with its database, broker, queue and files, tasks not eager."""
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=database_url(settings.DATABASES["default"]),
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_QUEUE=queue,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        EDI_ROOT=str(settings.EDI_ROOT),
        PYTHONUNBUFFERED="1",
    )
    environment.update(overrides)
    return environment


@dataclass
class ManagedProcess:
    name: str
    process: subprocess.Popen
    log_path: Path
    ready_marker: str  # what the process writes to its log once it serves

    def pids(self) -> list[int]:
        """The processes of the group: the main process and its children (a worker's pool)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                # The command name is in parentheses and may hold spaces: read after it.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended while we looked
            if int(fields[2]) == self.process.pid:  # fields[2] is the process group
                found.append(int(entry.name))
        return found

    def rss_bytes(self) -> int:
        """Resident memory of the whole group right now."""
        total = 0
        for pid in self.pids():
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
            except (OSError, IndexError):
                continue
        return total

    def is_ready(self) -> bool:
        return self.ready_marker in self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the whole group, as a crash: nothing is acknowledged or cleaned up."""
        self._signal_group(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (a worker's warm shutdown: running tasks finish), then SIGKILL what is left."""
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        self._signal_group(signal.SIGKILL)  # pool children outliving their parent, if any
        self.process.wait()

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(self.process.pid, signum)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def process_start(
    *, name: str, command: list[str], environment: dict[str, str], log_path: Path, ready: str
) -> ManagedProcess:
    """Starts `command` from the project's folder in a process group of its own."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
        )
    return ManagedProcess(name=name, process=process, log_path=log_path, ready_marker=ready)


def worker_start(
    *, name: str, environment: dict[str, str], concurrency: int, log_path: Path
) -> ManagedProcess:
    """Starts `celery -A chorus worker` (prefork, `concurrency` processes) as node `name`."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "chorus",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        f"--hostname={name}@%h",
        # One worker node: no need to talk to others at start-up or afterwards.
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    return process_start(
        name=name, command=command, environment=environment, log_path=log_path, ready=" ready."
    )


def queue_purge(queue: str) -> int:
    """Drops every message waiting in `queue`; returns how many there were."""
    from chorus.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.queue_purge(queue) or 0


def queue_size(queue: str) -> int:
    """Messages waiting in `queue` (not those a worker has taken and not yet acknowledged)."""
    from chorus.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue).message_count
