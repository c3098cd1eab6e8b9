"""The assignment state machine: which action is allowed from which state, and where each state lands.

Read by the services (to refuse a wrong action with a clear message) and by the pages (to show only
the buttons that apply). See docs/architecture.md.
"""

from .models import Assignment

S = Assignment.State

TRANSITIONS: dict[str, set[str]] = {
    "see": {S.NEW},
    "forward": {S.NEW, S.SEEN, S.IN_PROGRESS, S.PENDING},
    "pending": {S.NEW, S.SEEN, S.IN_PROGRESS, S.PENDING},
    "update": {S.NEW, S.SEEN, S.IN_PROGRESS, S.PENDING},
    "complete": {S.NEW, S.SEEN, S.IN_PROGRESS, S.PENDING},
    "return": {S.NEW, S.SEEN},
    "recall": {S.NEW, S.SEEN},
}

# Actions that make sense for each role (a for-information item is only read and closed).
ROLE_ACTIONS: dict[str, set[str]] = {
    Assignment.Role.MAIN: {"see", "forward", "pending", "update", "complete", "return", "recall"},
    Assignment.Role.CO: {"see", "forward", "pending", "update", "complete", "return", "recall"},
    Assignment.Role.INFO: {"see", "complete", "return", "recall"},
}


def allowed(assignment: Assignment, action: str) -> bool:
    return assignment.state in TRANSITIONS[action] and action in ROLE_ACTIONS[assignment.role]


def box_for(state: str, role: str) -> str:
    if state == S.DONE:
        return Assignment.Box.DONE
    if state in (S.RETURNED, S.RECALLED):
        return Assignment.Box.CLOSED
    return Assignment.Box.INFO if role == Assignment.Role.INFO else Assignment.Box.TODO
