"""Routing suggestion (issue 12 item 4): to whom the agency gave documents like this one before.

An explainable model over the agency's own history, nothing trained elsewhere: the similar documents are
the recent ones of the same issuing agency and/or about the same subject (IDF-weighted overlap of the
folded words of the summary, đ → d), and the suggestion is whoever held the main-handler assignment at
the level below the forwarder in most of the last ten of them, with the count as the reason ("8 trong 10
văn bản gần nhất của Cục Đường bộ Việt Nam về “tải trọng xe” đã giao Phòng QLVT xử lý chính").

- The level follows the forwarder: the Director is suggested a Deputy Director and a unit, a Deputy
  Director a unit, a head of unit an officer of the unit (from the documents the unit handled), the clerk
  who presents a document a leader (`ROOT`).
- Only what the forwarder may choose now is suggested: the caller passes the targets its form offers
  (`allowed`, from `selectors.forward_candidates`: active people and units, the target rules).
- The history starts from the documents the viewer may open (`access.visible_incoming`), so a count,
  an issuer or a subject in a reason never comes from a document they may not open. A head's starts from
  the last items that came into their unit (its index by date), the rule then applied to those alone.
- Bounded: the last `RECENT` forwarded documents of `WINDOW_DAYS` (index on arrival), those of the same
  issuer by name, and the main-handler chains of at most `POOL`
  documents per kind of similarity: a fixed number of queries whatever the history's size (the terms of
  the summaries read are kept per process).
- Recent documents count first on purpose: who handles a kind of document changes with the
  organisation; the last ten say who handles it now.

Nothing is applied from here: the page shows the suggestion with its reason and a button that fills the
main handler of the form; the forwarder still presses "Chuyển".
"""

import dataclasses
import functools
import math
import re
from collections import Counter
from datetime import timedelta

from django.db.models import Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.core.text import FOLD_FROM, FOLD_TO, fold
from qlvb.organization.models import Role, Unit

from .models import Assignment

LEADER, UNIT, OFFICER, ROOT = "leader", "unit", "officer", "root"
WINDOW_DAYS = 730
RECENT = 1000  # forwarded documents read, newest first
SAME_ISSUER = 300  # documents of the same issuer read beyond RECENT
UNIT_DEEP = 5000  # a head: the last documents of the unit among which the same issuer's are looked for
POOL = 25  # most recent similar documents per kind of similarity whose chains are read
NEIGHBOURS = 10  # "8 of the last 10"
MIN_SUPPORT = 2  # documents that went to the suggested target
MIN_SHARE = 0.4  # of the documents counted
# The share of the summary's term weight another summary must hold to be "about the same subject": from
# another issuer, or (less) from the same one, where the issuer already says much of what it is about.
SUBJECT_OVERLAP = 0.4
SAME_ISSUER_OVERLAP = 0.1
# Words of almost every summary, which say nothing of its subject (folded).
# ("tai", "van", "bao", "cao" are not: folded, they are also "tải", "vận", "bảo", "cao tốc".)
STOPWORDS = frozenset({"v", "ve", "viec", "cua", "va", "cac", "cho", "voi", "tren", "nam", "ngay", "thang", "nhung",
                       "mot", "la", "nay", "duoc", "khi", "theo"})
_WORD = re.compile(r"[^\W_]+")
DEAD = (Assignment.State.RETURNED, Assignment.State.RECALLED)


@dataclasses.dataclass(frozen=True)
class Suggestion:
    level: str  # LEADER, UNIT, OFFICER or ROOT
    target: object  # a Person, or a Unit (the whole unit, received by its head)
    count: int
    total: int
    reason: str
    documents: tuple  # the similar documents counted (`_Row`: pk, summary…), all open to the viewer

    @property
    def is_unit(self) -> bool:
        return isinstance(self.target, Unit)

    @property
    def field(self) -> str:
        """The forward form's field for this target (incoming/_target_row.html)."""
        return f"role_{'u' if self.is_unit else 'p'}_{self.target.pk}"

    @property
    def name(self) -> str:
        return self.target.name if self.is_unit else self.target.named


