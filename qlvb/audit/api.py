"""The access history of one document or record over the API (F-5.a, F-6.l). Each app's router answers
`GET …/{id}/access-log` with `history`: 404 from the app's `get_*_for` when the caller may not open the
object, 403 here when they may open it but not read its history (`Action.VIEW_ACCESS_LOG`)."""

from datetime import datetime

from ninja import Schema

from qlvb import access
from qlvb.access import Action

from . import selectors


class AccessEntryOut(Schema):
    at: datetime
    person_id: int
    person: str
    action: str
    action_display: str
    file_name: str


def history(person, obj) -> list[dict]:
    """The object's entries, newest first (all of them: the page shows the latest `PANEL_SIZE`)."""
    access.require(person, Action.VIEW_ACCESS_LOG, obj)
    return [{"at": e.at, "person_id": e.person_id, "person": e.person.full_name, "action": e.action,
             "action_display": e.get_action_display(), "file_name": e.file_name}
            for e in selectors.history_of(obj, limit=None)]
