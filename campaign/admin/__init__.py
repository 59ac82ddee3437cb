"""The admin panel for city staff: one blueprint under /admin/, every view behind a login.

This package owns the panel's frame (access guard, roles), the entries list and edit pages,
the review queue, bulk actions, waves, the dashboard and the audit log. Staff login and
accounts (`campaign.staff`), sticker downloads and batches (`campaign.stickers`), problem reports
(`campaign.reports`), job progress (`campaign.jobs`), undeliverable mail (`campaign.outbox`),
the embed snippet (`campaign.embed`) and consultation points (`campaign.consultations`) add their pages to the same blueprint.
"""

from campaign.admin import (  # noqa: F401 - each module registers its views on bp
    audit_log,
    bulk,
    conflicts,
    dashboard,
    display,
    entries,
    entry_actions,
    invitation_merge,
    review,
    waves,
)
from campaign.admin.access import bp
from campaign.consultations import staff_views as consultation_pages  # noqa: F401
from campaign.embed import staff_views as embed_pages  # noqa: F401
from campaign.jobs import staff_views as job_pages  # noqa: F401
from campaign.outbox import staff_views as mail_pages  # noqa: F401
from campaign.reports import staff_views as report_pages  # noqa: F401
from campaign.staff import account_views, login_views, second_factor_views  # noqa: F401
from campaign.stickers import batch_views as sticker_batch_pages  # noqa: F401
from campaign.stickers import staff_views as sticker_pages  # noqa: F401

__all__ = ["bp"]
