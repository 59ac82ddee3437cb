"""The public snapshot at scale: patched per change, filter sets that agree with a plain scan,
files rebuilt only for the chunks a change touched (and then byte for byte those of a snapshot
read anew), and files that are served from the version before while the new ones are built."""

from __future__ import annotations

import gzip
import itertools
import json
import logging
import random
import re
import threading
from datetime import datetime

from campaign.core import audit
from campaign.core.city import current_city
from campaign.core.spreadsheet import csv_text
from campaign.core.text import fold
from campaign.entries import decisions, dropin
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.extensions import db
from campaign.models import Employer
from campaign.opendata import files
from campaign.public import chunks, entry_store, map_data, search
from campaign.public.snapshot import cached_file, current_snapshot

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=dropin.TIMEZONE)
QUARTERS = [("Mitte", "Hamme"), ("Mitte", "Grumme"), ("Süd", "Querenburg"),
            ("Wattenscheid", "Höntrop")]


def names(response) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>',
                      response.data.decode())


def random_entry(rng: random.Random, number: int) -> dict:
    district, quarter = rng.choice(QUARTERS)
    slots = [{"day": d, "start": "09:00", "end": rng.choice(["09:30", "12:00", "16:00"])}
             for d in rng.sample(range(7), rng.randint(0, 3))]
    located = rng.random() < 0.8
    return {
        "slug": f"betrieb-{number}", "name": rng.choice(["Bäckerei", "Autohaus", "Ärztehaus",
                                                         "Pflege", "Arzt"]) + f" {number}",
        "sector": rng.choice(["Handwerk", "Handel", "Gesundheit"]), "description":
            rng.choice(["Wir backen früh", "Autos und Räder", "Menschen pflegen", ""]),
        "street": "Hauptstraße 1", "postal_code": "44787", "city": "Bochum",
        "district": district, "quarter": quarter,
        "lat": 51.45 + rng.random() / 20 if located else None,
        "lon": 7.15 + rng.random() / 10 if located else None,
        "offers": rng.sample(list(OFFER_LABELS), rng.randint(0, 3)),
        "occupations": rng.choice(["", "Bäckerin", "Kfz-Mechatroniker"]),
        "languages": rng.sample(list(LANGUAGES), rng.randint(0, 3)),
        "drop_in": {"opening_hours": False, "slots": slots}, "ask_for": "", "step_free":
            rng.random() < 0.5, "website": "", "public_phone": "", "public_email": "",
        "is_subsidiary": False, "location_source": "exact",
    }


def plainly_matches(filters: search.Filters, entry: dict) -> bool:
    """The rules of search.py written out as a scan over every entry."""
    text = fold(" ".join((entry["name"], entry["sector"], entry["occupations"],
                          entry["description"])))
    return ((not filters.offers or bool(set(filters.offers) & set(entry["offers"])))
            and (not filters.languages or bool(set(filters.languages) & set(entry["languages"])))
            and all(not getattr(filters, n) or entry[n] == getattr(filters, n)
                    for n in ("sector", "district", "quarter"))
            and (not filters.step_free or entry["step_free"])
            and all(word in text for word in fold(filters.q).split())
            and (not filters.open_now or dropin.is_open_at(entry["drop_in"], MONDAY_10)))


def random_filters(rng: random.Random) -> search.Filters:
    district, quarter = rng.choice(QUARTERS)
    return search.Filters(
        q=rng.choice(["", "", "bäck", "AUTO räder", "pflege", "arzt", "zzz"]),
        offers=tuple(rng.sample(list(OFFER_LABELS), rng.randint(0, 2))),
        languages=tuple(rng.sample(list(LANGUAGES), rng.choice([0, 0, 1, 2]))),
        sector=rng.choice(["", "", "Handel"]), district=rng.choice(["", district]),
        quarter=rng.choice(["", "", quarter]), step_free=rng.random() < 0.3,
        open_now=rng.random() < 0.3)


