"""Signature appearances drawn by us, not by pyHanko's text stamp (which stretches Liberation Serif).

An appearance is a list of images and text lines placed inside a box, in PDF points with the origin at
the box's bottom-left corner. Text is set in Liberation Serif (Times New Roman metrics, every Vietnamese
letter; Debian `fonts-liberation2`), embedded as a subset and shaped with HarfBuzz, at its natural width.
"""

import logging
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image
from pyhanko.pdf_utils import content, generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import pil_image
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.stamp.base import BaseStamp, BaseStampStyle

MM = 72 / 25.4  # points per millimetre

# fontTools warns at every subset that it drops the font's FontForge timestamp table (FFTM): harmless.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def font_path(style: str = "normal") -> Path:
    """The face drawn texts use: Liberation Serif, or its italic (the date line, Annex I)."""
    return Path(settings.QLVB_SIGNING_FONT_ITALIC if style == "italic" else settings.QLVB_SIGNING_FONT)


@dataclass
class Placed:
    """An image at (x, y) with width w and height h, inside the appearance box."""

    image: Image.Image
    x: float
    y: float
    w: float
    h: float


@dataclass
class Line:
    text: str
    x: float
    y: float  # baseline
    size: float = 10
    style: str = "normal"  # or "italic"


@dataclass
class Drawing:
    width: float
    height: float
    images: list[Placed] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


@cache
def _decoded(png: bytes) -> Image.Image:
    return Image.open(BytesIO(png)).convert("RGBA")


def image(png: bytes) -> Image.Image:
    return _decoded(png)


def fit(img: Image.Image, width: float, height: float) -> tuple[float, float]:
    """The largest size with the image's proportions inside width × height."""
    scale = min(width / img.width, height / img.height)
    return img.width * scale, img.height * scale


def centred(img: Image.Image, width: float, height: float) -> Placed:
    w, h = fit(img, width, height)
    return Placed(img, (width - w) / 2, (height - h) / 2, w, h)


def text_width(text: str, size: float, style: str = "normal") -> float:
    """The natural width of a line in points (for right-aligning and box sizes)."""
    return _metrics(style).width(text) * size


class _Metrics:
    def __init__(self, path):
        from fontTools.ttLib import TTFont

        tt = TTFont(path)
        self.cmap = tt.getBestCmap()
        self.hmtx = tt["hmtx"]
        self.upem = tt["head"].unitsPerEm

    def width(self, text: str) -> float:
        return sum(self.hmtx[self.cmap.get(ord(c), ".notdef")][0] for c in text) / self.upem


@cache
def _metrics(style: str = "normal") -> _Metrics:
    return _Metrics(str(font_path(style)))


class _Accumulator(GlyphAccumulator):
    """pyHanko's embedded-font engine, in the units PDF expects.

    pyHanko writes glyph widths (/W) and HarfBuzz advances in font units, which PDF reads as thousandths
    of an em: right for CFF fonts (1000 units per em), but a TrueType font such as Liberation Serif has
    2048, so every glyph advanced twice its width (the "stretched text" of pyHanko's stamps). Here
    HarfBuzz works at a scale of 1000 and widths are converted to thousandths, so /W, the TJ adjustments
    and the advances agree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._to_thousandths = 1000 / self.units_per_em
        self.units_per_em = 1000
        self.hb_font.scale = (1000, 1000)

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        if glyph_id not in self._glyphs:
            cid, width = super()._get_cid_and_width(glyph_id)
            self._glyphs[glyph_id] = cid, round(width * self._to_thousandths)
        return self._glyphs[glyph_id]

    def _extract_subset(self, options=None):
        """The font file to embed, cut to the glyphs used plus digits and the punctuation of numbers and
        date lines: an agency's numbers and date lines then use the same few glyph sets, so each is cut
        and compiled once per process (`_SUBSETS`) instead of at every issue, where it was a third of
        the time of writing the number and date. The file is reloaded unparsed, so pyHanko's embedding
        copies its tables instead of compiling them again."""
        from fontTools.ttLib import TTFont

        cmap = self.tt.getBestCmap()
        for char in ALWAYS_EMBEDDED:
            if ord(char) in cmap:
                self._get_cid_and_width(self.tt.getGlyphID(cmap[ord(char)]))
        key = (self.tt["name"].getDebugName(6), frozenset(self._glyphs))
        data = _SUBSETS.get(key)
        if data is None:
            super()._extract_subset(options)
            out = BytesIO()
            self.tt.save(out)
            data = out.getvalue()
            if len(_SUBSETS) < 512:
                _SUBSETS[key] = data
        self.cidfont_obj._tt = TTFont(BytesIO(data))


ALWAYS_EMBEDDED = "0123456789/-.,:"
_SUBSETS: dict[tuple, bytes] = {}  # (font name, glyph ids) -> the embedded font file, per process


# What the drawn texts use: Latin, every Vietnamese letter (precomposed), common punctuation.
VIETNAMESE = [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169,
              *range(0x1A0, 0x1B1), *range(0x1EA0, 0x1EFA), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
              0x2026]


@cache
def _font_bytes(style: str = "normal") -> bytes:
    """Liberation Serif cut down once per process to the Vietnamese repertoire, without the OpenType
    layout tables: subsetting the full font at each signature (its GSUB/GPOS) cost most of the signing
    time, and precomposed Vietnamese letters need no shaping (texts are NFC-normalised)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(font_path(style).read_bytes()))
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "DSIG"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=VIETNAMESE)
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def font_engine(writer, style: str = "normal") -> _Accumulator:
    obj_stream = writer.prepare_object_stream() if writer.stream_xrefs else None
    return _Accumulator(writer=writer, font_handle=BytesIO(_font_bytes(style)), font_size=10,
                        obj_stream=obj_stream)


