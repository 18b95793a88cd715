"""Uploaded PDFs are documents, not programs: refuse active content before anyone opens them.

Staff and experts open municipalities' attachments; a PDF that runs JavaScript or launches a
program when opened is refused, however it hides it (compressed object streams included: pypdf
reads the file's structure rather than its bytes)."""

import io
import logging
import re

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

# pypdf warns about every repaired file; the verdict below is what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# Actions that run something: scripts, programs, other documents, forms sent elsewhere. An
# /OpenAction or /AA (additional actions) that only shows a page or zoom level is harmless (most
# PDF writers add one); what they point at is checked like everything else.
ACTIVE = {"/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def raw_active_content(data: bytes) -> str | None:
    """The names of active content as they stand in the file's bytes (uncompressed objects)."""
    for name in sorted(ACTIVE):
        # A name ends where a delimiter or white space begins: /JS is not /JSON.
        if re.search(re.escape(name.encode()) + rb"(?=[\s()<>\[\]{}/%]|$)", data):
            return name
    return None


def active_content(data: bytes, *, limit: int = 20_000) -> str | None:
    """The first active element found (e.g. "/JavaScript"), None for a plain document.

    A file whose structure pypdf cannot read is searched byte by byte instead."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        root = resolve(reader.trailer["/Root"])
    except Exception:
        # pypdf raises many kinds of errors on broken files; the byte search still applies.
        return raw_active_content(data)
    seen: set[int] = set()
    stack = [root]
    visited = 0
    while stack:
        node = resolve(stack.pop())
        if id(node) in seen:
            continue
        seen.add(id(node))
        visited += 1
        if visited > limit:
            # A structure this large is not a letter or a plan: refuse rather than walk on.
            return "too complex"
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in ACTIVE:
                    return str(key)
                if key == "/S" and str(resolve(value)) in ACTIVE:
                    return str(resolve(value))
                # Page contents and images are streams of data, not structure: skip them.
                if key in ("/Parent", "/Contents", "/Resources"):
                    continue
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return None
