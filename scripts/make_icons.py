#!/usr/bin/env python3
"""Draws the home-screen icons of the web app manifest (qlvb/static/qlvb/icons/, committed):
a white document with a folded corner and text lines on the navbar's blue. Run again after a change:

    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE, WHITE, LIGHT = (11, 79, 138, 255), (255, 255, 255, 255), (174, 203, 230, 255)
OUT = Path(__file__).resolve().parent.parent / "qlvb" / "static" / "qlvb" / "icons"
SCALE = 4  # drawn large, then reduced: smooth edges without an antialiasing library


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:  # full bleed; the launcher cuts its own shape, the drawing stays in the middle 80 %
        pen.rectangle((0, 0, big, big), fill=BLUE)
        inset = 0.26
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=BLUE)
        inset = 0.18
    left, top = big * (inset + 0.06), big * inset
    right, bottom = big * (1 - inset - 0.06), big * (1 - inset)
    fold = (right - left) * 0.32
    pen.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)], fill=WHITE)
    pen.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=LIGHT)
    line_left, line_right = left + (right - left) * 0.16, right - (right - left) * 0.16
    step = (bottom - top) / 8
    for i, width in enumerate((0.55, 1, 1, 1, 0.7)):
        y = top + step * (2 + i)
        pen.rounded_rectangle((line_left, y, line_left + (line_right - line_left) * width, y + step * 0.38),
                              radius=step * 0.19, fill=BLUE)
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("maskable-512.png", 512, True), ("apple-touch-icon.png", 180, True)):
        draw(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
