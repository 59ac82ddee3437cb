"""Sticker PDFs: QR codes decode, names print literally, pages have the right size and boxes."""

import io
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path

import pytest
import reportlab
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
from reportlab import rl_config
from reportlab.lib import utils as rl_utils

from campaign.stickers.pdf import (
    FORMATS,
    Branding,
    StickerData,
    UnprintableText,
    check_printable,
    render_batch,
    render_sticker,
)
from campaign.stickers.pdf import fonts as sticker_fonts
from campaign.stickers.pdf.qr import matrix, runs
from campaign.stickers.pdf.textfit import Box, fit, wrap

ROOT = Path(__file__).resolve().parents[1]
URL = "https://example.org/t/K7XQ9M"
MM = 72 / 25.4
PAGE_MM = {"a6": (105, 148), "round": (100, 100), "a4-poster": (210, 297), "a4-sheet": (210, 297)}
ALL_FORMATS = [(fmt, bleed) for fmt in FORMATS for bleed in (False, True)]
MARKUP_NAMES = [
    "Müller & Söhne <GmbH>",
    'Evil <font size="40" color="red">X</font>',
    '<a href="javascript:alert(1)">x</a>',
    '<link href="file:///etc/passwd">',
    '<img src="file:///etc/passwd"/>',
    '<img src="http://169.254.169.254/"/>',
    "<font color=\"[[[__import__('os').system('touch /tmp/pwned')]]] and 'red'\">",
    '<onDraw name="showPage"/>',
    "Foo <b>Bar",
    "&#0;",
    "&unknown;",
]
SCRIPT_NAMES = ["Şimşek İnşaat Ğ ı", "Київ Ґанок Їжак Є", "Łódź", "Nguyễn", "ẞ", "Ελληνικά Ωμέγα"]
LONG_NAME = ("Ausbildungsbetrieb" * 15)[:255]
PWNED = Path("/tmp/pwned")  # noqa: S108 - the file the CVE-2023-33733 payload would create


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def poppler():
    """Skip (or fail in CI) when poppler's command-line tools are missing."""
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("poppler-utils (pdftoppm, pdftotext) must be installed in CI")
    pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")


def rasterize(pdf: bytes, dpi: float, tmp_path: Path) -> list[Image.Image]:
    """Render every page of ``pdf`` to a PIL image with pdftoppm."""
    source = tmp_path / "in.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / f"page-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(prefix)], check=True)
    return [Image.open(path) for path in sorted(tmp_path.glob(f"page-{dpi}-*.png"))]


def decode(image: Image.Image) -> list:
    """Return the QR codes zxing-cpp finds in ``image``."""
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def qr_width(result) -> float:
    """Return the width in pixels of a decoded QR code."""
    xs = [
        p.x
        for p in (
            result.position.top_left,
            result.position.top_right,
            result.position.bottom_left,
            result.position.bottom_right,
        )
    ]
    return max(xs) - min(xs)


def pdf_text(pdf: bytes) -> str:
    """Return the text poppler extracts from ``pdf``."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def squash(text: str) -> str:
    """Remove all whitespace, so line breaks chosen by the layout do not matter."""
    return "".join(text.split())


def words(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    """Return (x0, y0, x1, y1, word) boxes from the first page, in points from the top left."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    )
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(*map(float, m[:4]), unescape(m[4])) for m in re.findall(pattern, done.stdout.decode())]


def sticker(name: str = "Bäckerei Schmidt", url: str = URL) -> StickerData:
    """Return sticker data with sensible defaults."""
    return StickerData(name=name, url=url)


def all_objects(reader: PdfReader):
    """Yield every indirect object of the PDF."""
    for generation in reader.xref.values():
        for number in generation:
            yield reader.get_object(number)


# --- QR codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "bleed"), ALL_FORMATS)
def test_qr_decodes_to_exact_url_at_print_and_phone_resolution(fmt, bleed, poppler, tmp_path):
    pdf = render_sticker(sticker(), fmt, bleed=bleed)
    (page,) = rasterize(pdf, 300, tmp_path)
    found = decode(page)
    assert found, "no QR code found at 300 dpi"
    assert {r.text for r in found} == {URL}
    phone_dpi = round(300 * 180 / qr_width(found[0]))
    (small,) = rasterize(pdf, phone_dpi, tmp_path)
    found = decode(small)
    assert found, f"no QR code found at {phone_dpi} dpi"
    assert {r.text for r in found} == {URL}
    assert 150 <= qr_width(found[0]) <= 250


