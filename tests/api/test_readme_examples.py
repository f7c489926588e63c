"""The README's API examples run against the demo world, so that the documentation cannot
drift from the API.

Every ```http block of the README's "API" section is a request (`METHOD /path`, headers, a
blank line, the body) followed by its answer (`HTTP/1.1 <status>`, headers, a blank line, the
JSON). The requests are sent in order, as written, and each answer must match the one shown:
the same keys, lists of the same length, the same values; except the values that differ from
one run to the next (ids, numbers given by the platform, dates, tokens), whose type alone is
checked and which are carried over to the later requests that quote them. A string ending with
"…" stands for a value the README shortens: the real one must start with what is shown.
"""

import base64
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from chorus.api import errors as chorus_errors
from chorus.management.commands.seed_demo import demo_world_seed
from invoices.api import errors as invoice_errors
from tests.invoices.factories import demo_invoice_xml

README = Path(settings.BASE_DIR) / "README.md"
SECTION = re.compile(r"^## API .*?(?=^## )", re.S | re.M)
BLOCK = re.compile(r"^```http\n(.*?)^```", re.S | re.M)
ELIDED = "…"
VOLATILE = re.compile(
    r"^(id|identifiant)|Id$|date|^numeroFluxDepot$|^access_token$|^fichier|^taille$", re.I
)
# A request's field and the answers' field that give its value, when their names differ.
SAME_AS = {
    "idStructureCPP": "idStructure",
    "identifiantFactureCPP": "idFacture",
    "pieceJointeComplementaireId": "pieceJointeId",
}

pytestmark = pytest.mark.django_db


def demo_invoice_base64() -> str:
    """The file of the README's deposit, whose base64 the README shows the beginning of."""
    return base64.b64encode(demo_invoice_xml()).decode()


def examples() -> list[tuple[str, str]]:
    """(request, answer) pairs of the README's API section, in order."""
    blocks = BLOCK.findall(SECTION.search(README.read_text()).group(0))
    assert len(blocks) % 2 == 0, "each request block is followed by its answer block"
    return list(zip(blocks[::2], blocks[1::2], strict=True))


def _split(block: str) -> tuple[str, dict[str, str], str]:
    head, _, body = block.partition("\n\n")
    first, *lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    return first, headers, body.strip()


def _learned_key(key: str, value) -> tuple[str, str]:
    return SAME_AS.get(key, key), json.dumps(value)


def _carry_over(value, learned: dict, key: str = ""):
    """The request's JSON with the values learned from earlier answers."""
    if isinstance(value, dict):
        return {k: _carry_over(v, learned, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_carry_over(v, learned, key) for v in value]
    if isinstance(value, str) and value.endswith(ELIDED):
        real = learned[key, ELIDED]
        assert real.startswith(value[: -len(ELIDED)]), f"{key}: the README's {value!r}"
        return real
    return learned.get(_learned_key(key, value), value)


def _match(shown, real, learned: dict, where: str, key: str = "") -> None:
    if isinstance(shown, dict):
        assert isinstance(real, dict), f"{where}: an object, not {real!r}"
        assert shown.keys() == real.keys(), f"{where}: keys {sorted(real)} not {sorted(shown)}"
        for name in shown:
            _match(shown[name], real[name], learned, f"{where}.{name}", name)
    elif isinstance(shown, list):
        assert isinstance(real, list) and len(real) == len(shown), f"{where}: {real!r}"
        for index, (item_shown, item_real) in enumerate(zip(shown, real, strict=True)):
            _match(item_shown, item_real, learned, f"{where}[{index}]", key)
    elif isinstance(shown, str) and shown.endswith(ELIDED):
        assert isinstance(real, str) and real.startswith(shown[: -len(ELIDED)]), where
    elif VOLATILE.search(key) and shown is not None:
        assert type(real) is type(shown), f"{where}: {real!r} is not like {shown!r}"
        learned[_learned_key(key, shown)] = real
    else:
        assert real == shown, f"{where}: the API answers {real!r}, the README shows {shown!r}"


def send(client, request: str, learned: dict):
    first, headers, body = _split(request)
    method, path = first.split(" ", 1)
    content_type = headers.pop("Content-Type", "application/json")
    if "Authorization" in headers:
        scheme, token = headers["Authorization"].split(" ", 1)
        headers["Authorization"] = f"{scheme} {learned.get(_learned_key('access_token', token))}"
    if method == "GET":
        return client.get(path, headers=headers)
    if content_type.startswith("application/json") and body:
        body = json.dumps(_carry_over(json.loads(body), learned))
    return client.generic(method, path, body, content_type=content_type, headers=headers)


def test_the_readme_api_examples_answer_as_shown(client, django_capture_on_commit_callbacks):
    demo_world_seed()
    learned = {("fichierFlux", ELIDED): demo_invoice_base64()}
    pairs = examples()
    assert len(pairs) >= 15, "every operation has its example"
    for request, answer in pairs:
        status_line, _headers, shown = _split(answer)
        with django_capture_on_commit_callbacks(execute=True):
            response = send(client, request, learned)
        where = request.splitlines()[0]
        assert response.status_code == int(status_line.split()[1]), (
            f"{where}: {response.status_code} {response.content.decode()}"
        )
        _match(json.loads(shown), response.json(), learned, where)


def test_the_readme_lists_every_message_code_of_the_api():
    codes = {
        message.code
        for module in (chorus_errors, invoice_errors)
        for message in vars(module).values()
        if isinstance(message, chorus_errors.Message) and message.status >= 400
    }
    table = SECTION.search(README.read_text()).group(0).split("### Errors", 1)[1]
    documented = set()
    for row in table.splitlines():
        found = re.findall(r"GCU_MSG_(\d\d)_(\d\d\d)", row)
        if " to " in row and len(found) == 2:
            (group, first), (_, last) = found
            found = [(group, f"{n:03d}") for n in range(int(first), int(last) + 1)]
        documented |= {f"GCU_MSG_{group}_{number}" for group, number in found}
    assert codes - documented == set(), "codes missing from the README's error table"
