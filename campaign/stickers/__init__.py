"""Door stickers with a QR code: the pure PDF library in ``pdf/`` (four formats, no Flask), the
files staff and employers download, and the staff pages that order and track print runs."""