def test_a4_sheet_puts_each_employers_own_code_in_its_slot(poppler, tmp_path):
    items = [sticker(f"Betrieb {i}", f"https://example.org/t/CODE{i}") for i in range(4)]
    out = io.BytesIO()
    render_batch(items, out, "a4-sheet")
    (page,) = rasterize(out.getvalue(), 150, tmp_path)
    found = sorted(
        decode(page), key=lambda r: (r.position.top_left.y > page.height / 2, r.position.top_left.x)
    )
    assert [r.text for r in found] == [item.url for item in items]


def test_long_url_still_decodes(poppler, tmp_path):
    url = "https://alle-tueren-offen.stadt-beispielhausen.de/t/K7XQ9MZ4"
    (page,) = rasterize(render_sticker(sticker(url=url), "round"), 150, tmp_path)
    assert [r.text for r in decode(page)] == [url]


def test_qr_matrix_has_quiet_zone_and_runs_cover_every_dark_module():
    rows = matrix(URL)
    assert not any(rows[0]) and not any(rows[3]) and not any(r[0] or r[3] for r in rows)
    drawn = {(r, c) for r, start, length in runs(rows) for c in range(start, start + length)}
    dark = {(r, c) for r, row in enumerate(rows) for c, on in enumerate(row) if on}
    assert drawn == dark
    assert len(list(runs(rows))) < len(dark) * 0.7


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MARKUP_NAMES + SCRIPT_NAMES)
def test_name_is_printed_literally(name, poppler):
    pdf = render_sticker(sticker(name), "a6")
    text = pdf_text(pdf)
    assert squash(name) in squash(text)
    assert "■" not in text and "\x00" not in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("name", [*SCRIPT_NAMES, "Müller & Söhne", "Foo <b>Bar", "&#0;"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_short_name_is_one_exact_line(name, fmt, poppler):
    text = pdf_text(render_sticker(sticker(name), fmt))
    assert name in text.splitlines()


def test_sticker_carries_claim_invitation_and_link(poppler):
    text = pdf_text(render_sticker(sticker(), "a6"))
    lines = text.splitlines()
    for expected in (
        "Alle Türen offen",
        "Karrierestart hier und jetzt",
        "Hier kannst du unverbindlich nachfragen",
        URL,
    ):
        assert expected in lines


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_sticker_says_ask_without_appointment_for_training_internship_and_job(fmt, poppler):
    lines = pdf_text(render_sticker(sticker(), fmt)).splitlines()
    assert "Ohne Termin fragen:" in lines and "Ausbildung · Praktikum · Job" in lines


@pytest.mark.parametrize(("face", "smallest"), [(FORMATS["a6"].face, 13), (FORMATS["round"].face, 8)])
def test_message_fits_its_box_on_one_line_each_at_a_readable_size(face, smallest):
    pill = face.pill
    for text, box, sizes in face.message_lines():
        block = fit(text, box, True, *sizes)
        assert block.lines == (text,) and block.size >= smallest
        assert sticker_fonts.width(text, True, block.size) <= box.w
        assert block.height <= box.h
        assert pill.x <= box.x and box.x + box.w <= pill.x + pill.w
        assert pill.y <= box.y and box.y + box.h <= pill.y + pill.h


def test_message_is_printed_inside_the_pill(poppler):
    pdf = render_sticker(sticker(), "a6")
    pill = FORMATS["a6"].face.pill
    top, bottom = 148 * MM - (pill.y + pill.h), 148 * MM - pill.y  # from the top, like pdftotext
    message = [w for w in words(pdf) if w[4] in {"Ohne", "Termin", "fragen:", "Ausbildung", "·",
                                                 "Praktikum", "Job"}]
    assert len(message) == 8
    for x0, y0, x1, y1, word in message:
        assert pill.x <= x0 and x1 <= pill.x + pill.w and top <= y0 and y1 <= bottom, word


def test_branding_changes_texts_and_colours(poppler):
    branding = Branding(
        campaign_name="Offene Türen",
        claim="Jetzt einsteigen",
        city_name="Herne",
        primary_color="#8a1538",
    )
    pdf = render_sticker(sticker(), "a6", branding=branding)
    lines = pdf_text(pdf).splitlines()
    assert {"Offene Türen", "Jetzt einsteigen", "Eine Aktion der Stadt Herne"} <= set(lines)
    assert "Alle Türen offen" not in lines


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", [LONG_NAME, "W" * 255, "Ä" * 120 + " " + "m" * 134])
def test_long_name_stays_inside_the_sticker_and_overlaps_nothing(fmt, name, poppler):
    pdf = render_sticker(sticker(name), fmt)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    width, height = (v * MM for v in PAGE_MM[fmt])
    boxes = words(pdf)
    for x0, y0, x1, y1, word in boxes:
        assert x0 >= 0 and x1 <= width and y0 >= 0 and y1 <= height, word
        if fmt == "round":
            corners = [(x, y) for x in (x0, x1) for y in (y0, y1)]
            assert all(
                ((x - width / 2) ** 2 + (y - height / 2) ** 2) ** 0.5 < 49 * MM for x, y in corners
            ), word
    first_sticker = [b for b in boxes if b[1] < height / 2 or fmt != "a4-sheet"]
    for i, a in enumerate(first_sticker):
        for b in first_sticker[i + 1 :]:
            overlap = (
                min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
            )
            assert not overlap, (a, b)


@pytest.mark.parametrize("fmt", ["a6", "a4-poster", "a4-sheet"])
def test_realistic_255_character_name_prints_completely(fmt, poppler):
    text = pdf_text(render_sticker(sticker(LONG_NAME), fmt))
    assert LONG_NAME in squash(text)
    assert "…" not in text


def test_wrap_breaks_at_spaces_and_inside_overlong_words():
    assert wrap("Bäckerei Müller", True, 1000) == ["Bäckerei Müller"]
    assert wrap("Bäckerei Müller", True, 6) == ["Bäckerei", "Müller"]
    pieces = wrap("x" * 100, False, 10)
    assert "".join(pieces) == "x" * 100 and len(pieces) > 1


def test_fit_shrinks_before_it_wraps_further_and_cuts_only_at_minimum_size():
    box = Box(0, 0, 200, 30)
    assert fit("Kurz", box, True, 20, 6).size == 20
    shrunk = fit("Elektro Schmidt und Partner Installationen", box, True, 20, 6)
    assert 6 <= shrunk.size < 20 and len(shrunk.lines) * shrunk.size * 1.2 <= 30.01
    cut = fit("W" * 500, box, True, 20, 6)
    assert cut.size == 6 and cut.lines[-1].endswith("…")


# --- security ------------------------------------------------------------------------------


def test_reportlab_is_patched_and_trusts_no_hosts():
    version = tuple(int(part) for part in reportlab.Version.split(".")[:3])
    assert version >= (5, 0, 1)
    assert not rl_config.trustedHosts


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_markup_names_load_nothing_and_link_only_to_the_short_link(name, monkeypatch):
    render_sticker(sticker(), "a6")  # fonts are read before the traps are set

    def trap(*args, **kwargs):
        raise AssertionError(f"unexpected call with {args!r}")

    monkeypatch.setattr(rl_utils.ImageReader, "__init__", trap)
    monkeypatch.setattr(rl_utils, "open_for_read", trap)
    monkeypatch.setattr(urllib.request, "urlopen", trap)
    monkeypatch.setattr(os, "system", trap)
    pwned_before = PWNED.exists()
    reader = PdfReader(io.BytesIO(render_sticker(sticker(name), "a6", briefing=True)))
    assert PWNED.exists() == pwned_before
    assert len(reader.pages) == 2
    for obj in all_objects(reader):
        if isinstance(obj, DictionaryObject):
            assert not {"/JS", "/JavaScript", "/Launch", "/OpenAction", "/AA"} & set(obj)
            assert obj.get("/URI", URL) == URL
    annots = [a.get_object() for page in reader.pages for a in page.get("/Annots", ArrayObject())]
    assert annots and all(a["/A"]["/URI"] == URL for a in annots)


@pytest.mark.parametrize("name", ["مطعم الشام", "שלום", "東京寿司", "김밥천국", "Café 🍕", "क्षेत्र"])
def test_scripts_we_cannot_set_are_refused_with_a_latin_name_request(name):
    with pytest.raises(UnprintableText) as info:
        check_printable(name)
    assert "lateinischer Schrift" in str(info.value)
    with pytest.raises(UnprintableText):
        render_sticker(sticker(name))


@pytest.mark.parametrize(
    "char", ["\x00", "\x1b", "\x0b", "\n", "\x85", "\u202e", "\u2066", "\u2069", "\u200b", "\ufeff"]
)
def test_control_characters_are_refused_without_echoing_them(char):
    with pytest.raises(UnprintableText) as info:
        check_printable(f"Bäckerei{char}Schmidt")
    message = str(info.value)
    assert "Steuer" in message and f"U+{ord(char):04X}" in message
    assert char not in message and "Bäckerei" not in message
    with pytest.raises(UnprintableText):
        render_sticker(sticker(f"Bäckerei{char}Schmidt"))


def test_printable_names_pass_the_check():
    for name in MARKUP_NAMES + SCRIPT_NAMES + [LONG_NAME, "Nguye\u0302\u0303n"]:
        check_printable(name)


def test_batch_names_the_sticker_that_cannot_be_printed():
    items = [sticker("Gut"), sticker("東京寿司")]
    with pytest.raises(UnprintableText, match=r"^Aufkleber Nr\. 2: "):
        render_batch(items, io.BytesIO())


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://a b/t/x",
        "https://exämple.org/t/x",
        "https://example.org/t/x\n",
    ],
)
def test_only_plain_http_links_become_qr_codes(url):
    with pytest.raises(ValueError, match="Link"):
        render_sticker(sticker(url=url))


