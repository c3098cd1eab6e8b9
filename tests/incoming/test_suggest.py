"""Registration from the scan (issue 12 item 3): the parser on first pages typed like real documents,
clean and with OCR noise (accents lost, "S6:", spaces around "/", two columns read on one line)."""

import datetime

from qlvb.incoming.suggest import suggest

TYPES = [("Quyết định", "QĐ"), ("Công văn", ""), ("Thông báo", "TB"), ("Kế hoạch", "KH"), ("Tờ trình", "TTr"),
         ("Giấy mời", "GM")]
AGENCIES = ["Ủy ban nhân dân tỉnh Bắc Kạn", "Sở Tài chính tỉnh Bắc Kạn", "Sở Giao thông vận tải tỉnh Bắc Kạn",
            "Cục Đường bộ Việt Nam", "Sở Nội vụ tỉnh Thái Nguyên"]

DECISION = """ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN
Số: 15/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bắc Kạn, ngày 05 tháng 01 năm 2026
QUYẾT ĐỊNH
Về việc phê duyệt kế hoạch bảo trì đường bộ năm 2026
ỦY BAN NHÂN DÂN TỈNH BẮC KẠN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Quyết định số 12/QĐ-UBND ngày 02 tháng 01 năm 2025 của UBND tỉnh;
QUYẾT ĐỊNH:
Điều 1. Phê duyệt kế hoạch bảo trì.
Nơi nhận:
- Như Điều 3;
- Lưu: VT, KTTH.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đỗ Thị Minh Hoa
"""

LETTER_OCR = """UBND TINH BAC KAN      CONG HOA XA HOI CHU NGHIA VIET NAM
SO TAI CHINH      Doc lap - Tu do - Hanh phuc
S6: 123 / STC - NS      Bac Kan, ngay 7 thang 2 nam 2026
V/v huong dan quyet toan ngan sach
nam 2025 cho cac don vi
Kinh gui: Cac so, ban, nganh
Noi nhan: KT. GIÁM ĐỐC
- Nhu tren;
- Lưu: VT, NS. PHÓ GIÁM ĐỐC
Trần Thị Bình
"""

NOTICE = """BỘ XÂY DỰNG
CỤC ĐƯỜNG BỘ VIỆT NAM
Số: 07/TB-CĐBVN
Hà Nội, ngày 18 tháng 11 năm 2026
THÔNG BÁO
Kết luận của Cục trưởng tại cuộc họp về tải trọng xe
Ngày 15/11/2026, Cục Đường bộ Việt Nam đã họp.
CỤC TRƯỞNG
Lê Văn Sơn
"""


def test_a_decision_with_its_agency_under_the_parent_number_date_title_and_signer():
    found = suggest(DECISION, AGENCIES, TYPES)
    assert found["issuer_name"].value == "Ủy ban nhân dân tỉnh Bắc Kạn"
    assert found["notation"].value == "15/QĐ-UBND" and found["notation"].confidence >= 0.9
    assert found["issued_on"].value == datetime.date(2026, 1, 5)  # not the dates cited by "Căn cứ"
    assert found["document_type"].value == "Quyết định"
    assert found["summary"].value == "Về việc phê duyệt kế hoạch bảo trì đường bộ năm 2026"
    assert (found["signer_position"].value, found["signer_name"].value) == ("PHÓ CHỦ TỊCH", "Đỗ Thị Minh Hoa")
    assert all(0 < s.confidence <= 1 and s.matched for s in found.values())


