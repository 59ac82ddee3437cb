"""Admin panel for city staff: one blueprint, split by feature; every view needs a login."""

from . import (  # noqa: F401  (each module registers its views on bp)
    audit_log,
    bulk,
    dashboard,
    display,
    entries,
    entry_actions,
    login,
    problem_reports,
    review,
    second_factor_pages,
    staff,
    stickers,
    waves,
)
from .access import bp

__all__ = ["bp", "init_app"]


def init_app(app) -> None:
    from . import cli

    cli.register()
