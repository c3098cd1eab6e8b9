"""Registration from the scan (issue 12 item 3): accuracy per field of `qlvb.incoming.suggest` over
documents generated here with varied fields, rendered by the product's own renderer (WeasyPrint, text
layer read with pypdf) and, with --ocr, rasterised (pypdfium2, 200 dpi, greyscale, a slight tilt) and read
back by OCR (ocrmypdf + Tesseract vie, as the task queue does).

    QLVB_VAR_DIR=var/bench .venv/bin/python bench/scan_suggest_bench.py -n 40 [--ocr 10]
"""

import argparse
import datetime
import io
import random
import tempfile
import time
from pathlib import Path

import setup_django  # noqa: F401

from qlvb.files import textract
from qlvb.incoming.suggest import fold, suggest
from qlvb.outgoing.rendering.content import DocumentData, date_line
from qlvb.outgoing.rendering.html import render_html
from qlvb.outgoing.rendering.overlay import write_text

AGENCIES = [  # (parent body, agency as printed, name in the known list, abbreviation, place)
    ("UBND TỈNH BẮC KẠN", "SỞ GIAO THÔNG VẬN TẢI", "Sở Giao thông vận tải tỉnh Bắc Kạn", "SGTVT", "Bắc Kạn"),
    ("UBND TỈNH BẮC KẠN", "SỞ TÀI CHÍNH", "Sở Tài chính tỉnh Bắc Kạn", "STC", "Bắc Kạn"),
    ("UBND TỈNH THÁI NGUYÊN", "SỞ NỘI VỤ", "Sở Nội vụ tỉnh Thái Nguyên", "SNV", "Thái Nguyên"),
    ("BỘ XÂY DỰNG", "CỤC ĐƯỜNG BỘ VIỆT NAM", "Cục Đường bộ Việt Nam", "CĐBVN", "Hà Nội"),
    ("UBND HUYỆN CHỢ ĐỒN", "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Phòng Tài nguyên và Môi trường huyện Chợ Đồn",
     "TNMT", "Chợ Đồn"),
    ("UBND TỈNH LẠNG SƠN", "SỞ Y TẾ", "Sở Y tế tỉnh Lạng Sơn", "SYT", "Lạng Sơn"),
]
KNOWN = [a[2] for a in AGENCIES] + ["Ủy ban nhân dân tỉnh Bắc Kạn", "Sở Giáo dục và Đào tạo tỉnh Bắc Kạn",
                                    "Sở Tài nguyên và Môi trường tỉnh Bắc Kạn", "Bộ Xây dựng"]
TYPES = [("Quyết định", "QĐ"), ("Công văn", ""), ("Thông báo", "TB"), ("Kế hoạch", "KH"), ("Báo cáo", "BC"),
         ("Tờ trình", "TTr"), ("Chỉ thị", "CT")]
SUBJECTS = ["phê duyệt kế hoạch bảo trì đường bộ năm 2026", "hướng dẫn quyết toán ngân sách năm 2025",
            "tăng cường kiểm tra tải trọng xe trên quốc lộ 3", "tổ chức hội nghị tổng kết công tác năm",
            "điều chỉnh dự toán chi thường xuyên", "kiện toàn tổ công tác cải cách hành chính",
            "triển khai chuyển đổi số trong cơ quan nhà nước", "phòng chống dịch bệnh mùa đông xuân"]
SIGNERS = [("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"), ("", "GIÁM ĐỐC", "Trần Thị Bình"),
           ("TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Lê Minh Châu"), ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Hoàng Đức Dũng"),
           ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Thu Hà")]
BODY = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;\n"
        "Theo đề nghị của Trưởng phòng Kế hoạch - Tài chính.\nĐiều 1. Nội dung chính của văn bản.\n"
        "Điều 2. Các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành.")


def sample(rng: random.Random) -> dict:
    parent, agency, known, abbr, place = rng.choice(AGENCIES)
    type_name, type_abbr = rng.choice(TYPES)
    number = rng.randint(1, 2500)
    notation = f"{number:02d}/{type_abbr}-{abbr}" if type_abbr else f"{number:02d}/{abbr}-{rng.choice(['VP', 'KHTC'])}"
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 330))
    authority, position, name = rng.choice(SIGNERS)
    subject = rng.choice(SUBJECTS)
    summary = subject if type_name == "Công văn" else f"{'Về việc ' if type_name != 'Kế hoạch' else ''}{subject}"
    return {"parent": parent, "agency": agency, "issuer": known, "place": place, "type": type_name,
            "notation": notation, "date": day, "summary": summary[0].upper() + summary[1:],
            "authority": authority, "position": position, "signer": name}


