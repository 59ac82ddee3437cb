"""Benchmark sticker PDFs against a bare qrcode + reportlab loop; run `python bench/bench_stickers.py`.

Goals from the issue: 1,000 stickers in at most 2x the bare loop's time, under 15 KB per page,
peak memory under 200 MB. Every batch runs in a fresh subprocess so peak RSS is its own.
"""

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import qrcode  # noqa: E402
from qrcode.constants import ERROR_CORRECT_Q  # noqa: E402
from reportlab.lib.pagesizes import A6  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from campaign.stickers.pdf import FORMATS, StickerData, render_batch, render_sticker  # noqa: E402
from campaign.stickers.pdf.fonts import REGULAR, ensure_fonts  # noqa: E402
from campaign.stickers.pdf.qr import runs  # noqa: E402

PAGES = 1000
SINGLE_RUNS = 20
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_NAMES = (
    "Bäckerei Schmidt",
    "Stadtwerke Bochum GmbH",
    "Elektro Şimşek & Söhne",
    "Kfz-Meisterbetrieb Łukasz Nowak",
    "Zahnarztpraxis Dr. Nguyễn und Kolleginnen, Gemeinschaftspraxis am Kortumpark",
)


def items(count: int, start: int = 0):
    """Yield ``count`` realistic stickers with distinct short links."""
    for i in range(start, start + count):
        number = (i * 2654435761 + 12345) % 32**6
        code = "".join(_ALPHABET[(number >> (5 * k)) % 32] for k in range(6))
        yield StickerData(f"{_NAMES[i % len(_NAMES)]} {i}", f"https://tueren.bochum.de/t/{code}")


def bare_loop(path: Path, count: int) -> None:
    """Reference: QR matrix, its merged runs as reportlab path rectangles, one drawString a page."""
    ensure_fonts()
    canvas = Canvas(str(path), pagesize=A6, pageCompression=1)
    for data in items(count):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4)
        code.add_data(data.url)
        code.make(fit=True)
        rows = code.get_matrix()
        shape = canvas.beginPath()
        for r, start, length in runs(rows):
            shape.rect(60 + 4 * start, 260 - 4 * r, 4 * length, 4)
        canvas.drawPath(shape, stroke=0, fill=1)
        canvas.setFont(REGULAR, 12)
        canvas.drawString(30, 30, data.name)
        canvas.showPage()
    canvas.save()


def child(kind: str, count: int) -> dict:
    """Run one batch in this process and return its figures."""
    ensure_fonts()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.pdf"
        start = time.perf_counter()
        if kind == "bare":
            bare_loop(path, count)
        else:
            with path.open("wb") as out:
                render_batch(items(count), out, kind)
        seconds = time.perf_counter() - start
        size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "bytes": size, "rss_mb": peak / 1024, "base_mb": before / 1024}


def run_child(kind: str, count: int) -> dict:
    """Run ``child`` in a fresh interpreter so its peak memory is its own."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(count)],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(done.stdout)


def single_figures(fmt: str) -> tuple[float, int]:
    """Return the median milliseconds and the bytes of one sticker in ``fmt`` (distinct links)."""
    first, *others = items(SINGLE_RUNS + 1, start=PAGES * (1 + list(FORMATS).index(fmt)))
    pdf = render_sticker(first, fmt)
    times = []
    for data in others:
        start = time.perf_counter()
        render_sticker(data, fmt)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(pdf)


def cli_figures(count: int) -> dict:
    """Time `flask campaign stickers` for `count` published employers, start-up included."""
    import os

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CAMPAIGN_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
               "CAMPAIGN_SECRET_KEY": "x" * 40}
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "campaign", "seed-demo", "--count", str(count), "--pending", "0"],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        out = Path(tmp) / "stickers.pdf"
        start = time.perf_counter()
        subprocess.run([*flask, "campaign", "stickers", "--out", str(out)], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"seconds": seconds, "bytes": out.stat().st_size, "rss_mb": peak}


def main() -> None:
    """Print the benchmark table."""
    ensure_fonts()
    bare = run_child("bare", PAGES)
    print("bare loop = qrcode matrix + merged runs via reportlab path.rect + one drawString")
    print(
        f"bare loop, {PAGES} A6 pages: {bare['seconds']:.2f} s, "
        f"{bare['bytes'] / 1e6:.2f} MB, peak RSS {bare['rss_mb']:.0f} MB"
    )
    print()
    print(
        f"{'format':<10} {'1 sticker':>10} {'bytes':>8} | {PAGES} stickers: {'s':>6} "
        f"{'x bare':>7} {'MB':>6} {'KB/page':>8} {'peak RSS MB':>12}"
    )
    for fmt in FORMATS:
        ms, size = single_figures(fmt)
        batch = run_child(fmt, PAGES)
        pages = -(-PAGES // FORMATS[fmt].per_page)
        print(
            f"{fmt:<10} {ms:>8.1f}ms {size:>8} | {'':>14}{batch['seconds']:>6.2f} "
            f"{batch['seconds'] / bare['seconds']:>7.2f} {batch['bytes'] / 1e6:>6.2f} "
            f"{batch['bytes'] / pages / 1e3:>8.1f} {batch['rss_mb']:>12.0f}"
        )
    print(f"\n(peak RSS includes about {bare['base_mb']:.0f} MB for the interpreter and libraries)")
    cli = cli_figures(PAGES)
    verdict = "goal met" if cli["seconds"] <= 2 * bare["seconds"] and cli["rss_mb"] < 200 else "GOAL MISSED"
    print(
        f"\nflask campaign stickers, {PAGES} published employers (SQLite, whole command incl. "
        f"start-up): {cli['seconds']:.2f} s = {cli['seconds'] / bare['seconds']:.2f}x bare loop, "
        f"{cli['bytes'] / PAGES / 1e3:.1f} KB/page, peak RSS {cli['rss_mb']:.0f} MB ({verdict}; "
        "goal <= 2x, < 15 KB/page, < 200 MB)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
