"""Seed values of the catalogues, used by the data migration and the demo loader."""

# Decree 30/2020, Annex III: document types and the abbreviations used in notations.
DOCUMENT_TYPES = [
    ("Công văn", ""), ("Quyết định", "QĐ"), ("Nghị quyết", "NQ"), ("Chỉ thị", "CT"), ("Quy chế", "QC"),
    ("Quy định", "QyĐ"), ("Thông cáo", "TC"), ("Thông báo", "TB"), ("Hướng dẫn", "HD"),
    ("Chương trình", "CTr"), ("Kế hoạch", "KH"), ("Phương án", "PA"), ("Đề án", "ĐA"), ("Dự án", "DA"),
    ("Báo cáo", "BC"), ("Biên bản", "BB"), ("Tờ trình", "TTr"), ("Hợp đồng", "HĐ"), ("Công điện", "CĐ"),
    ("Bản ghi nhớ", "BGN"), ("Bản thỏa thuận", "BTT"), ("Giấy ủy quyền", "GUQ"), ("Giấy mời", "GM"),
    ("Giấy giới thiệu", "GGT"), ("Giấy nghỉ phép", "GNP"), ("Phiếu gửi", "PG"), ("Phiếu chuyển", "PC"),
    ("Phiếu báo", "PB"), ("Thư công", ""), ("Bản sao y", "SY"), ("Bản trích sao", "TrS"), ("Bản sao lục", "SL"),
]


def ensure_document_types(model) -> None:
    """Create the missing types (never overwrites what the administrator edited)."""
    for order, (name, abbreviation) in enumerate(DOCUMENT_TYPES):
        model.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})
