"""Writing and checking the audit trail."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import request_origin
from .models import AccessLog, AuditEntry, AuditHead


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + _payload(entry)).encode()).hexdigest()


def _payload(entry: AuditEntry) -> str:
    """What an entry's hash covers after the previous entry's hash."""
    return json.dumps(
        {
            "at": entry.at.isoformat(timespec="milliseconds"),
            "actor": entry.actor_id,
            "on_behalf_of": entry.on_behalf_of_id,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "ip": entry.ip,
            "user_agent": entry.user_agent,
            "changes": entry.changes,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )


# What a confidential document's entries leave out: the trail is read by administrators, who may not open it.
SECRET_KEYS = {"notation", "summary", "title", "note", "comment", "reason", "message", "corrects", "text",
               "code_number", "code_notation", "document_identifier", "signer_name", "signer_position",
               "issuer_name"}


def _is_confidential(obj) -> bool:
    return getattr(obj, "confidentiality", "normal") != "normal"


def _describe(obj) -> str:
    if _is_confidential(obj):
        return _("%(kind)s số %(pk)s (mật)") % {"kind": obj._meta.verbose_name, "pk": obj.pk}
    return str(obj)[:255]


def _hide_secrets(obj, changes: dict) -> dict:
    if not _is_confidential(obj):
        return changes
    return {k: "***" if k in SECRET_KEYS and v else v for k, v in changes.items()}


def record(*, actor, action: str, obj=None, changes: dict | None = None, on_behalf_of=None) -> AuditEntry:
    """Append one entry. Call inside the business action's transaction, so both land or neither.
    Entries about a confidential document name it by id only and leave its text out (`SECRET_KEYS`)."""
    ip, user_agent = request_origin.get()
    now = timezone.now()
    entry = AuditEntry(
        at=now,  # the hash covers it to the millisecond, as it always has (entries of older versions verify)
        actor=actor if getattr(actor, "pk", None) else None,
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_describe(obj) if obj is not None else "",
        ip=ip,
        user_agent=user_agent,
        changes=json.loads(json.dumps(_hide_secrets(obj, changes or {}), ensure_ascii=False, default=str)),
    )
    # No savepoint: the entry belongs to the caller's transaction (four fewer queries per entry).
    with transaction.atomic(savepoint=False):
        if transaction.get_connection().vendor == "postgresql":
            _append_chained(entry)
            return entry
        last_hash, count = _tail()
        entry.prev_hash = last_hash
        entry.hash = _digest(last_hash, entry)
        _append(entry, count + 1)
        _remember_tail(entry.hash, count + 1)
    return entry


def _append(entry: AuditEntry, count: int) -> None:
    """INSERT the entry and move the head to it (its row is locked by `_tail`). On PostgreSQL one
    statement, the head's UPDATE in a WITH clause (run once, whether read or not); elsewhere two. The
    INSERT is written here rather than by `save()`: it is on every business action's path, and the
    ORM's save builds and compiles the statement anew each time (signals, field loops)."""
    connection = transaction.get_connection()
    quote, fields = connection.ops.quote_name, _insert_fields()
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    # Names from the models' metadata only; every value is a parameter.
    insert = (f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
              f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote('id')}")
    move = (f"UPDATE {quote(AuditHead._meta.db_table)} SET {quote('last_hash')} = %s, {quote('count')} = %s "  # noqa: S608
            f"WHERE {quote('id')} = 1")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH head AS ({move}) {insert}", [entry.hash, count, *values])
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(insert, values)
            entry.pk = cursor.fetchone()[0]
            cursor.execute(move, [entry.hash, count])
    entry._state.adding, entry._state.db = False, connection.alias