def test_bad_input_is_refused_clearly():
    with pytest.raises(UnprintableText, match="leer"):
        render_sticker(sticker("   "))
    with pytest.raises(ValueError, match="Format"):
        render_sticker(sticker(), "a5")
    with pytest.raises(ValueError, match="Farbwert"):
        render_sticker(sticker(), branding=Branding(primary_color="red"))
    with pytest.raises(ValueError, match="leer"):
        render_batch([], io.BytesIO())


# --- pages, boxes, batches -----------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "bleed"), ALL_FORMATS)
def test_page_size_and_print_boxes(fmt, bleed):
    page = PdfReader(io.BytesIO(render_sticker(sticker(), fmt, bleed=bleed))).pages[0]
    w, h = PAGE_MM[fmt]
    b = 3 if bleed else 0
    media = [round(float(v) / MM, 1) for v in page.mediabox]
    assert media == [0, 0, w + 2 * b, h + 2 * b]
    if bleed:
        assert [round(float(v) / MM, 1) for v in page.trimbox] == [b, b, w + b, h + b]
        assert [round(float(v) / MM, 1) for v in page.bleedbox] == media
    else:
        assert "/TrimBox" not in page and "/BleedBox" not in page


def test_a4_sheet_batch_of_nine_fills_three_pages_and_reports_progress(poppler):
    seen = []
    out = io.BytesIO()
    items = (sticker(f"Betrieb Nummer {i}", f"{URL}{i}") for i in range(9))
    assert render_batch(items, out, "a4-sheet", progress=seen.append) == 9
    assert seen == list(range(1, 10))
    assert len(PdfReader(io.BytesIO(out.getvalue())).pages) == 3
    assert all(f"Betrieb Nummer {i}" in pdf_text(out.getvalue()) for i in range(9))


