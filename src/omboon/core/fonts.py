"""The Sarabun font, served locally: to web pages as static files and to PDFs as file:// URLs.

Villages may be offline on a LAN, so no page ever asks a CDN for a font. The TTF files ship
in the ``fontpkg_sarabun`` package; ``SarabunFinder`` exposes that directory under the static
prefix ``omboon/fonts/`` (``STATICFILES_FINDERS`` lists it), so ``runserver``, WhiteNoise and
``collectstatic`` all find ``omboon/fonts/Sarabun-Regular.ttf`` without copying anything into
the repository. ``omboon/fonts.css`` (a static file of this app) declares the faces for pages;
``pdf_font_css()`` declares the same faces with file:// URLs for WeasyPrint.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import fontpkg_sarabun
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

FAMILY = "Sarabun"
STATIC_PREFIX = "omboon/fonts"

# (file stem, CSS weight, CSS style) of the faces the pages and PDFs use.
FACES: list[tuple[str, int, str]] = [
    ("Sarabun-Light", 300, "normal"),
    ("Sarabun-Regular", 400, "normal"),
    ("Sarabun-Italic", 400, "italic"),
    ("Sarabun-SemiBold", 600, "normal"),
    ("Sarabun-Bold", 700, "normal"),
    ("Sarabun-BoldItalic", 700, "italic"),
]


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """The directory holding Sarabun's TTF files (``fontpkg_sarabun/files``)."""

    return Path(fontpkg_sarabun.ROOT) / "files"


def font_files() -> list[Path]:
    return sorted(font_dir().glob("*.ttf"))


def _face_css(url_for) -> str:
    rules = []
    for stem, weight, style in FACES:
        rules.append(
            "@font-face {\n"
            f"  font-family: \"{FAMILY}\";\n"
            f"  src: url(\"{url_for(stem + '.ttf')}\") format(\"truetype\");\n"
            f"  font-weight: {weight};\n"
            f"  font-style: {style};\n"
            "}"
        )
    return "\n".join(rules)


class SarabunFinder(BaseFinder):
    """Finds ``omboon/fonts/<file>.ttf`` in the fontpkg_sarabun package."""

    def __init__(self, *args, **kwargs):
        self.storage = FileSystemStorage(location=str(font_dir()))
        self.storage.prefix = STATIC_PREFIX  # collectstatic and WhiteNoise place files under it

    def check(self, **kwargs):
        if not font_dir().is_dir() or not font_files():
            return [Error(
                f"ไม่พบไฟล์ฟอนต์ Sarabun / Sarabun font files not found in {font_dir()}",
                hint="uv sync (the fontpkg-sarabun package ships them)",
                id="omboon.reports.E001",
            )]
        return []

    def find(self, path, find_all=False, **kwargs):
        if kwargs:  # Django 5.2 still accepts the deprecated ``all`` keyword
            find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        match = None
        prefix = STATIC_PREFIX + "/"
        if path.startswith(prefix):
            name = path[len(prefix):]
            if name and "/" not in name and os.sep not in name and not name.startswith("."):
                candidate = font_dir() / name
                if candidate.suffix == ".ttf" and candidate.is_file():
                    match = str(candidate)
        if find_all or not match:
            return [match] if match else []  # Django's finders answer [] when nothing matched
        return match

    def list(self, ignore_patterns):
        for path in font_files():
            yield path.name, self.storage


# --- PDFs: Thai text that copies and searches correctly ------------------------------------
#
# HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA glyphs in one merged cluster, and a PDF maps
# each glyph to text once, by its first use. WeasyPrint therefore maps the SARA AA glyph to
# "ำ" or a tone mark to "" for the whole document, and pdftotext, copy and search read
# "ค่ำธรรมเนียม" for "ค่าธรรมเนียม". The fix has two halves:
#
# 1. ``pdf_font_dir()`` writes copies of the Sarabun faces with one more glyph, ``uni0E32.am``
#    (the SARA AA outline), and a GSUB rule that uses it for a SARA AA after a NIKHAHIT (with
#    or without a tone mark between): the two meanings of that shape become two glyphs.
# 2. ``install_weasyprint_text_fix()`` seeds every such font's glyph → text map before
#    WeasyPrint draws: each Thai glyph to its character, NIKHAHIT to "", NIKHAHIT+tone
#    ligatures to the tone, ``uni0E32.am`` to "ำ". Extraction then reads "ค่ำ" as ค ่ ำ exactly.