def store(entries: list[dict], version: int = 1) -> entry_store.Snapshot:
    rows = [(number, f"CODE{number}", dict(entry)) for number, entry in enumerate(entries)]
    return entry_store.build(version, None, rows)


def test_filter_sets_find_exactly_what_a_plain_scan_finds():
    rng = random.Random(7)
    entries = [random_entry(rng, n) for n in range(400)]
    snapshot = store(entries)
    by_slug = {e["slug"]: e for e in entries}
    for _ in range(300):
        filters = random_filters(rng)
        found = [result.entry["slug"] for result in search.run(snapshot, filters, MONDAY_10)]
        expected = [e["slug"] for e in snapshot.entries if plainly_matches(filters, by_slug[e["slug"]])]
        assert found == expected, filters


def test_near_me_orders_by_distance_and_puts_entries_without_a_point_last():
    rng = random.Random(3)
    snapshot = store([random_entry(rng, n) for n in range(200)])
    filters = search.Filters(lat=51.48, lon=7.21)
    results = list(search.run(snapshot, filters, MONDAY_10))
    distances = [r.distance for r in results]
    located = [d for d in distances if d is not None]
    assert located == sorted(located) and len(results) == 200
    assert distances[len(located):] == [None] * (200 - len(located))


def test_a_patched_snapshot_equals_one_read_anew():
    rng = random.Random(11)
    entries = [random_entry(rng, n) for n in range(120)]
    old = store(entries)
    changed = {3, 50, 51, 119}
    final = [dict(e) for e in entries]
    final[3]["name"] = "Aaa zuerst"          # moves to the front
    final[50]["offers"] = ["ferienjob"]       # stays, new filter value
    del_ids = {51, 119}                       # taken off the map
    rows = [(n, f"CODE{n}", dict(final[n])) for n in changed - del_ids]
    patched = entry_store.patched(old, 2, None, changed, rows)
    expected = entry_store.build(2, None, [(n, f"CODE{n}", dict(e)) for n, e in enumerate(final)
                                           if n not in del_ids])
    assert list(patched.entries) == list(expected.entries)
    assert patched.codes == expected.codes
    assert patched.target("CODE3") == (3, "betrieb-3") and patched.target("CODE51") is None
    assert patched.entry("betrieb-50")["offers"] == ["ferienjob"]
    assert patched.entry("betrieb-51") is None and patched.entry("betrieb-5") is not None
    assert len(old) == 120 and old.entries[0]["name"] != "Aaa zuerst"  # the old one unchanged
    only_holiday_jobs = search.run(patched, search.Filters(offers=("ferienjob",)), MONDAY_10)
    assert "betrieb-50" in [r.entry["slug"] for r in only_holiday_jobs]


def read_anew(entries: dict[int, dict], version: int) -> entry_store.Snapshot:
    return entry_store.build(version, None, [(n, f"CODE{n}", dict(e)) for n, e in entries.items()])


def every_file(snapshot: entry_store.Snapshot) -> list[files.Payload]:
    return [files.geojson_payload(snapshot), files.csv_payload(snapshot),
            map_data.map_file(snapshot)]


def change_randomly(rng: random.Random, entries: dict[int, dict], numbers) -> set[int]:
    """A few inserts, deletes, renames (which move an entry, mostly into another chunk) and
    edits, made to `entries`; returns the numbers of the entries changed."""
    changed = set()
    for _ in range(rng.randint(1, 5)):
        kind = rng.choice(("insert", "delete", "rename", "edit")) if entries else "insert"
        number = next(numbers) if kind == "insert" else rng.choice(sorted(entries))
        if kind == "insert":
            entries[number] = random_entry(rng, number)
        elif kind == "delete":
            del entries[number]
        elif kind == "rename":
            entries[number]["name"] = f"{rng.choice(['Aaa', 'Mmm', 'Zzz'])} {rng.random()}"
        else:
            entries[number]["description"] = f"Neu: {rng.random()}"
        changed.add(number)
    return changed


