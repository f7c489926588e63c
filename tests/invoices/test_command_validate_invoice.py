"""The validate_invoice command: text and JSON output, exit status."""

import json
from io import StringIO

import pytest
from django.core.management import call_command


def _run(*args):
    out = StringIO()
    try:
        call_command("validate_invoice", *args, stdout=out)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue()


def test_all_official_examples_pass_with_json_output(testdata_dir):
    folder = testdata_dir / "en16931"
    paths = sorted(
        str(p)
        for pattern in ("ubl/*.xml", "ubl/*.XML", "ubl/testfiles/*.xml", "cii/*.xml")
        for p in folder.glob(pattern)
    )

    status, output = _run(*paths, "--json", "--no-recipient-check")

    lines = [json.loads(line) for line in output.splitlines()]
    assert status == 0
    assert [line["file"] for line in lines] == paths
    assert len(lines) == 63
    assert all(line["valid"] and line["findings"] == [] for line in lines)
    assert {line["format"] for line in lines} == {"ubl", "cii"}


def test_a_refused_file_sets_the_exit_status_and_lists_its_findings(testdata_dir, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>")
    valid = testdata_dir / "facturx" / "ferd-1.08" / "MINIMUM_Rechnung_fx.pdf"

    status, output = _run(str(valid), str(broken), "--json", "--no-recipient-check")

    first, second = (json.loads(line) for line in output.splitlines())
    assert status == 1
    assert (first["format"], first["profile"], first["valid"]) == ("facturx", "MINIMUM", True)
    assert second["format"] is None and second["valid"] is False
    assert second["findings"][0]["rule"] == "READ-XML-DOCTYPE"
    assert set(second["findings"][0]) >= {"rule", "severity", "location", "message"}


def test_text_output_names_format_profile_and_each_finding(testdata_dir):
    path = testdata_dir / "facturx" / "ferd-1.08" / "XRECHNUNG_Einfach_fx.pdf"

    status, output = _run(str(path), "--no-recipient-check")

    assert status == 1
    assert "format facturx, profil XRECHNUNG" in output
    assert "[fatal] CII-SR-465" in output


@pytest.mark.django_db
def test_recipient_check_applies_the_platform_rules(testdata_dir):
    # The official example's buyer is no public structure of this platform's directory.
    path = testdata_dir / "en16931" / "ubl" / "ubl-tc434-example1.xml"

    status, output = _run(str(path), "--json")

    result = json.loads(output)
    assert status == 1
    assert [f["rule"] for f in result["findings"]][0].startswith("CPP-")
