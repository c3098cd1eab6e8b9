"""Scanned pages made in the test: Vietnamese text drawn with Pillow into an image, saved as an image-only
PDF (no text layer), as a scanner would; nothing downloaded."""

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"

LETTER = [
    "UỶ BAN NHÂN DÂN TỈNH BẮC KẠN",
    "Số: 125/UBND-GTXD",
    "V/v kiểm tra tải trọng xe trên quốc lộ 3",
    "Đề nghị Sở Giao thông vận tải phối hợp kiểm soát tải trọng phương tiện",
    "trên tuyến đường Chợ Đồn và báo cáo kết quả trước ngày 15 tháng 12 năm 2026.",
]


def scanned_page(lines=LETTER, *, fmt: str = "PDF") -> bytes:
    """One A4-wide page at 300 dpi with `lines` in 15 pt serif, as an image-only PDF (or PNG)."""
    font = ImageFont.truetype(FONT, 44)
    image = Image.new("L", (2480, 300 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((200, 150 + i * 90), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format=fmt, resolution=300)
    return out.getvalue()
