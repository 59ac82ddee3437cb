"""The entries list's filters, search and sort: read from the query string, applied to a select."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sqlalchemy import String, cast, or_

from campaign.admin.labels import STICKER_NEEDED
from campaign.core.city import current_city
from campaign.core.params import int_param
from campaign.entries import reconfirm
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status, Wave

SORTS = {
    "name": Employer.name,
    "eingang": Employer.created_at,
    "status": Employer.status,
    "stadtteil": Employer.quarter,
    "freigabe": Employer.published_at,
}
FRESHNESS = {"ueberfaellig": reconfirm.overdue_condition,
             "automatisch-pausiert": reconfirm.auto_paused_condition}
MULTI = ("status", "district", "quarter", "sector", "offer", "sticker")


@dataclass
class EntryFilters:
    q: str = ""
    status: list[str] = field(default_factory=list)
    district: list[str] = field(default_factory=list)
    quarter: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    offer: list[str] = field(default_factory=list)
    sticker: list[str] = field(default_factory=list)
    wave: str = ""
    focus: str = ""
    subsidiary: str = ""
    freshness: str = ""
    sort: str = "eingang"
    order: str = "desc"
    # Whether the search also looks in contact names and addresses (not for viewers: a hit
    # would tell them whose address it is).
    search_private: bool = field(default=False, compare=False)

    @classmethod
    def from_args(cls, args, search_private: bool = False) -> EntryFilters:
        values = {name: [v for v in args.getlist(name) if v][:50] for name in MULTI}
        for name in ("q", "wave", "focus", "subsidiary", "freshness"):
            values[name] = (args.get(name) or "").strip()[:200]
        filters = cls(**values, search_private=search_private)
        filters.sort = args.get("sort") if args.get("sort") in SORTS else "eingang"
        filters.order = "asc" if args.get("order") == "asc" else "desc"
        return filters

    def query_args(self, **changes) -> dict:
        """The filters as query arguments for url_for, with some values changed."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "search_private"}
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    def active(self) -> list[tuple[str, str, dict]]:
        """(group, label, query args without this choice) for each chosen filter."""
        chips = [(name, value, self.query_args(**{name: [v for v in getattr(self, name)
                                                         if v != value]}))
                 for name in MULTI for value in getattr(self, name)]
        for name in ("q", "wave", "focus", "subsidiary", "freshness"):
            if getattr(self, name):
                chips.append((name, getattr(self, name), self.query_args(**{name: ""})))
        return chips

    def apply(self, query):
        query = query.join(Employer.private, isouter=True)
        query = self._apply_lists(query)
        if self.q:
            columns = (Employer.name, Employer.street, Employer.slug)
            if self.search_private:
                columns += (EmployerPrivate.contact_email, EmployerPrivate.contact_name)
            query = query.where(or_(*(c.icontains(self.q, autoescape=True) for c in columns)))
        if (wave_id := int_param(self.wave)) is not None:
            query = query.where(EmployerPrivate.wave_id == wave_id)
        if self.focus:
            query = query.where(Employer.quarter.in_(current_city().focus_quarters))
        if self.subsidiary in ("ja", "nein"):
            query = query.where(Employer.is_subsidiary.is_(self.subsidiary == "ja"))
        if self.freshness in FRESHNESS:
            query = query.where(FRESHNESS[self.freshness]())
        column = SORTS[self.sort]
        return query.order_by(column.asc() if self.order == "asc" else column.desc(),
                              Employer.id.desc())

    def _apply_lists(self, query):
        for name, column in (("status", Employer.status), ("district", Employer.district),
                             ("quarter", Employer.quarter), ("sector", Employer.sector)):
            if getattr(self, name):
                query = query.where(column.in_(getattr(self, name)))
        if self.offer:
            query = query.where(or_(*(has_offer(o) for o in self.offer)))
        if self.sticker:
            wanted = set(self.sticker)
            if "needed" in wanted:
                wanted |= set(STICKER_NEEDED)
                query = query.where(Employer.status == Status.PUBLISHED)
            query = query.where(EmployerPrivate.sticker_status.in_(wanted - {"needed"}))
        return query


def has_offer(key: str):
    """The entry makes this offer: its JSON list of offers holds the key as a string. A text
    match works alike on SQLite and PostgreSQL; the quotes keep one key from matching inside
    another."""
    return cast(Employer.offers, String).contains(f'"{key}"', autoescape=True)


def wave_choices() -> list[tuple[str, str]]:
    return [(str(w.id), w.name) for w in db.session.scalars(db.select(Wave).order_by(Wave.name))]
