"""Every assertion of the official EN 16931 rule unit tests, reproduced by the Schematron stage.

Each testSet file (vefa format) holds tests: an <assert> naming rules that must not fire
(<success>), must fire as fatal (<error>, N times when `number` is given) or as a warning
(<warning>), followed by one inline document, usually a fragment that is not schema-valid.
"""

import collections
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from invoices.validation import schematron

VEFA = "http://difi.no/xsd/vefa/validator/1.0"
SUITES = {"ubl-invoice": "ubl", "ubl-creditnote": "ubl", "cii": "cii"}
UNIT_DIR = Path(settings.CHORUS_TESTDATA_DIR) / "en16931" / "unit"
TEST_SETS = sorted(
    f"{suite}/{path.name}" for suite in SUITES for path in (UNIT_DIR / suite).glob("*.xml")
)


def _tests(test_set: Path):
    """(inline document, [(expectation, rule, times or None)]) for every test of the file."""
    for test in etree.parse(str(test_set)).getroot().iter(f"{{{VEFA}}}test"):
        document = next(
            child
            for child in test
            if isinstance(child.tag, str) and etree.QName(child).namespace != VEFA
        )
        expectations = [
            (etree.QName(item).localname, item.text.strip(), item.get("number"))
            for item in test.find(f"{{{VEFA}}}assert")
            if isinstance(item.tag, str)
            and etree.QName(item).localname in ("success", "error", "warning")
        ]
        yield document, [(kind, rule, int(n) if n else None) for kind, rule, n in expectations]


def _mismatches(test_set: Path, syntax: str) -> tuple[int, list]:
    count, mismatches = 0, []
    for document, expectations in _tests(test_set):
        findings = schematron.check_en16931(etree.tostring(document), syntax)
        fired = collections.Counter((f.rule, str(f.severity)) for f in findings)
        for kind, rule, times in expectations:
            count += 1
            if kind == "success":
                ok = fired[(rule, "fatal")] + fired[(rule, "warning")] == 0
            else:
                fired_times = fired[(rule, "fatal" if kind == "error" else "warning")]
                ok = fired_times == times if times is not None else fired_times > 0
            if not ok:
                mismatches.append((kind, rule, times, dict(fired)))
    return count, mismatches


@pytest.mark.parametrize("test_set", TEST_SETS)
def test_official_rule_unit_tests(testdata_dir, test_set):
    suite = test_set.split("/")[0]

    count, mismatches = _mismatches(testdata_dir / "en16931" / "unit" / test_set, SUITES[suite])

    assert count > 0
    assert mismatches == []


def test_the_unit_tests_hold_1142_assertions(testdata_dir):
    unit = testdata_dir / "en16931" / "unit"
    assert len(TEST_SETS) == 279
    assert sum(len(e) for name in TEST_SETS for _, e in _tests(unit / name)) == 1142
