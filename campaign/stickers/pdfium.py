"""Every call into PDFium in this process: the lock it needs, and joining sticker PDFs.

PDFium is not thread-safe, not even across different documents, and the web process runs
background jobs in a thread beside its requests; so each use holds LOCK and frees what it
opened before letting go.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import BinaryIO

LOCK = threading.Lock()


def library():
    """pypdfium2, imported on first use (3 MB that most web workers never need)."""
    import pypdfium2

    return pypdfium2


def join(parts: list[Path], out: BinaryIO) -> int:
    """Write the pages of the PDF files `parts`, in order, to `out`; return the page count. The
    first part is the base, so the document's title, author and language stay as rendered."""
    pypdfium2 = library()
    with LOCK:
        document = pypdfium2.PdfDocument(str(parts[0]))
        try:
            for path in parts[1:]:
                source = pypdfium2.PdfDocument(str(path))
                try:
                    document.import_pages(source)
                finally:
                    source.close()
            document.save(out)
            return len(document)
        finally:
            document.close()
