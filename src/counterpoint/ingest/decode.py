"""Bytes to text: encoding detection, binary refusal and mojibake repair."""

from __future__ import annotations

import ftfy
from charset_normalizer import from_bytes

from counterpoint.errors import DecodeError, EmptyInput, UnsupportedInput

__all__ = ["decode_bytes", "looks_binary"]

# A text file has (almost) no NUL or C0 control bytes; one in 100 is already far
# beyond what any scraped page or feed carries, while PDFs, images and archives
# are well above it within the first few kilobytes.
_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.01
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "an executable",
}


def looks_binary(data: bytes) -> str | None:
    """Return what binary thing ``data`` looks like, or None if it looks like text."""
    head = data[:_SNIFF_BYTES]
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NULs by design
    if not head:
        return None
    controls = sum(1 for b in head if b in _CONTROL)
    if b"\x00" in head or controls / len(head) > _MAX_CONTROL_SHARE:
        return "binary data"
    return None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode ``data`` to clean text, or raise an error naming ``source``.

    Order: a declared charset that decodes cleanly, then UTF-8 (with or without
    BOM), then charset-normalizer's best guess. The result goes through ftfy so
    that UTF-8 read as Latin-1 ("Ã©") and similar mojibake come out right.
    """
    what = looks_binary(data)
    if what:
        raise UnsupportedInput(source, f"looks like {what}, not text")
    text: str | None = None
    for encoding in (declared, "utf-8-sig"):
        if not encoding:
            continue
        try:
            text = data.decode(encoding)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise DecodeError(source, "not valid text in any encoding we could detect")
        text = str(best)
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    if not text.strip():
        raise EmptyInput(source, "empty (no text)")
    return text
