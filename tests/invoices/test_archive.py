import io
import tarfile
import zipfile

import pytest

from invoices.ingestion.archive import ArchiveError, Entry, open_archive


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _targz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


LIMITS = {"max_entries": 500, "max_bytes": 1024 * 1024, "max_member_bytes": 512 * 1024}


def _open(data: bytes, **limits) -> list[Entry]:
    return list(open_archive(io.BytesIO(data), **(LIMITS | limits)))


@pytest.mark.parametrize("pack", [_zip, _targz])
def test_entries_come_back_in_order(pack):
    entries = _open(pack({"a/f1.xml": b"<a/>", "f2.xml": b"<b/>"}))
    assert [(e.name, e.data) for e in entries] == [("a/f1.xml", b"<a/>"), ("f2.xml", b"<b/>")]


@pytest.mark.parametrize("pack", [_zip, _targz])
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../evil.xml", "path_traversal"),
        ("ok/../../evil.xml", "path_traversal"),
        ("/etc/passwd", "absolute_path"),
    ],
)
def test_escaping_paths_refuse_the_flow(pack, name, code):
    with pytest.raises(ArchiveError) as exc:
        _open(pack({"good.xml": b"<a/>", name: b"x"}))
    assert exc.value.code == code
    assert name in str(exc.value)


@pytest.mark.parametrize("pack", [_zip, _targz])
def test_501_invoices_refuse_the_flow(pack):
    files = {f"f{i}.xml": b"<a/>" for i in range(501)}
    with pytest.raises(ArchiveError, match="plus de 500 fichiers") as exc:
        _open(pack(files))
    assert exc.value.code == "too_many_invoices"
    assert len(_open(pack(dict(list(files.items())[:500])))) == 500


@pytest.mark.parametrize("pack", [_zip, _targz])
def test_a_bomb_stops_at_the_byte_limit(pack):
    bomb = pack({"bomb.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    with pytest.raises(ArchiveError) as exc:
        _open(bomb, max_member_bytes=LIMITS["max_bytes"])
    assert exc.value.code == "too_large_inflated"


@pytest.mark.parametrize("pack", [_zip, _targz])
def test_a_member_above_the_invoice_limit_is_cut_off_and_the_others_kept(pack):
    entries = _open(pack({"a.xml": b"<a/>", "big.xml": b"\0" * (600 * 1024), "c.xml": b"<c/>"}))
    assert [(e.name, e.data) for e in entries] == [
        ("a.xml", b"<a/>"),
        ("big.xml", None),
        ("c.xml", b"<c/>"),
    ]


@pytest.mark.parametrize("pack", [_zip, _targz])
def test_members_cut_off_still_count_towards_the_flow_limit(pack):
    many = {f"big{i}.xml": b"\0" * (600 * 1024) for i in range(3)}
    with pytest.raises(ArchiveError) as exc:
        _open(pack(many), max_bytes=1024 * 1024, max_member_bytes=1024 * 1024 - 1)
    assert exc.value.code == "too_large_inflated"


def test_zip_whose_declared_sizes_lie_is_stopped_while_inflating():
    data = bytearray(_zip({"bomb.xml": b"\0" * (4 * 1024 * 1024)}))
    # Shrink the declared size in the central directory: reading must still stop at the cap.
    header = data.rindex(b"PK\x01\x02")
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")
    with pytest.raises(ArchiveError):
        _open(bytes(data), max_member_bytes=LIMITS["max_bytes"])


def test_symlink_in_tar_is_refused():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        link = tarfile.TarInfo("facture.xml")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    with pytest.raises(ArchiveError) as exc:
        _open(buffer.getvalue())
    assert exc.value.code == "link"


def test_truncated_archive_is_told_unreadable():
    with pytest.raises(ArchiveError) as exc:
        _open(_zip({"a.xml": b"<a/>" * 1000})[:-30])
    assert exc.value.code == "corrupt"
