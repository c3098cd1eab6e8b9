"""Sent inside an assignment action's transaction; notifications and monitoring subscribe to it.

Arguments: `event` (Event.Kind value), `assignment`, `actor`.
"""

from django.dispatch import Signal

assignment_event = Signal()
