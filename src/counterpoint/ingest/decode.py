"""Bytes to text: encoding detection, binary refusal and mojibake repair."""

from __future__ import annotations

import ftfy
from charset_normalizer import from_bytes

from counterpoint.errors import DecodeError, EmptyInput, UnsupportedInput

__all__ = ["decode_bytes", "looks_binary", "repair_text"]

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

# Legacy encodings pages and feeds are actually written in (the WHATWG Encoding
# Standard's list, less the Mac ones). Without this, charset-normalizer happily
# reads short Latin-1 text as UTF-16 ("Caf\xe9" -> two CJK characters) or as a
# DOS code page (cp775, cp850).
_WEB_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "cp874", "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5",
    "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14",
    "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "gb18030", "big5", "euc_jp",
    "iso2022_jp", "shift_jis", "euc_kr", "utf_16", "utf_32",
)


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


def repair_text(text: str) -> str:
    """Fix mojibake ("CafÃ©") and similar damage with ftfy, keeping curly quotes and
    the full-width punctuation of Chinese and Japanese text ("，" stays "，")."""
    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False,
                         fix_character_width=False)


def decode_bytes(data: bytes, source: str, declared: str | None = None, *,
                 repair: bool = True) -> str:
    """Decode ``data`` to clean text, or raise an error naming ``source``.

    Order: a declared charset that decodes cleanly, then UTF-8 (with or without
    BOM), then charset-normalizer's best guess. The result goes through ftfy so
    that UTF-8 read as Latin-1 ("Ã©") and similar mojibake come out right
    (``repair=False`` leaves that to the caller, e.g. for JSONL, whose values
    are repaired one by one after parsing).
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
        matches = from_bytes(data, cp_isolation=list(_WEB_ENCODINGS))
        best = matches.best()
        if best is None:
            raise DecodeError(source, "not valid text in any encoding we could detect")
        # Short Latin text is explained equally well by several code pages (cp1250,
        # cp1252, iso8859_10); on a tie prefer cp1252, the web's legacy default.
        for match in matches:
            if (match.chaos, match.coherence) == (best.chaos, best.coherence) and (
                    "cp1252" in (match.encoding, *match.could_be_from_charset)):
                best = match
                break
        text = str(best)
    if repair:
        text = repair_text(text)
    if not text.strip():
        raise EmptyInput(source, "empty (no text)")
    return text