def render(s: dict) -> bytes:
    data = DocumentData(
        agency_name=s["agency"], parent_agency_name=s["parent"], place_name=s["place"], type_name=s["type"],
        summary=s["summary"], body=BODY, is_official_letter=s["type"] == "Công văn",
        authority_lines=tuple(x for x in (s["authority"], s["position"]) if x), signer_name=s["signer"],
        recipients=("- Như Điều 2;", "- Lưu: VT, VP, 02."))
    rendered = render_html(data)
    return write_text(rendered.pdf, rendered.boxes,
                      {"number": s["notation"], "date": date_line(s["place"], s["date"])})


def scan(pdf: bytes, rng: random.Random, workdir: Path) -> str:
    """The first page as a scanner would give it (image only), read back by OCR."""
    import pypdfium2
    from PIL import Image

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    image = image.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=255)
    path = workdir / "scan.png"
    image.save(path, dpi=(200, 200))
    return textract.extract(path, "image/png", workdir).text


def noisy(text: str, rng: random.Random) -> str:
    """OCR-like damage to a clean text layer: accents lost on half the lines, "Số:" read as "S6:",
    spaces around "/" and "-", a few letters swapped (o/0, l/1, i/l) — never inside the fields' digits."""
    import unicodedata

    out = []
    for line in text.splitlines():
        if rng.random() < 0.5:
            line = line.replace("đ", "d").replace("Đ", "D")
            line = unicodedata.normalize("NFC", "".join(
                ch for ch in unicodedata.normalize("NFD", line) if unicodedata.category(ch) != "Mn"))
        line = line.replace("Số:", rng.choice(["S6:", "So:", "Sé :", "Số :"]))
        if rng.random() < 0.5:
            line = line.replace("/", " / ").replace("-", " - ")
        chars = list(line)
        for i, ch in enumerate(chars):
            if ch in "oli" and rng.random() < 0.02:
                chars[i] = {"o": "0", "l": "1", "i": "l"}[ch]
        out.append("".join(chars))
    return "\n".join(out)


def compare(s: dict, found: dict) -> dict[str, bool]:
    def value(key):
        return found[key].value if key in found else None

    summary = fold(value("summary") or "")
    return {
        "issuer": value("issuer_name") == s["issuer"],
        "notation": value("notation") == s["notation"],
        "date": value("issued_on") == s["date"],
        "type": value("document_type") == s["type"],
        "summary": summary == fold(s["summary"]),
        "signer": value("signer_name") == s["signer"],
        "position": fold(value("signer_position") or "") == fold(s["position"]),
    }


def run(n: int, ocr: int, seed: int) -> None:
    rng = random.Random(seed)
    results: dict[str, dict[str, list[bool]]] = {"text layer": {}, "text layer + OCR-like noise": {}, "OCR": {}}
    timing = dict.fromkeys(results, 0.0)
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(n):
            s = sample(rng)
            pdf = render(s)
            started = time.perf_counter()
            text, _pages = _text(pdf)
            found = suggest(text, KNOWN, TYPES)
            timing["text layer"] += time.perf_counter() - started
            runs = [("text layer", found), ("text layer + OCR-like noise", suggest(noisy(text, rng), KNOWN, TYPES))]
            if index < ocr:
                started = time.perf_counter()
                ocr_text = scan(pdf, rng, Path(tmp))
                found_ocr = suggest(ocr_text, KNOWN, TYPES)
                timing["OCR"] += time.perf_counter() - started
                runs.append(("OCR", found_ocr))
            for kind, got in runs:
                for field, ok in compare(s, got).items():
                    results[kind].setdefault(field, []).append(ok)
                    if not ok:
                        misses.append((kind, field, s, got.get(_key(field))))
    for kind, fields in results.items():
        if not fields:
            continue
        count = len(next(iter(fields.values())))
        row = " | ".join(f"{field} {sum(oks)}/{len(oks)}" for field, oks in fields.items())
        each = f", {timing[kind] / count * 1000:.0f} ms each" if timing[kind] else ""
        print(f"{kind} ({count} documents{each}): {row}")
    for kind, field, s, got in sorted(misses, key=lambda m: m[0] != "text layer")[:15]:
        print(f"  miss [{kind}] {field}: expected {s[_source(field)]!r}, got {got}")


def _key(field):
    return {"issuer": "issuer_name", "date": "issued_on", "type": "document_type", "signer": "signer_name",
            "position": "signer_position"}.get(field, field)


def _source(field):
    return {"position": "position", "signer": "signer", "type": "type"}.get(field, field)


def _text(pdf: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return reader.pages[0].extract_text() or "", len(reader.pages)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=40, help="documents rendered (text layer)")
    parser.add_argument("--ocr", type=int, default=0, help="of which rasterised and read by OCR")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    run(args.n, args.ocr, args.seed)