def test_an_ocr_read_letter_without_accents_and_with_columns_on_one_line():
    found = suggest(LETTER_OCR, AGENCIES, TYPES)
    assert found["issuer_name"].value == "Sở Tài chính tỉnh Bắc Kạn"  # "SO TAI CHINH" under "UBND TINH BAC KAN"
    assert found["notation"].value == "123/STC-NS"  # "S6: 123 / STC - NS"
    assert found["issued_on"].value == datetime.date(2026, 2, 7)
    assert found["document_type"].value == "Công văn"  # the V/v line, no type abbreviation
    assert found["summary"].value == "huong dan quyet toan ngan sach nam 2025 cho cac don vi"
    assert found["signer_position"].value == "PHÓ GIÁM ĐỐC"  # read beside "- Lưu: VT, NS."
    assert found["signer_name"].value == "Trần Thị Bình"


def test_a_notice_typed_from_its_abbreviation_and_title():
    found = suggest(NOTICE, AGENCIES, TYPES)
    assert found["issuer_name"].value == "Cục Đường bộ Việt Nam"
    assert found["notation"].value == "07/TB-CĐBVN"
    assert found["issued_on"].value == datetime.date(2026, 11, 18)
    assert found["document_type"].value == "Thông báo"
    assert found["summary"].value == "Kết luận của Cục trưởng tại cuộc họp về tải trọng xe"
    assert (found["signer_position"].value, found["signer_name"].value) == ("CỤC TRƯỞNG", "Lê Văn Sơn")


def test_an_unknown_agency_is_suggested_as_printed_with_a_low_confidence_and_garbled_text_gives_nothing():
    found = suggest("UBND HUYỆN NA RÌ\nPHÒNG NÔNG NGHIỆP\nSố: 3/KH-PNN\nKẾ HOẠCH\nTrồng rừng năm 2026\n",
                    AGENCIES, TYPES)
    assert found["issuer_name"].value == "PHÒNG NÔNG NGHIỆP" and found["issuer_name"].confidence < 0.5
    assert found["notation"].value == "03/KH-PNN" and found["document_type"].value == "Kế hoạch"
    assert suggest("~~ ,,, ;; 12 ab\n\n", AGENCIES, TYPES) == {}


def test_a_date_written_dd_mm_yyyy_when_there_is_no_date_line():
    found = suggest("SỞ NỘI VỤ\nSố: 9/GM-SNV\nGIẤY MỜI\nDự hội nghị\nThời gian: 08/12/2026\n", AGENCIES, TYPES)
    assert found["issued_on"].value == datetime.date(2026, 12, 8) and found["issued_on"].confidence < 0.9
    assert found["document_type"].value == "Giấy mời"


def test_a_date_line_split_from_its_place_by_ocr():
    found = suggest("SỞ NỘI VỤ\nSố: 9/TB-SNV\nThái Nguyên,\nngày 3 tháng 4 năm 2026\nTHÔNG BÁO\nLịch họp\n",
                    AGENCIES, TYPES)
    assert found["issued_on"].value == datetime.date(2026, 4, 3)


def test_the_date_line_printed_last_wins_over_a_cited_document_date():
    """As the text layer of a document numbered at issuing reads: the number and date written last."""
    text = ("SỞ TÀI CHÍNH\nSố:\nQUYẾT ĐỊNH\nVề việc giao dự toán\n"
            "Căn cứ Kế hoạch số 5/KH-UBND, ngày 02 tháng 01 năm 2025 của UBND tỉnh;\n"
            "GIÁM ĐỐC\nNguyễn Văn An\n15/QĐ-STC Bắc Kạn, ngày 05 tháng 01 năm 2026")
    found = suggest(text, AGENCIES, TYPES)
    assert found["issued_on"].value == datetime.date(2026, 1, 5)
    assert found["notation"].value == "15/QĐ-STC"  # not the cited 5/KH-UBND


def test_a_summary_starting_with_dieu_is_not_taken_for_an_article():
    found = suggest("SỞ TÀI CHÍNH\nSố: 3/QĐ-STC\nQUYẾT ĐỊNH\nĐiều chỉnh dự toán chi thường xuyên\nĐiều 1. Điều chỉnh.\n",
                    AGENCIES, TYPES)
    assert found["summary"].value == "Điều chỉnh dự toán chi thường xuyên"
