"""The main menu: each entry, the URL it opens and the roles that see it."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from qlvb.access import keeps_registers, sees_disposals
from qlvb.organization.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset
    when: Callable | None = None  # a further test on the person, beyond the roles


ALL_STAFF = frozenset({Role.LEADER, Role.HEAD, Role.OFFICER, Role.CLERK})
MENU = [
    MenuItem(_("Văn bản đến"), "incoming:inbox", "inbox", ALL_STAFF),
    MenuItem(_("Văn bản điện tử đến"), "exchange:inbox", "envelope-arrow-down", frozenset({Role.CLERK})),
    MenuItem(_("Văn bản đi"), "outgoing:list", "send", ALL_STAFF),
    MenuItem(_("Tìm kiếm"), "search:page", "search", ALL_STAFF),
    # The register books (Decree 30 Annex IV): the clerks and the head of the office.
    MenuItem(_("Sổ đăng ký"), "documents:index", "journal-text", frozenset({Role.CLERK, Role.HEAD}),
             when=keeps_registers),
    MenuItem(_("Hồ sơ công việc"), "records:list", "folder2-open", frozenset({Role.LEADER, Role.HEAD, Role.OFFICER})),
    MenuItem(_("Danh mục hồ sơ"), "archive:plans", "list-columns", ALL_STAFF),
    MenuItem(_("Hồ sơ nộp lưu"), "archive:submissions", "archive", frozenset({Role.ARCHIVIST})),
    # Disposal: the archivist proposes and carries out, the head of the agency decides (not a deputy).
    MenuItem(_("Hủy tài liệu hết giá trị"), "archive:disposals", "trash3", frozenset({Role.ARCHIVIST, Role.LEADER}),
             when=sees_disposals),
    MenuItem(_("Thống kê hồ sơ"), "archive:figures", "clipboard-data", ALL_STAFF),
    MenuItem(_("Kho lưu trữ"), "archive:archive_search", "box-seam", ALL_STAFF | {Role.ARCHIVIST}),
    MenuItem(_("Theo dõi – đôn đốc"), "monitoring:dashboard", "alarm",
             frozenset({Role.LEADER, Role.HEAD, Role.CLERK})),
    MenuItem(_("Báo cáo"), "reports:index", "bar-chart",
             frozenset({Role.LEADER, Role.HEAD, Role.CLERK, Role.ADMIN, Role.REPORTER})),
    MenuItem(_("Kiểm tra chữ ký số"), "signing:verify", "patch-check", ALL_STAFF | {Role.ADMIN}),
    MenuItem(_("Quản trị"), "administration:index", "gear", frozenset({Role.ADMIN})),
]


@cache
def url_of(name: str, prefix: str) -> str | None:
    """A view's URL (no arguments), looked up once per process (and script prefix): every page shows the
    menu and the frame's links (`{% fixed_url %}`)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@cache
def _slug(name: str) -> str:
    """The entry's id for the figures beside it (`monitoring/_menu_counts.html` slugifies the same name)."""
    return slugify(name)


def menu_for(person) -> list[dict]:
    """Entries the person's roles allow; an entry whose app is not installed yet is left out."""
    items = []
    for item in MENU:
        if not person.has_role(*item.roles) or (item.when and not item.when(person)):
            continue
        url = url_of(item.url_name, get_script_prefix())
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon, "name": item.url_name,
                      "slug": _slug(item.url_name)})
    return items