def _append_chained(entry: AuditEntry) -> None:
    """PostgreSQL: lock the chain's head, hash the entry onto it, move the head and INSERT the entry, in
    one statement (the hash computed by the server, `sha256()`, over the same text `_digest` hashes).
    The head's row is read `FOR UPDATE` in the statement itself, so each entry is one round trip and the
    head is locked from the transaction's first entry, not before; the entry's id is drawn after the
    lock, so ids follow the chain. The values are cast to their columns' types (an INSERT … SELECT does
    not infer them); text stays text, so a value too long for its column still fails."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = [f for f in _insert_fields() if f.attname not in ("prev_hash", "hash")]
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    casts = ["%s" if f.get_internal_type() in ("CharField", "TextField") else f"%s::{f.db_type(connection)}"
             for f in fields]
    head, last, count, pk = (quote(AuditHead._meta.db_table), quote("last_hash"), quote("count"), quote("id"))
    columns = ", ".join(quote(f.column) for f in [*fields, AuditEntry._meta.get_field("prev_hash"),
                                                   AuditEntry._meta.get_field("hash")])
    # Names from the models' metadata only; every value is a parameter.
    sql = (f"WITH moved AS (UPDATE {head} AS tip "  # noqa: S608
           f"SET {last} = encode(sha256(convert_to(old.{last} || %s, 'UTF8')), 'hex'), {count} = old.{count} + 1 "
           f"FROM (SELECT {last}, {count} FROM {head} WHERE {pk} = 1 FOR UPDATE) AS old WHERE tip.{pk} = 1 "
           f"RETURNING old.{last} AS prev, tip.{last} AS hash) "
           f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) "
           f"SELECT {', '.join(casts)}, moved.prev, moved.hash FROM moved "
           f"RETURNING {pk}, {quote('prev_hash')}, {quote('hash')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [_payload(entry), *values])
        row = cursor.fetchone()
        if row is None:  # no head yet (a new database): make it, then append
            AuditHead.objects.get_or_create(pk=1)
            cursor.execute(sql, [_payload(entry), *values])
            row = cursor.fetchone()
    entry.pk, entry.prev_hash, entry.hash = row
    entry._state.adding, entry._state.db = False, connection.alias


def _insert_fields():
    return [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]


def _tail() -> tuple[str, int]:
    """The chain's last hash and length, its head row locked until the transaction ends. A business
    action often writes several entries: after the first, the tail is remembered on the connection,
    trusted only while the marker left among the transaction's on-commit callbacks is still there
    (a commit runs and clears them; a rollback, even of a savepoint, drops those registered inside it)."""
    connection = transaction.get_connection()
    remembered = getattr(connection, "qlvb_audit_tail", None)
    if remembered and any(callback is remembered[0] for _sids, callback, _robust in
                          reversed(connection.run_on_commit)):
        return remembered[1], remembered[2]
    head = AuditHead.objects.select_for_update().filter(pk=1).first() or AuditHead.objects.create(pk=1)
    return head.last_hash, head.count


def _remember_tail(last_hash: str, count: int) -> None:
    def marker():
        pass

    transaction.on_commit(marker)
    transaction.get_connection().qlvb_audit_tail = (marker, last_hash, count)


def diff(before: dict, after: dict) -> dict:
    """Changed fields as {name: [before, after]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def verify_chain() -> list[str]:
    """Problems found in the chain (empty when intact): edited, deleted, inserted or truncated rows."""
    problems = []
    prev, count = "0" * 64, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != prev:
            problems.append(f"#{entry.pk}: liên kết với bản ghi trước bị đứt (bản ghi bị xóa hoặc chèn)")
        if _digest(entry.prev_hash, entry) != entry.hash:
            problems.append(f"#{entry.pk}: nội dung đã bị sửa")
        prev = entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.last_hash != prev or head.count != count):
        problems.append("Cuối chuỗi nhật ký không khớp: có bản ghi cuối bị xóa")
    return problems


# ---- access history (F-5.a, F-6.l) -----------------------------------------------------------------

# Repeats of these within QLVB_ACCESS_COALESCE_MINUTES are one entry; each print and export is its own.
COALESCED = {AccessLog.Kind.VIEW, AccessLog.Kind.DOWNLOAD, AccessLog.Kind.API}


def log_access(*, person, action: str, obj=None, blob=None, file_name: str = "") -> AccessLog | None:
    """Note that `person` viewed, downloaded, printed or exported `obj` (and which stored file), F-5.a / F-6.l.

    Call after the access check passed, outside any business transaction: one INSERT in its own autocommit,
    no chain, no lock. A view, download or API read that repeats the person's last one on the same object
    and file within `QLVB_ACCESS_COALESCE_MINUTES` is not written again (None is returned). Entries about a
    confidential document name it by id only, as the audit trail does."""
    if not getattr(person, "pk", None):
        return None
    now = timezone.now()
    entry = AccessLog(at=now, person=person, action=action, blob=blob, file_name=file_name[:255],
                      object_type=obj._meta.label_lower if obj is not None else "",
                      object_id=obj.pk if obj is not None else None,
                      object_repr=_describe(obj) if obj is not None else "")
    minutes = settings.QLVB_ACCESS_COALESCE_MINUTES
    if action in COALESCED and minutes > 0 and AccessLog.objects.filter(
            object_type=entry.object_type, object_id=entry.object_id, at__gte=now - timedelta(minutes=minutes),
            person=person, action=action, blob=blob).exists():
        return None
    entry.ip, user_agent = request_origin.get()
    entry.user_agent = user_agent[:120]
    entry.save(force_insert=True)
    return entry
