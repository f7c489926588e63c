"""Walks the pages a signed-in person can reach by following links, and audits each one with
axe-core (shipped by the axe-playwright-python package) against WCAG 2 A and AA.

Pages that differ only by an object's id (or, in the admin, by the model of a generic page such
as an object's history) are one page: the crawl audits the first of them, which keeps its run
time in proportion to the number of templates rather than of rows.
"""

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# Never followed: actions (language, sign-out), the API and its docs, files.
SKIPPED = re.compile(r"^/(langue|api|cpro|static|media)/|/(deconnexion|logout)/|/telecharger/")
ADMIN_GENERIC = re.compile(r"^/admin/\w+/\w+/<n>/(history|delete)/$")
MAX_PAGES = 150

_axe = Axe()


def page_key(url: str) -> str:
    """What makes two addresses the same page: path with ids collapsed, and query keys."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/)", "/<n>", parts.path)
    path = re.sub(r"/[0-9a-f-]{32,36}(?=/)", "/<uuid>", path)
    if ADMIN_GENERIC.match(path):
        path = re.sub(r"^/admin/\w+/\w+/", "/admin/<model>/", path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


def followed(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin or SKIPPED.search(parts.path):
        return False
    # The admin's filter and sort links show the same templates as the plain lists.
    return not (parts.path.startswith("/admin/") and parts.query)


def audit(page) -> list[str]:
    """The WCAG A/AA violations axe-core finds on the page, one line per rule."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in results["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes): "
            f"{violation['help']} — {targets}"
        )
    return lines


def crawl(page, start: Iterable[str], origin: str) -> tuple[dict[str, list[str]], list[str]]:
    """Audits every page reachable from `start`; returns violations by address and the
    addresses visited."""
    queue = [origin + path for path in start]
    seen_keys = set()
    visited, violations = [], {}
    while queue and len(visited) < MAX_PAGES:
        url = urldefrag(queue.pop(0)).url
        key = page_key(url)
        if key in seen_keys:
            continue
        seen_keys.add(key)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in error.message:  # a file, not a page
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(url)
        if response.status >= 500:
            violations[url] = [f"the server answered {response.status}"]
            continue
        if found := audit(page):
            violations[url] = found
        links = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        queue += [link for link in links if followed(link, origin)]
    return violations, visited