logger = logging.getLogger(__name__)

AM_GLYPH = "uni0E32.am"
_FIX_VERSION = "1"
_lock = threading.Lock()
_GLYPH_NAME = re.compile(r"^uni((?:0E[0-9A-F]{2})+)(?:\.[A-Za-z0-9_.]+)?$")


def _cache_root() -> Path:
    return Path(getattr(settings, "DATA_DIR", Path.cwd() / "data")) / "cache" / "fonts"


def _patch_face(src: Path, dest: Path) -> None:
    # fontTools loads only when a face is first patched (then cached on disk), not on every start
    from fontTools.otlLib.builder import buildCoverage, buildLookup, buildSingleSubstSubtable  # noqa: PLC0415
    from fontTools.ttLib import TTFont  # noqa: PLC0415
    from fontTools.ttLib.tables import otTables as ot  # noqa: PLC0415

    font = TTFont(str(src))
    order = list(font.getGlyphOrder())
    if AM_GLYPH in order:
        font.save(str(dest))
        return
    cmap = font.getBestCmap()
    aa, nikhahit = cmap[0x0E32], cmap[0x0E4D]

    # The new glyph: a composite of SARA AA with the same metrics.
    glyf = font["glyf"]
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent  # noqa: PLC0415 (as above)

    comp = GlyphComponent()
    comp.glyphName, comp.x, comp.y, comp.flags = aa, 0, 0, 0x4  # ROUND_XY_TO_GRID
    glyph = Glyph()
    glyph.numberOfContours = -1
    glyph.components = [comp]
    order.append(AM_GLYPH)
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf[AM_GLYPH] = glyph
    font["hmtx"][AM_GLYPH] = font["hmtx"][aa]
    if "post" in font and font["post"].formatType == 2.0:
        font["post"].extraNames.append(AM_GLYPH)
        font["post"].mapping[AM_GLYPH] = AM_GLYPH
    gdef = font["GDEF"].table if "GDEF" in font else None
    marks = set()
    if gdef is not None and gdef.GlyphClassDef is not None:
        classes = gdef.GlyphClassDef.classDefs
        marks = {g for g, c in classes.items() if c == 3}
        if aa in classes:
            classes[AM_GLYPH] = classes[aa]
    glyph_map = font.getReverseGlyphMap(rebuild=True)
    nikhahits = sorted({g for g in order if g == nikhahit or g.startswith(nikhahit)}, key=glyph_map.get)
    other_marks = sorted(marks - set(nikhahits), key=glyph_map.get)

    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    single_index = len(lookups)
    lookups.append(buildLookup([buildSingleSubstSubtable({aa: AM_GLYPH})]))

    def chain(backtrack: list[list[str]]) -> ot.ChainContextSubst:
        st = ot.ChainContextSubst()
        st.Format = 3
        st.BacktrackGlyphCount = len(backtrack)
        st.BacktrackCoverage = [buildCoverage(b, glyph_map) for b in backtrack]
        st.InputGlyphCount = 1
        st.InputCoverage = [buildCoverage([aa], glyph_map)]
        st.LookAheadGlyphCount = 0
        st.LookAheadCoverage = []
        rec = ot.SubstLookupRecord()
        rec.SequenceIndex, rec.LookupListIndex = 0, single_index
        st.SubstCount = 1
        st.SubstLookupRecord = [rec]
        return st

    subtables = [chain([nikhahits])]
    if other_marks:
        subtables.append(chain([other_marks, nikhahits]))  # backtrack: nearest first
    chain_lookup = ot.Lookup()
    chain_lookup.LookupType, chain_lookup.LookupFlag = 6, 0
    chain_lookup.SubTable, chain_lookup.SubTableCount = subtables, len(subtables)
    chain_index = len(lookups)
    lookups.append(chain_lookup)
    gsub.LookupList.LookupCount = len(lookups)

    added = False
    for rec in gsub.ScriptList.ScriptRecord:
        if rec.ScriptTag != "thai":
            continue
        langsyses = [rec.Script.DefaultLangSys] + [lr.LangSys for lr in rec.Script.LangSysRecord]
        for langsys in langsyses:
            if langsys is None:
                continue
            for fi in langsys.FeatureIndex:
                feature = gsub.FeatureList.FeatureRecord[fi]
                if feature.FeatureTag == "ccmp" and chain_index not in feature.Feature.LookupListIndex:
                    feature.Feature.LookupListIndex.append(chain_index)
                    feature.Feature.LookupCount = len(feature.Feature.LookupListIndex)
                    added = True
    if not added:
        raise ValueError("no Thai ccmp feature to extend")
    font.save(str(dest))