class DrawnStampStyle(BaseStampStyle):
    """A stamp style that renders one `Drawing` (no border, no pyHanko text)."""

    def __init__(self, drawing: Drawing):
        object.__setattr__(self, "drawing", drawing)
        super().__init__(border_width=0, background=None)

    def create_stamp(self, writer, box, text_params):
        return DrawnStamp(writer=writer, style=self, box=BoxConstraints(self.drawing.width, self.drawing.height))


class DrawnStamp(BaseStamp):
    def _render_inner_content(self):
        return render_ops(self, self.style.drawing)


def render_ops(target: content.PdfContent, drawing: Drawing, engines: dict | None = None) -> list[bytes]:
    """Content-stream operators for `drawing`; images and the fonts are added to `target`'s resources.
    `engines`: font engines by style, shared between several drawings of one update (one embedded
    subset per face)."""
    ops = []
    for index, placed in enumerate(drawing.images):
        name = pdf_name(f"/Img{index}")
        target.set_resource(content.ResourceType.XOBJECT, name, image_xobject(placed.image, target.writer))
        ops.append(b"q 1 0 0 1 %g %g cm q %g 0 0 %g 0 0 cm %s Do Q Q"
                   % (placed.x, placed.y, placed.w, placed.h, name.encode()))
    engines = {} if engines is None else engines
    for line in drawing.lines:
        if line.style not in engines:
            engines[line.style] = font_engine(target.writer, line.style)
        font, name = engines[line.style], FONT_NAMES[line.style]
        target.set_resource(content.ResourceType.FONT, pdf_name(name), font.as_resource())
        font.font_size = line.size
        shaped = font.shape(unicodedata.normalize("NFC", line.text))
        ops.append(b"BT 0 g %s %g Tf 1 0 0 1 %g %g Tm %s ET"
                   % (name.encode(), line.size, line.x, line.y, shaped.graphics_ops))
    return ops


FONT_NAMES = {"normal": "/FQ", "italic": "/FQI"}


def image_xobject(img: Image.Image, writer) -> generic.IndirectObject:
    """`img` as an image XObject (with its alpha channel as a soft mask) added to `writer`. The signature
    and seal images are the same for every document a person or the agency signs, and their pixels (the
    seal is 400 × 400 RGBA) were compressed again at every signature: they are encoded once per process (by
    pyHanko's `pil_image`, so the streams are those it writes) and each document gets copies of the bytes."""
    refs: dict[int, generic.IndirectObject] = {}
    for idnum, stream in _encoded(img):
        entries = {key: refs[value.idnum] if isinstance(value, generic.IndirectObject) else value
                   for key, value in stream.items()}
        refs[idnum] = writer.add_object(generic.StreamObject(entries, encoded_data=stream.encoded_data))
    return refs[idnum]


_ENCODED: dict[int, tuple[Image.Image, list]] = {}  # id(image) -> (image, [(idnum, stream)]), per process


def _encoded(img: Image.Image) -> list[tuple[int, generic.StreamObject]]:
    """The streams of `img` (soft mask first, image last), keyed by the object number pyHanko gave them in
    a scratch writer, so the image's /SMask reference can be pointed at the copy of the mask."""
    cached = _ENCODED.get(id(img))
    if cached is not None and cached[0] is img:
        return cached[1]
    scratch = _Recording()
    pil_image(img, scratch)
    streams = scratch.added
    if len(_ENCODED) < 64:
        _ENCODED[id(img)] = (img, streams)
    return streams


class _Recording(PdfFileWriter):
    def __init__(self):
        self.added = []
        super().__init__()
        self.added.clear()  # the scratch document's own catalog and pages

    def add_object(self, obj, obj_stream=None, idnum=None):
        ref = super().add_object(obj, obj_stream=obj_stream, idnum=idnum)
        self.added.append((ref.idnum, obj))
        return ref


class DrawnContent(content.PdfContent):
    """A `Drawing` as plain PDF content (the appearance stream of a text annotation)."""

    def __init__(self, drawing: Drawing, writer, engines=None):
        super().__init__(writer=writer, box=BoxConstraints(drawing.width, drawing.height))
        self.drawing, self.engines = drawing, engines

    def render(self) -> bytes:
        return b" ".join([b"q", *render_ops(self, self.drawing, self.engines), b"Q"])


def as_xobject(drawing: Drawing, writer, engines=None) -> generic.IndirectObject:
    return writer.add_object(DrawnContent(drawing, writer, engines).as_form_xobject())
