"""Exports of search results (Circular 01/2019 F-6.h: .docx/.pdf, and .xlsx): each file opens, holds the
rows of the results in the chosen columns and order, and nothing the viewer may not open."""

import pytest

from qlvb.audit.models import AuditEntry

from .conftest import FIND
from .helpers import docx_rows, pdf_text, xlsx_rows

pytestmark = pytest.mark.django_db
COLUMNS = ["notation", "summary", "arrival_number"]


def _export(client, file_format, **params):
    return client.get(f"/search/export/{file_format}/", {"kind": "incoming", "cols": COLUMNS, **params})


def test_each_format_opens_with_the_rows_in_the_chosen_columns_and_order(client, demo, library):
    """F-6.h: the file is what the page shows: the chosen columns (in the page's order), one row per
    result, in the chosen order."""
    client.force_login(demo["vanthu"])
    doc, other = library.incoming, library.other_incoming
    params = {"order": "arrival_number"}  # oldest first: the opposite of the default order
    xlsx = _export(client, "xlsx", **params)
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(xlsx.content)
    header = rows.index(["Số đến", "Số, ký hiệu", "Trích yếu"])
    notations = [r[1] for r in rows[header + 1:]]
    assert notations.index(doc.notation) < notations.index(other.notation)

    docx = _export(client, "docx", **params)
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    table = docx_rows(docx.content)
    assert table[0] == ["Số đến", "Số, ký hiệu", "Trích yếu"]
    assert [r[1] for r in table[1:]] == notations

    pdf = _export(client, "pdf", **params)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert doc.notation in text and other.notation in text
    assert text.index(doc.notation) < text.index(other.notation)


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "pdf"])
def test_an_export_holds_only_what_the_viewer_may_open(client, demo, library, file_format):
    """The confidential twin matches the search too; the ordinary clerk's file leaves it out, its keeper's
    file has it (F-6.h over access rights, F-3.b)."""
    def exported(username):
        client.force_login(demo[username])
        response = client.get("/api/search/incoming/export", {"q": FIND, "format": file_format,
                                                               "columns": "notation,summary"})
        assert response.status_code == 200
        if file_format == "pdf":
            return pdf_text(response.content)
        rows = xlsx_rows(response.content) if file_format == "xlsx" else docx_rows(response.content)
        return "\n".join(" | ".join(r) for r in rows)

    clerk, keeper = exported("vanthu"), exported("vanthu.mat")
    assert library.incoming.notation in clerk and library.secret_incoming.notation not in clerk
    assert library.secret_incoming.notation in keeper


def test_an_export_over_the_limit_is_refused_with_the_limit(client, demo, library, settings):
    """The cap (QLVB_SEARCH_EXPORT_MAX_ROWS) keeps an export to what is built while the person waits; the
    page and the API say why and what to do."""
    settings.QLVB_SEARCH_EXPORT_MAX_ROWS = 1
    client.force_login(demo["vanthu"])
    response = client.get("/search/export/xlsx/", {"kind": "incoming"}, follow=True)
    assert response.redirect_chain and "/search/?" in response.redirect_chain[-1][0]
    assert "hơn 1 văn bản" in response.content.decode()
    api = client.get("/api/search/incoming/export", {"format": "docx"})
    assert api.status_code == 400 and "hơn 1 văn bản" in api.json()["detail"][0]["msg"]
    # One result is within the limit.
    assert client.get("/api/search/incoming/export", {"format": "docx", "q": FIND}).status_code == 200


def test_an_unknown_format_names_the_field(client, demo, library):
    client.force_login(demo["vanthu"])
    response = client.get("/api/search/incoming/export", {"format": "odt"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "format"


def test_an_export_is_in_the_audit_trail(client, demo, library):
    """F-6.l: the usage history keeps who exported which search and how many rows."""
    client.force_login(demo["vanthu"])
    client.get("/api/search/outgoing/export", {"format": "xlsx", "q": FIND})
    entry = AuditEntry.objects.filter(action="documents.search_exported").latest("pk")
    assert entry.actor == demo["vanthu"]
    assert entry.changes["rows"] == 1 and entry.changes["kind"] == "outgoing" and entry.changes["format"] == "xlsx"