def pdf_font_dir() -> Path:
    """Sarabun faces for PDFs (see above), built once into DATA_DIR/cache/fonts/.

    Falls back to the package's own files, with a warning, if the faces cannot be patched.
    """
    return _pdf_font_dir()


@lru_cache(maxsize=1)
def _pdf_font_dir() -> Path:
    files = [font_dir() / f"{stem}.ttf" for stem, _, _ in FACES]
    digest = hashlib.sha256(_FIX_VERSION.encode())
    for f in files:
        digest.update(f.name.encode())
        digest.update(str(f.stat().st_size).encode())
        digest.update(str(int(f.stat().st_mtime)).encode())
    dest = _cache_root() / f"sarabun-{digest.hexdigest()[:16]}"
    with _lock:
        try:
            dest.mkdir(parents=True, exist_ok=True)
            for f in files:
                target = dest / f.name
                if not target.exists():
                    tmp = dest / f".{f.name}.{os.getpid()}.tmp"
                    _patch_face(f, tmp)
                    os.replace(tmp, target)
        except Exception:  # a PDF with imperfect copy/search beats no PDF
            logger.warning("ปรับฟอนต์สำหรับ PDF ไม่ได้ / could not patch Sarabun for PDFs", exc_info=True)
            return font_dir()
    return dest


@lru_cache(maxsize=1)
def pdf_font_css() -> str:
    """@font-face rules with file:// URLs, for documents WeasyPrint renders."""
    folder = pdf_font_dir()
    return _face_css(lambda name: (folder / name).as_uri())


_TEXT_MAPS: dict[str, dict[int, str]] = {}


def thai_text_map(font_bytes: bytes) -> dict[int, str]:
    """Glyph id → text for the Thai glyphs of a face patched by ``pdf_font_dir`` (else {})."""
    key = hashlib.sha1(font_bytes).hexdigest()
    found = _TEXT_MAPS.get(key)
    if found is not None:
        return found

    from fontTools.ttLib import TTFont  # noqa: PLC0415 — fontTools only when a PDF is first made

    mapping: dict[int, str] = {}
    try:
        font = TTFont(io.BytesIO(font_bytes), lazy=True)
        order = font.getGlyphOrder()
        if AM_GLYPH in order:
            for gid, name in enumerate(order):
                if name == AM_GLYPH:
                    mapping[gid] = "\u0e33"
                    continue
                m = _GLYPH_NAME.match(name)
                if not m:
                    continue
                chars = "".join(chr(int(m.group(1)[i:i + 4], 16)) for i in range(0, len(m.group(1)), 4))
                # NIKHAHIT only ever comes from SARA AM here; its text is carried by uni0E32.am.
                mapping[gid] = chars.replace("\u0e4d", "")
    except Exception:
        logger.warning("อ่านฟอนต์ไม่ได้ / could not read a font's glyph names", exc_info=True)
        mapping = {}
    _TEXT_MAPS[key] = mapping
    return mapping


_installed = False


def install_weasyprint_text_fix() -> None:
    """Seed the glyph → text map of patched fonts as WeasyPrint first meets them (idempotent)."""
    global _installed
    if _installed:
        return
    with _lock:
        if _installed:
            return
        from weasyprint.pdf.stream import Stream  # noqa: PLC0415 — WeasyPrint loads Pango: PDFs only

        original = Stream.add_font

        def add_font(self, pango_font):
            font, size = original(self, pango_font)
            if not getattr(font, "_omboon_seeded", False):
                font._omboon_seeded = True
                content = getattr(font, "file_content", None)
                if content:
                    for gid, text in thai_text_map(content).items():
                        font.to_unicode.setdefault(gid, text)
            return font, size

        add_font.__wrapped__ = original
        Stream.add_font = add_font
        _installed = True