@pytest.mark.parametrize("fmt", ["a6", "round", "a4-poster"])
def test_batch_has_one_page_per_sticker(fmt):
    out = io.BytesIO()
    assert render_batch([sticker(f"Betrieb {i}") for i in range(5)], out, fmt, bleed=True) == 5
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert len(reader.pages) == 5
    assert all("/TrimBox" in page for page in reader.pages)


def test_single_a4_sheet_holds_four_copies(poppler):
    text = pdf_text(render_sticker(sticker("Kopierladen Lenz"), "a4-sheet"))
    assert text.count("Kopierladen Lenz") == 4


def test_briefing_adds_an_a4_page_in_sie_form(poppler):
    contact = "Stadt Bochum, Team Alle Türen offen, Tel. 0234 910-0, tueren@bochum.de"
    pdf = render_sticker(
        sticker("Stadtwerke"), "round", briefing=True, branding=Branding(contact_line=contact)
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert [round(float(v) / MM) for v in reader.pages[1].mediabox] == [0, 0, 210, 297]
    briefing = squash(reader.pages[1].extract_text())
    for expected in (
        "Stadtwerke",
        contact,
        "Lebenslauf",
        "nichtnötig",
        "Nehmen Sie sich",
        "Begrüßen Sie",
        URL,
    ):
        assert squash(expected) in briefing
    assert len(PdfReader(io.BytesIO(render_sticker(sticker(), "a6"))).pages) == 1


def test_batch_of_100_stays_under_15_kb_per_page_with_fonts_embedded_once():
    out = io.BytesIO()
    items = (sticker(f"Handwerksbetrieb Nummer {i} GmbH & Co. KG", f"{URL}{i}") for i in range(100))
    render_batch(items, out, "a6")
    assert len(out.getvalue()) / 100 < 15_000
    reader = PdfReader(io.BytesIO(out.getvalue()))
    font_files = [
        o for o in all_objects(reader) if isinstance(o, DictionaryObject) and "/FontFile2" in o
    ]
    assert len(font_files) == 2
    assert all(str(f["/FontName"]).endswith(("DejaVuSans", "DejaVuSans-Bold")) for f in font_files)


def test_fonts_are_embedded_and_no_base14_font_is_used():
    reader = PdfReader(io.BytesIO(render_sticker(sticker("Şimşek"), "a6", briefing=True)))
    fonts = [
        o
        for o in all_objects(reader)
        if isinstance(o, DictionaryObject) and o.get("/Type") == "/Font"
    ]
    assert fonts and all("/FontDescriptor" in f for f in fonts)
    assert not any("Helvetica" in str(f.get("/BaseFont")) for f in fonts)


# --- concurrency ---------------------------------------------------------------------------


def test_fonts_register_once_under_concurrent_first_use(monkeypatch):
    coverage = sticker_fonts.ensure_fonts()
    calls = []

    def slow_register():
        calls.append(threading.get_ident())
        time.sleep(0.05)
        return coverage

    monkeypatch.setattr(sticker_fonts, "_coverage", None)
    monkeypatch.setattr(sticker_fonts, "_register", slow_register)
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: sticker_fonts.ensure_fonts(), range(20)))
    assert len(calls) == 1
    assert all(r is coverage for r in results)


