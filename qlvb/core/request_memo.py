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


# ---- statements compiled once per process ---------------------------------------------------------
#
# Building and compiling a query whose rule has many branches (the visibility rule, the tab counts'
# filtered aggregates) costs more Python than the database takes to answer it. `compiled_row` keeps,
# per process, the SQL and parameters one such query compiled to, under a key that must name every
# input the statement depends on (the person, their roles, unit and delegations, the dates); the
# next call with the same key sends the same statement without building it again.

_compiled: dict = {}
_COMPILED_MAX = 4096


def compiled_row(key, build, using="default"):
    """The one row `build()` returns (a dict of names → values, as `aggregate()`), its statement
    captured on the first call for `key` and re-sent as is afterwards."""
    from django.db import connections

    connection = connections[using]
    key = (connection.alias, connection.vendor, *key)
    entry = _compiled.get(key)
    if entry is not None:
        sql, params, names = entry
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(zip(names, cursor.fetchone(), strict=True))
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        result = build()
    if len(statements) == 1:
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[key] = (statements[0][0], statements[0][1], tuple(result))
    return result