@dataclasses.dataclass(frozen=True)
class Subject:
    """What the suggestion is for: the document's issuer and summary (or what the clerk has typed)."""

    issuer_name: str
    summary: str
    exclude: int | None = None  # the document itself


def levels_for(holder) -> list[str]:
    """The levels below the forwarder whose handlers are suggested."""
    position = holder.position if holder.position_id else None
    if holder.has_role(Role.LEADER):
        return [UNIT] if position is not None and position.is_deputy else [LEADER, UNIT]
    if holder.has_role(Role.HEAD) and holder.unit_id:
        return [OFFICER]
    return []


def for_forward(viewer, assignment, candidates: dict) -> list[Suggestion]:
    """Suggestions for forwarding `assignment` (held by its receiver, perhaps acted on by `viewer` under
    a delegation), among the targets of the form (`forward_candidates`)."""
    holder, document = assignment.receiver, assignment.document
    allowed = {LEADER: candidates["leaders"], UNIT: candidates["units"], OFFICER: candidates["people"]}
    unit = holder.unit_id if holder.has_role(Role.HEAD) and not holder.has_role(Role.LEADER) else None
    allowed = {level: {t.pk: t for t in targets if t.pk != holder.pk} for level, targets in allowed.items()}
    return suggest(viewer, Subject(document.issuer_name, document.summary, document.pk), levels_for(holder),
                   allowed, unit=unit)


def for_presenting(viewer, document=None, *, issuer_name="", summary="") -> list[Suggestion]:
    """The leader to present a document to (the clerk at registration, or presenting it again)."""
    from qlvb.organization.models import Person

    leaders = Person.objects.filter(position__role=Role.LEADER, is_active=True).select_related("position")
    subject = (Subject(document.issuer_name, document.summary, document.pk) if document is not None
               else Subject(issuer_name, summary))
    return suggest(viewer, subject, [ROOT], {ROOT: {p.pk: p for p in leaders}})


def for_document(viewer, document) -> list[tuple[object, Suggestion]]:
    """Every suggestion for what the viewer may do with the document now: forward each item they hold
    (and may forward), or present it to a leader (a clerk, while it waits to be presented); each with the
    item it is for (None: presenting). The API's answer."""
    from . import selectors, workflow

    found = []
    for item in selectors.holding(viewer, document):
        if workflow.allowed(item, "forward") and access.can(viewer, access.Action.FORWARD, item):
            found += [(item, s) for s in for_forward(viewer, item, selectors.forward_candidates(viewer))]
    if may_present(viewer, document):
        found += [(None, s) for s in for_presenting(viewer, document)]
    return found


def may_present(viewer, document) -> bool:
    """A clerk presents a registered (or returned) document to a leader while no first hop is open."""
    from .models import OPEN_STATES

    Status = type(document).Status
    return (access.can(viewer, access.Action.REGISTER_INCOMING)
            and document.status in (Status.RETURNED, Status.REGISTERED)
            and not document.assignments.filter(parent=None, state__in=OPEN_STATES).exists())


def suggest(viewer, subject: Subject, levels: list[str], allowed: dict[str, dict], *, unit=None) -> list[Suggestion]:
    """The suggestion for each of `levels` that has one, from the viewer's visible history; `unit`: only the
    documents that unit handled (a head choosing among their officers)."""
    if not levels or not (subject.issuer_name.strip() or terms(subject.summary)):
        return []
    rows = _history(viewer, subject, unit)
    groups = _similar(subject, rows)
    if not groups:
        return []
    chains = _chains({row.pk for _kind, members in groups for row in members[:POOL]})
    found = []
    for level in levels:
        suggestion = _best(level, subject, groups, chains, allowed.get(level, {}), unit)
        if suggestion is not None:
            found.append(suggestion)
    return found


# ---- the history read -----------------------------------------------------------------------------------

@dataclasses.dataclass
class _Row:
    pk: int
    issuer_name: str
    summary: str
    arrived_at: object
    terms: frozenset = frozenset()


