"""Answers remembered for the rest of one request.

A page asks some questions several times: the delegations a person holds are read for the visible set,
for the list's "acting for" menu and for the reply rule, each a query. Inside a request (this
middleware) the first answer is kept; outside one (services, tasks, the shell) nothing is kept, so
code that changes data and asks again is never answered from the past. A change to what is remembered
clears the request's memo (`forget`, connected to the models' signals).
"""

from contextvars import ContextVar

from django.core.exceptions import EmptyResultSet

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
        _compiled[key] = (*_sent_as(connection, *statements[0]), tuple(result))
    return result


def _sent_as(connection, sql, params):
    """How a kept statement is re-sent: on SQLite with its values written in, quoted by SQLite itself
    (`QUOTE()`, as Django's `last_executed_query`), and then executed without Django's placeholder
    conversion. SQLite plans a statement when it prepares it, and a bound parameter hides its value from
    the planner (a partial index's condition cannot be proved, constants are not folded): measured on
    the inbox, the tab counts took 7×, the page's rows 3× the time of the same statement with its values
    written in. The key already names every value, so the text is the same for every request it serves."""
    if connection.vendor == "sqlite" and params:
        return connection.ops.last_executed_query(None, sql, params), None
    return sql, params


def compiled_objects(key, build, using="default") -> list:
    """The model instances the queryset `build()` returns, with its `select_related` objects (as iterating
    it would): its statement compiled on the first call for `key` and re-sent as is afterwards, without
    calling `build` (a list page's rows cost the ORM ~10× the SQL to build and compile). Only the
    statement and how to read its columns are kept, never rows. The key must name the slice too."""
    from django.db import connections
    from django.db.models.query import get_related_populators

    connection = connections[using]
    key = (connection.alias, connection.vendor, *key)
    entry = _compiled.get(key)
    if entry is None:
        queryset = build()
        query = queryset.query
        if queryset._prefetch_related_lookups or queryset._known_related_objects or query.annotation_select:
            return list(queryset)  # not read here: iterated as usual
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return []
        # What ModelIterable reads from the compiler, kept instead of the compiler.
        info, select = compiler.klass_info, compiler.select
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        entry = (*_sent_as(connection, sql, params), info["model"],
                 [s[0].target.attname for s in select[start:end]], start, end,
                 get_related_populators(info, select, using),
                 compiler.get_converters([s[0] for s in select[: compiler.col_count]]))
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[key] = entry
    sql, params, model, names, start, end, populators, converters = entry
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    objects = []
    for row in rows:
        if converters:
            row = list(row)
            for pos, (convs, expression) in converters.items():
                for convert in convs:
                    row[pos] = convert(row[pos], expression, connection)
        obj = model.from_db(using, names, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        objects.append(obj)
    return objects
