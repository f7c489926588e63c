"""How long `deposer/flux` takes to answer: a measurement the benchmark calls.

The deposit answers once the file is stored and its processing queued, before any
validation: with Celery eager (the default without a broker) the pipeline would run inside
the request and the figure would measure validation instead. Run it with a real broker
(CELERY_BROKER_URL=redis://..., CELERY_TASK_ALWAYS_EAGER=0).

    headers = api_headers(access_token=token, login=account.login, password=password)
    report = deposit_latency(client=Client(), headers=headers, documents=files)
    print(report)  # 200 dépôts : p50 12.3 ms, p95 18.9 ms, max 31.0 ms

`documents` yields (file name, bytes): distinct files, or the re-sends are answered from
the first deposit and measure that instead.
"""

import base64
import json
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

from invoices.enums import FlowSyntax

DEPOSIT_PATH = "/cpro/factures/v1/deposer/flux"


@dataclass(frozen=True)
class LatencyReport:
    samples: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    def __str__(self) -> str:
        return (
            f"{self.samples} dépôts : p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, "
            f"max {self.max_ms:.1f} ms"
        )


def api_headers(*, access_token: str, login: str, password: str) -> dict[str, str]:
    """Both credentials of a /cpro/ call."""
    account = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Bearer {access_token}", "cpro-account": account}


def deposit_latency(
    *,
    client,
    headers: dict[str, str],
    documents: Iterable[tuple[str, bytes]],
    syntax: str = FlowSyntax.CII,
) -> LatencyReport:
    """Deposits each document through `client` (a django.test.Client or anything with the
    same `post`) and reports the answer times; a deposit not answered 200 stops the run."""
    durations = []
    for filename, data in documents:
        body = json.dumps(
            {
                "fichierFlux": base64.b64encode(data).decode("ascii"),
                "nomFichier": filename,
                "syntaxeFlux": syntax,
                "avecSignature": False,
            }
        )
        start = time.perf_counter()
        response = client.post(
            DEPOSIT_PATH, body, content_type="application/json;charset=utf-8", headers=headers
        )
        durations.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(
                f"deposit of {filename} answered {response.status_code}: {response.content[:500]!r}"
            )
    if len(durations) < 2:
        raise ValueError("At least two documents are needed to compute percentiles.")
    centiles = statistics.quantiles(durations, n=100, method="inclusive")
    return LatencyReport(
        samples=len(durations),
        p50_ms=statistics.median(durations),
        p95_ms=centiles[94],
        max_ms=max(durations),
    )