def _history(viewer, subject: Subject, unit) -> list[_Row]:
    """The forwarded documents the viewer may open, newest first: the last RECENT, and the last SAME_ISSUER
    of the same issuer (so that a rare issuer's older documents count). The issuer is compared by name on
    the rows walked newest first, not through the text index: PostgreSQL's planner, misjudging how many
    documents hold the issuer's words, would start from all of them (2 s at 1M documents)."""
    from qlvb.incoming.models import IncomingDocument

    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    Status = IncomingDocument.Status
    base = access.visible_incoming(viewer).filter(status__in=[Status.IN_PROGRESS, Status.DONE], arrived_at__gte=since)
    if subject.exclude:
        base = base.exclude(pk=subject.exclude)
    fields = ("pk", "issuer_name", "summary", "arrived_at")
    if unit is not None:
        # A head: the documents that came into their unit, read from the unit's own items (newest first on
        # `assignment_unit_recent_idx`), and only then the visibility rule, on that bounded set: walking the
        # archive's arrivals and probing each for the unit's items costs what the archive holds. The same
        # issuer is looked for among the last UNIT_DEEP (asking the database for "this unit's items of
        # this issuer" lets PostgreSQL start from all the issuer's documents: 1.3 s at 1M).
        found = _unit_documents(unit, since, UNIT_DEEP)
        rows = {r[0]: _Row(*r) for r in base.filter(pk__in=found[:RECENT]).values_list(*fields)}
        if subject.issuer_name.strip() and len(found) > RECENT:
            same = (_of_issuer(base.filter(pk__in=found[RECENT:]), subject.issuer_name)
                    .order_by("-arrived_at", "-pk").values_list(*fields)[:SAME_ISSUER])
            rows.update({r[0]: _Row(*r) for r in same if r[0] not in rows})
        return sorted(rows.values(), key=lambda r: (r.arrived_at, r.pk), reverse=True)
    rows = {r[0]: _Row(*r) for r in base.order_by("-arrived_at", "-pk").values_list(*fields)[:RECENT]}
    if subject.issuer_name.strip():
        same = (_of_issuer(base, subject.issuer_name).order_by("-arrived_at", "-pk")
                .values_list(*fields)[:SAME_ISSUER])
        rows.update({r[0]: _Row(*r) for r in same if r[0] not in rows})
    return sorted(rows.values(), key=lambda r: (r.arrived_at, r.pk), reverse=True)


def _of_issuer(documents, issuer_name: str):
    """The documents of this issuer, its name compared regardless of case as `incoming_issuer_arrival_idx`
    holds it (the newest found through that index, not by reading the whole window). `iexact` is the
    same comparison on PostgreSQL, but SQLite's LIKE would not use the index."""
    return documents.alias(issuer_key=Upper("issuer_name")).filter(issuer_key=Upper(Value(issuer_name.strip())))


def _unit_documents(unit, since, limit) -> list[int]:
    """The last `limit` documents the unit received as main handler (live items), newest first: one range
    of `assignment_unit_recent_idx` per box a live main item sits in (an IN on the box would sort the
    unit's whole window)."""
    items = []
    for box in (Assignment.Box.TODO, Assignment.Box.DONE):
        qs = Assignment.objects.filter(receiver_unit_id=unit, box=box, created_at__gte=since, role=Assignment.Role.MAIN)
        qs = qs.exclude(sender__unit_id=unit)  # the hop into the unit: one item per document, not the officer's too
        items += qs.order_by("-created_at").values_list("created_at", "document_id")[:limit]
    return list(dict.fromkeys(document_id for _created, document_id in sorted(items, reverse=True)))[:limit]


# ---- similarity ------------------------------------------------------------------------------------------

def words(text: str) -> list[tuple[str, str]]:
    """(folded, as written) of each word of `text` that may say something of its subject."""
    return [(_keep(fold(word)), word) for word in _WORD.findall(text or "")]


