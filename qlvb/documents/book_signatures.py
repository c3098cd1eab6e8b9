"""The signature checks behind a register book's rows (issue 14): a document whose PDF's stored check says
it was changed after signing is flagged red in the book (page and API), as on the document's page.

Only the stored verdicts are read (`signing.Verification`, made on arrival and at issuing): the book never
verifies files itself. Two queries per page of rows, whatever its length."""

from qlvb.signing.models import Verdict
from qlvb.signing.selectors import verifications_for


def mark(book_key: str, rows) -> None:
    """Set `row.signature` on each row: "modified" when a PDF of the document was changed after it was
    signed, else ""."""
    files = _files(book_key, [row.document_id for row in rows])
    checks = verifications_for({sha for shas in files.values() for sha in shas})
    for row in rows:
        verdicts = {checks[sha].verdict for sha in files.get(row.document_id, ()) if sha in checks}
        row.signature = Verdict.MODIFIED.value if Verdict.MODIFIED in verdicts else ""


def _files(book_key: str, ids: list[int]) -> dict[int, list[str]]:
    """The SHA-256 of each document's files: an incoming document's attachments, an outgoing one's file."""
    found: dict[int, list[str]] = {}
    if book_key == "outgoing":
        from qlvb.outgoing.models import OutgoingDocument

        pairs = OutgoingDocument.objects.filter(pk__in=ids).exclude(blob=None).values_list("pk", "blob_id")
    else:
        from qlvb.incoming.models import Attachment

        pairs = Attachment.objects.filter(document__in=ids).values_list("document_id", "blob_id")
    for document_id, sha in pairs:
        found.setdefault(document_id, []).append(sha)
    return found