def test_twenty_concurrent_renders_all_produce_valid_pdfs(monkeypatch):
    monkeypatch.setattr(sticker_fonts, "_coverage", None)
    jobs = [(sticker(f"Betrieb {i} Ğüß", f"{URL}{i}"), list(FORMATS)[i % 4]) for i in range(20)]
    with ThreadPoolExecutor(20) as pool:
        pdfs = list(pool.map(lambda job: render_sticker(job[0], job[1], bleed=True), jobs))
    for (data, fmt), pdf in zip(jobs, pdfs, strict=True):
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1, fmt
        assert squash(data.name) in squash(reader.pages[0].extract_text())


# --- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "bleed", "forms"), [("a6", False, 1), ("a4-sheet", True, 4)])
def test_static_artwork_is_one_form_per_document_reused_on_every_page(fmt, bleed, forms):
    out = io.BytesIO()
    render_batch([sticker(f"Betrieb {i}") for i in range(12)], out, fmt, bleed=bleed)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    found = [
        o
        for o in all_objects(reader)
        if isinstance(o, DictionaryObject) and o.get("/Subtype") == "/Form"
    ]
    assert len(found) == forms


def test_fonts_load_without_importing_the_font_packages_own_parser():
    code = (
        "import sys; from campaign.stickers.pdf import StickerData, render_sticker; "
        "render_sticker(StickerData('Bäckerei', 'https://example.org/t/A')); "
        "print(sorted(m for m in sys.modules if m.startswith('rinoh')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_every_sticker_format_has_a_label_and_the_cli_offers_each():
    from campaign.stickers.files import FORMAT_LABELS
    from campaign.stickers.pdf import FORMATS

    assert set(FORMAT_LABELS) == set(FORMATS)