def _keep(key: str) -> str:
    return key if len(key) > 1 and not key.isdigit() and key not in STOPWORDS else ""


_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def _folded_words(text: str) -> list[str]:
    """The words of `fold(text)`, by one table lookup per character (a thousand summaries are read per
    suggestion); text whose words keep other letters (decomposed accents…) goes through `fold` itself."""
    found = _WORD.findall((text or "").casefold().translate(_FOLD))
    return found if "".join(found).isascii() else _WORD.findall(fold(text))


@functools.lru_cache(maxsize=20_000)
def terms(text: str) -> frozenset[str]:
    """The words of a summary and its pairs of neighbouring words ("tai trong" weighs more than "tai" and
    "trong" apart: folding makes "tải" and "tại" one word). Kept per process for the last summaries read:
    every box reads much the same recent history again."""
    keys = [_keep(key) for key in _folded_words(text)]
    pairs = {f"{a} {b}" for a, b in zip(keys, keys[1:], strict=False) if a and b}
    return frozenset({k for k in keys if k} | pairs)


def _similar(subject: Subject, rows: list[_Row]) -> list[tuple[str, list[_Row]]]:
    """The kinds of similar documents, most specific first, each newest first: ("both": the same issuer
    and about the subject), ("subject": about the subject, any issuer), ("issuer": the same issuer)."""
    own = terms(subject.summary)
    for row in rows:
        row.terms = terms(row.summary)
    frequency = Counter(t for row in rows for t in row.terms)
    n = len(rows) + 1

    def idf(term):  # a word of every summary weighs 1, a word of none log(n) more
        return math.log((n + 1) / (frequency[term] + 2)) + 1

    weight = sum(idf(t) for t in own)
    issuer = fold(subject.issuer_name)
    same_issuer = [row for row in rows if issuer and fold(row.issuer_name) == issuer]
    overlap = {row.pk: sum(idf(t) for t in own & row.terms) / weight if weight else 0 for row in rows}
    about = [row for row in rows if overlap[row.pk] >= SUBJECT_OVERLAP]
    both = [row for row in same_issuer if overlap[row.pk] >= SAME_ISSUER_OVERLAP]
    groups = [("both", both), ("subject", about), ("issuer", same_issuer)]
    return [(kind, members) for kind, members in groups if members]


def _shared_words(summary: str, others: list[set[str]]) -> list[str]:
    """The subject's words (as written, in its order) found in at least half of `others`; runs of
    neighbouring words kept together ("tải trọng xe")."""
    if not others:
        return []
    runs, current = [], []
    for key, word in words(summary):
        if key and sum(key in found for found in others) * 2 >= len(others):
            current.append(word)
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    phrases = [run for run in runs if " " in run]  # "tải trọng xe" says more than "kiểm" beside it
    return (phrases or runs)[:3]


# ---- who handled them ------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class _Ref:
    """A person or unit of a chain, by key: the suggestion names the allowed target of that key."""

    pk: int


@dataclasses.dataclass(frozen=True)
class _Node:
    """One live main-handler item of a chain: its receiver, their role and unit."""

    pk: int
    parent_id: int | None
    receiver: _Ref
    receiver_unit_id: int | None
    unit_kind: str | None
    role: str
    is_deputy: bool

    @property
    def receiver_unit(self):
        return _Ref(self.receiver_unit_id) if self.receiver_unit_id else None


def _chains(document_ids) -> dict[int, list[_Node]]:
    """Each document's live main handlers from the first hop down (one query of plain rows: a few hundred
    items per suggestion, no model instances)."""
    items = (Assignment.objects.filter(document_id__in=document_ids, role=Assignment.Role.MAIN)
             .exclude(state__in=DEAD).order_by("document_id", "-id")
             .values_list("document_id", "id", "parent_id", "receiver_id", "receiver_unit_id", "receiver_unit__kind",
                          "receiver__position__role", "receiver__position__is_deputy"))
    below: dict[tuple, _Node] = {}
    roots: dict[int, _Node] = {}
    for document_id, pk, parent_id, receiver_id, unit_id, kind, role, deputy in items:
        node = _Node(pk, parent_id, _Ref(receiver_id), unit_id, kind, role or "", bool(deputy))
        if parent_id is None:  # newest first: the latest live root and main child win
            roots.setdefault(document_id, node)
        else:
            below.setdefault((document_id, parent_id), node)
    chains = {}
    for document_id, node in roots.items():
        chain, seen = [], set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = below.get((document_id, node.pk))
        chains[document_id] = chain
    return chains


