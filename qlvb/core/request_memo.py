"""Answers remembered for the rest of one request.

A page asks some questions several times: the delegations a person holds are read for the visible set,
for the list's "acting for" menu and for the reply rule, each a query. Inside a request (this
middleware) the first answer is kept; outside one (services, tasks, the shell) nothing is kept, so
code that changes data and asks again is never answered from the past. A change to what is remembered
clears the request's memo (`forget`, connected to the models' signals).
"""

from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def remembered(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(*args, **kwargs):
    """Signal receiver: data behind a remembered answer changed in this request."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
