"""Every read of documents, items, drafts or records in the reading layers starts from `qlvb.access`.

The walk in `test_lists_visibility.py` proves the pages and the API as they are; this test keeps the
next list honest: a selector, view, API handler, scheduler job, task or template that reads one of the
guarded tables directly fails here unless the same statement starts from `access.visible_*`, or the
read is listed below with the reason it cannot show anything its viewer may not open.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "qlvb"
READING = ("selectors.py", "views.py", "api.py", "scheduler.py", "tasks.py", "exports.py", "search.py")
GUARDED = re.compile(
    r"\b(IncomingDocument|Assignment|Draft|WorkRecord|OutgoingDocument|OpinionRequest|Recipient)\.objects\b"
    r"|\.(assignments|drafts|replies|replies_to|records|replaced_by|incoming|correction_drafts|recipients)"
    r"\.(all|filter|select_related|prefetch_related|exclude|get|values|count)\b")

# (file, text in the statement): why it is safe.
ALLOWED = {
    ("monitoring/scheduler.py", "Assignment.objects.filter(box=Assignment.Box.TODO).values(\"receiver\")"):
        "each person's own counts: their items are on their tree",
    ("monitoring/scheduler.py", "held().filter(overdue_q(today) | due)"):
        "each person's reminders name their own items",
    ("assignments/views.py", "services.close_left_open("): "the service reads only what the actor may see",
    ("assignments/api.py", "Assignment.objects.filter(pk__in=storable_ids(payload.assignment_ids"):
        "ids handed to close_left_open, which reads only what the actor may see",
    ("monitoring/views.py", "services.urge("): "the service reads only what the actor may see",
    ("monitoring/views.py", "services.close_info_items("): "the service reads only what the actor may see",
    ("incoming/views.py", "document.assignments"): "the tree of a document the viewer opened",
    ("assignments/selectors.py", "document.assignments"): "the tree of a document the viewer opened",
    ("outgoing/selectors.py", "OutgoingDocument.objects.filter(issued_on__gte"):
        "agency report figures: counts, no document named",
    ("outgoing/selectors.py", "OutgoingDocument.objects.filter(replaces=OuterRef"):
        "a yes/no flag on a document the viewer sees",
    ("outgoing/selectors.py", 'OutgoingDocument.objects.select_related("register").filter(pk=pk)'):
        "one document for the administrator's date correction; confidential ones only for their keepers",
    ("outgoing/selectors.py", "document.replaced_by"): "why a document the viewer sees cannot be corrected",
    ("outgoing/api.py", "obj.replies_to.all()"): "prefetched from access.visible_incoming by issued_list",
    ("outgoing/views.py", "document.recipients"): "the addressees of a document the viewer opened",
    ("reports/selectors.py", ".objects.filter("): "agency statistics: counts, no document named (architecture.md)",
    ("documents/search.py", "Assignment.objects.filter(match(value), document=OuterRef"):
        "a condition on the items of a document already in the viewer's visible set",
    ("documents/search.py", "Assignment.objects.filter(document=OuterRef(\"pk\"), role="):
        "the main handler shown for a document already in the viewer's visible set",
    ("documents/search.py", "Recipient.objects.filter(named, document=OuterRef"):
        "a condition on the addressees of a document already in the viewer's visible set",
    ("documents/search.py", "queryset=Recipient.objects.select_related("):
        "the addressees of documents already in the viewer's visible set",
    ("documents/search.py", "document.recipients.all()"): "prefetched for documents in the viewer's visible set",
    ("documents/search.py", "OutgoingDocument.objects.filter(replaces=OuterRef"):
        "a yes/no flag on a document the viewer sees",
    ("documents/selectors.py", "OutgoingDocument.objects.filter(register=register"):
        "hidden_count: how many of the register's documents the book leaves out, a count, never named",
    ("documents/selectors.py", "IncomingDocument.objects.filter(register=register"):
        "hidden_count: how many of the register's documents the book leaves out, a count, never named",
}
TEMPLATE_ALLOWED = {
    ("outgoing/templates/outgoing/detail.html", "document.replies_to.all"):
        "prefetched from access.visible_incoming by issued_list",
}


def _statement(lines, i):
    """The line and its continuation lines (a statement split over a few lines)."""
    return " ".join(lines[i:i + 3])


def _unexplained(path, allowed, pattern):
    relative = str(path.relative_to(ROOT))
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        if not pattern.search(line):
            continue
        statement = _statement(lines, i)
        if "visible_" in statement or any(f == relative and text in statement for f, text in allowed):
            continue
        yield f"{relative}:{i + 1}: {line.strip()}"


def test_reading_code_starts_from_the_viewers_visible_set():
    files = [p for p in ROOT.rglob("*.py") if p.name in READING or p.name.endswith("_views.py")]
    assert len(files) > 20
    found = [hit for path in files for hit in _unexplained(path, ALLOWED, GUARDED)]
    assert found == [], "start from qlvb.access.visible_*, or add the read to ALLOWED with its reason:\n" + \
        "\n".join(found)


def test_templates_do_not_follow_relations_to_guarded_tables():
    relation = re.compile(r"\.(incoming|replies|replies_to|drafts|assignments|records|replaced_by|correction_drafts)"
                          r"\.(all|count|first|last)")
    found = [hit for path in ROOT.rglob("*.html") for hit in _unexplained(path, TEMPLATE_ALLOWED, relation)]
    assert found == [], "pass the viewer's list from the view (a selector), or explain it here:\n" + "\n".join(found)


def test_every_allowed_read_still_exists():
    """An exception whose code is gone must go too, or it would silently cover a new read."""
    for entries in (ALLOWED, TEMPLATE_ALLOWED):
        for relative, text in entries:
            assert text in (ROOT / relative).read_text(), (relative, text)