def handlers(chain: list[_Node]) -> dict[str, object]:
    """Who held the document at each level: ROOT the leader it was presented to; LEADER the Deputy
    Director who directed it (None: it went from the Director straight to a unit); UNIT the first unit
    below the leaders; OFFICER the last officer of the chain. A level the document has not reached
    is absent."""
    found = {ROOT: chain[0].receiver} if chain else {}
    leaders = [n for n in chain if n.role == Role.LEADER]
    below = [n for n in chain if n.role != Role.LEADER]
    if len(chain) > 1:
        deputy = next((n.receiver for n in leaders if n.is_deputy), None)
        found[LEADER] = deputy
    if below and below[0].receiver_unit_id and below[0].unit_kind != Unit.Kind.LEADERSHIP:
        found[UNIT] = below[0].receiver_unit
        officer = next((n for n in reversed(below) if n.role == Role.OFFICER), None)
        if officer is not None:
            found[OFFICER] = officer
    return found


def _best(level, subject, groups, chains, allowed: dict, unit) -> Suggestion | None:
    """The first kind of similarity with enough documents at this level decides; within it, the last
    NEIGHBOURS documents that reached the level, and the allowed target most of them went to."""
    for kind, members in groups:
        counted, votes = [], Counter()
        for row in members[:POOL]:
            held = handlers(chains.get(row.pk, []))
            if level not in held:
                continue
            value = held[level]
            if level == OFFICER:
                value = value.receiver if value.receiver_unit_id == unit else None
            counted.append(row)
            if value is not None:
                votes[value.pk] += 1
            if len(counted) == NEIGHBOURS:
                break
        if len(counted) < MIN_SUPPORT:
            continue
        for pk, count in votes.most_common():
            if pk in allowed and count >= MIN_SUPPORT and count >= MIN_SHARE * len(counted):
                target = allowed[pk]
                shared = _shared_words(subject.summary, [r.terms for r in counted]) if kind != "issuer" else []
                return Suggestion(level, target, count, len(counted),
                                  _reason(level, kind, subject, shared, count, len(counted), target),
                                  tuple(counted))
        return None  # the documents like it went elsewhere, or nowhere in particular
    return None


def _reason(level, kind, subject, shared, count, total, target) -> str:
    """"8 trong 10 văn bản gần nhất của Cục Đường bộ Việt Nam về “tải trọng xe” đã giao Phòng QLVT xử lý
    chính": the documents counted described as they were chosen, never by anything the viewer may not open."""
    values = {"issuer": subject.issuer_name.strip(), "about": "“" + ", ".join(shared) + "”" if shared else ""}
    if kind == "both" and shared:
        which = _("văn bản gần nhất của %(issuer)s về %(about)s") % values
    elif kind in ("both", "issuer"):
        which = _("văn bản gần nhất của %(issuer)s") % values
    elif shared:
        which = _("văn bản gần nhất về %(about)s") % values
    else:
        which = _("văn bản gần nhất có trích yếu gần giống")
    values = {"n": count, "total": total, "which": which}
    if isinstance(target, Unit):
        return _("%(n)d trong %(total)d %(which)s đã giao %(whom)s xử lý chính.") % {**values, "whom": target.name}
    if level == ROOT:
        return _("%(n)d trong %(total)d %(which)s đã trình %(whom)s.") % {**values, "whom": target.named}
    return _("%(n)d trong %(total)d %(which)s đã giao %(whom)s xử lý chính.") % {**values, "whom": target.named}