def plain_map_payload(entries: list[dict], city) -> dict:
    """The map payload written out entry by entry (tables in order of first use)."""
    origin = [map_data._degrees(v) for v in city.map["bounds"][0]]
    tables = {name: {} for name in map_data.TABLES}
    columns = {name: [] for name in map_data.COLUMNS}
    for entry in entries:
        for name, value in map_data._values(entry).items():
            if name in tables:
                value = tables[name].setdefault(value, len(tables[name]))
            elif name in ("lat", "lon") and value is not None:
                value -= origin[name == "lon"]
            columns[name].append(value)
    return {"scale": map_data.SCALE, "origin": origin,
            "vocabulary": {"offers": list(OFFER_LABELS), "languages": list(LANGUAGES)},
            "tables": {name: list(values) for name, values in tables.items()},
            "count": len(entries), "columns": columns}


def assert_files_hold(snapshot, entries: dict[int, dict]) -> None:
    """Each file holds exactly the entries, in name order, as built without any chunks."""
    ordered = sorted((entry_store.clean(dict(e)) for e in entries.values()),
                     key=lambda e: entry_store.name_order(e["name"], e["slug"]))
    geojson, csv, payload = (gzip.decompress(f.gzipped) for f in every_file(snapshot))
    assert json.loads(geojson) == json.loads(json.dumps(
        {"type": "FeatureCollection", "features": [entry_store.feature(e) for e in ordered]}))
    prefix = files.page_url_prefix()
    assert csv.decode() == csv_text([files.CSV_COLUMNS, *(files.csv_row(entry_store.decode(
        entry_store.encode(e)), prefix) for e in ordered)], ",")
    decoded = [entry_store.decode(entry_store.encode(e)) for e in ordered]
    assert json.loads(payload) == {"version": snapshot.version,
                                   **plain_map_payload(decoded, current_city())}


def test_files_of_a_patched_snapshot_are_the_very_bytes_of_one_read_anew(app, monkeypatch):
    monkeypatch.setattr(chunks, "CHUNK_TARGET", 8)  # many chunks in a few hundred entries
    rng, numbers = random.Random(17), itertools.count(1000)
    entries = {n: random_entry(rng, n) for n in range(250)}
    with app.app_context():
        snapshot = read_anew(entries, 1)
        every_file(snapshot)
        for version in range(2, 16):
            changed = change_randomly(rng, entries, numbers)
            rows = [(n, f"CODE{n}", dict(entries[n])) for n in changed if n in entries]
            snapshot = entry_store.patched(snapshot, version, None, changed, rows)
            fresh = read_anew(entries, version)
            assert [c.records for c in snapshot.chunks] == [c.records for c in fresh.chunks]
            for patched_file, fresh_file in zip(every_file(snapshot), every_file(fresh),
                                                strict=True):
                assert patched_file.gzipped == fresh_file.gzipped
                assert patched_file.etag == fresh_file.etag
                assert b"".join(patched_file.plain()) == gzip.decompress(fresh_file.gzipped)
        assert len(snapshot.chunks) > 20
        assert_files_hold(snapshot, entries)
        empty = entry_store.patched(snapshot, 16, None, set(entries), [])
        assert_files_hold(empty, {})


def test_one_edit_builds_each_file_again_only_for_its_own_chunk(app, monkeypatch):
    monkeypatch.setattr(chunks, "CHUNK_TARGET", 8)
    rng = random.Random(5)
    entries = {n: random_entry(rng, n) for n in range(200)}
    with app.app_context():
        old = read_anew(entries, 1)
        every_file(old)
        entries[7]["description"] = "Neu beschrieben"
        new = entry_store.patched(old, 2, None, {7}, [(7, "CODE7", dict(entries[7]))])
        every_file(new)
        built = [key for key, part in new.parts.items() if old.parts.get(key) is not part]
        assert len(built) == 3 and len(new.chunks) == len(old.chunks) > 10  # one per file
        assert_files_hold(new, entries)
        again = read_anew(entries, 2).follows(new)  # everything read again, e.g. after an outage
        every_file(again)
        assert {id(part) for part in again.parts.values()} == {id(p) for p in new.parts.values()}


