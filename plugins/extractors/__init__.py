"""Package extractors: ``.conda`` and ``.tar.bz2`` archives, unpacked safely.

Each format is its own plugin module (:mod:`.conda_format`, :mod:`.tar_bz2`) that only
declares its record; the work happens in :mod:`.unpack` (the extraction loop and the atomic
move into place) and :mod:`.safety` (the member rules and limits both formats share), which
are imported when an archive is first extracted.
"""
