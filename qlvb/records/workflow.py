"""The draft approval state machine: which action from which state (read by services and pages)."""

from .models import Draft

S = Draft.State

TRANSITIONS: dict[str, set[str]] = {
    "edit": {S.DRAFTING, S.RETURNED},
    "ask_opinion": {S.DRAFTING, S.RETURNED, S.AT_HEAD, S.AT_LEADER},
    "submit": {S.DRAFTING, S.RETURNED},
    "approve": {S.AT_HEAD},
    "sign": {S.AT_HEAD, S.AT_LEADER},
    "return": {S.AT_HEAD, S.AT_LEADER},
    "issue": {S.APPROVED},
}


def allowed(draft: Draft, action: str) -> bool:
    return draft.state in TRANSITIONS[action]
