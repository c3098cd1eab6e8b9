"""Demo signature and seal images (transparent PNG): a blue scribble for a leader, a red round seal
for the agency. Real ones are scans the administrator uploads per credential."""

import math
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from .appearance import font_path

BLUE = (20, 50, 170, 255)
RED = (210, 20, 30, 255)


def _png(img: Image.Image) -> bytes:
    out = BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def signature_png(seed: int = 1, width: int = 360, height: int = 150) -> bytes:
    """A blue handwritten-looking stroke on a transparent background."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [
        (20 + t * (width - 40) / 200, height / 2 + math.sin(t / (7 + seed % 5)) * height * 0.3 * math.cos(t / 40))
        for t in range(201)
    ]
    draw.line(points, fill=BLUE, width=5, joint="curve")
    draw.line([(30, height * 0.8), (width - 30, height * 0.7)], fill=BLUE, width=3)
    return _png(img)


def seal_png(agency_name: str, size: int = 400) -> bytes:
    """A red round seal: two rings, the agency's name around, a star in the middle."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse([4, 4, size - 4, size - 4], outline=RED, width=10)
    draw.ellipse([70, 70, size - 70, size - 70], outline=RED, width=5)
    star = [
        (size / 2 + r * math.sin(i * math.pi / 5), size / 2 - r * math.cos(i * math.pi / 5))
        for i, r in zip(range(10), [60, 24] * 5, strict=True)
    ]
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(str(font_path()), 26)
    text = agency_name.upper()[:40]
    for i, char in enumerate(text):
        angle = -150 + 300 * i / max(len(text) - 1, 1)
        rad = math.radians(angle)
        x = size / 2 + (size / 2 - 38) * math.sin(rad)
        y = size / 2 - (size / 2 - 38) * math.cos(rad)
        glyph = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((20, 20), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
        img.alpha_composite(glyph, (int(x - 20), int(y - 20)))
    return _png(img)
