"""Invoice syntaxes: detection, readers and writers around the canonical model.

- `detect(data, filename=None) -> Detected` and `UnsupportedDocument` (detect.py): the one
  place that reads received bytes safely and names their syntax and profile;
- `read(data, filename=None) -> (Detected, canonical.Invoice)`: detect, then read;
- `read_detected(detected) -> canonical.Invoice`: read a document already detected;
- `read_ubl(root)`, `write_ubl(invoice)` (ubl.py); `read_cii(root)`, `write_cii(invoice)` (cii.py);
- `invoices.formats.facturx.write_facturx(invoice) -> bytes`: a Factur-X PDF/A-3 (imported on
  its own: it loads weasyprint);
- `ReadError`: a value that cannot be read (bad date or number), with its XML path.
"""

from invoices.canonical import Invoice
from invoices.formats.cii import read_cii, write_cii
from invoices.formats.detect import UBL, Detected, UnsupportedDocument, detect
from invoices.formats.ubl import read_ubl, write_ubl
from invoices.formats.xmltools import ReadError

__all__ = [
    "Detected",
    "ReadError",
    "UnsupportedDocument",
    "detect",
    "read",
    "read_cii",
    "read_detected",
    "read_ubl",
    "write_cii",
    "write_ubl",
]


def read_detected(detected: Detected) -> Invoice:
    """The canonical invoice of a detected document, read from its already parsed tree."""
    reader = read_ubl if detected.syntax == UBL else read_cii
    return reader(detected.root)


def read(data: bytes, filename: str | None = None) -> tuple[Detected, Invoice]:
    """Detects what the bytes are and reads the invoice they hold."""
    detected = detect(data, filename)
    return detected, read_detected(detected)