def test_approve_pause_and_edit_reach_the_list_by_a_patch_not_a_new_read(
        app, client, publish, caplog):
    first = publish(name="Bäckerei Sonne")
    publish(name="Autohaus Stern")
    assert names(client.get("/karte")) == ["Autohaus Stern", "Bäckerei Sonne"]
    caplog.set_level(logging.INFO, logger="campaign.public.snapshot")
    with app.app_context():
        employer = db.session.get(Employer, first.id)
        decisions.pause(employer, "staff:1")
        db.session.commit()
    assert names(client.get("/karte")) == ["Autohaus Stern"]
    with app.app_context():
        employer = db.session.get(Employer, first.id)
        decisions.resume(employer, "staff:1")
        db.session.commit()
        employer.name = "Aaa Bäckerei"  # an edit as staff make it, noted like decisions.edit
        audit.public_data_changed(employer.id)
        db.session.commit()
    assert names(client.get("/karte")) == ["Aaa Bäckerei", "Autohaus Stern"]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("changed entries patched" in m for m in messages) == 2  # pause; resume + edit
    assert not any("entries read in" in m for m in messages)


def test_a_change_without_notes_reads_everything_again(app, client, publish, make_employer,
                                                       caplog):
    publish(name="Bäckerei Sonne")
    client.get("/karte")
    make_employer(name="Direkt eingefügt")
    caplog.set_level(logging.INFO, logger="campaign.public.snapshot")
    with app.app_context():
        audit.public_data_changed()  # a bulk load that does not say what it changed
        db.session.commit()
    assert names(client.get("/karte")) == ["Bäckerei Sonne", "Direkt eingefügt"]
    assert any("entries read in" in r.getMessage() for r in caplog.records)


def test_a_file_of_the_version_before_is_served_while_the_new_one_is_built(app, publish,
                                                                            make_employer):
    publish(name="Bäckerei Sonne")
    release = threading.Event()

    def slow_builder(snapshot):
        release.wait(10)
        return f"version {snapshot.version}"

    app.config["PUBLIC_BUILD_WAIT_SECONDS"] = 0.05
    with app.app_context():
        old = current_snapshot()
        assert cached_file(old, "test", lambda s: f"version {s.version}") == f"version {old.version}"
    added = make_employer(name="Autohaus Stern")
    with app.app_context():
        audit.public_data_changed(added.id)
        db.session.commit()
        app.testing = False  # visitors of a real server do not wait for the build
        try:
            new = current_snapshot()
            assert new.version == old.version + 1
            assert cached_file(new, "test", slow_builder) == f"version {old.version}"
            release.set()
            new.building["test"].join(5)
            assert cached_file(new, "test", slow_builder) == f"version {new.version}"
            assert "test" not in new.previous_files  # the old file is let go
        finally:
            app.testing = True


def test_a_worker_reads_the_version_at_most_once_per_check_interval(app, publish, make_employer):
    publish(name="Bäckerei Sonne")
    app.config["PUBLIC_VERSION_CHECK_SECONDS"] = 60
    app.testing = False
    try:
        with app.app_context():
            before = current_snapshot()
        added = make_employer(name="Autohaus Stern")
        with app.app_context():
            audit.public_data_changed(added.id)
            db.session.commit()
            assert current_snapshot() is before  # trusted for the interval: no query
            app.extensions["campaign_snapshot"].trusted_until = 0  # the interval is over
            assert [e["name"] for e in current_snapshot().entries] == ["Autohaus Stern",
                                                                     "Bäckerei Sonne"]
    finally:
        app.testing = True


def test_many_different_searches_keep_a_bounded_number_of_result_lists():
    snapshot = store([random_entry(random.Random(5), n) for n in range(50)])
    for number in range(300):
        search.run(snapshot, search.Filters(q=f"wort{number}"), MONDAY_10)
    assert 0 < len(snapshot.orders) <= search.MAX_ORDERS
    assert len(snapshot.index) <= 512
