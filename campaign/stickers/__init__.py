"""Door stickers with a QR code: the pure PDF library in ``pdf/`` (four formats, no Flask), the
files staff and employers download, and the staff pages; a batch chosen on /admin/aufkleber is
a background job (``batches``, its files on disk in ``batch_files``, its pages in
``batch_views``)."""
