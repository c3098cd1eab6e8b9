"""The advanced search page (Circular 01/2019 F-6.d–h): criteria on every Annex VI input field, chosen
columns (kept in the session and with a saved search), order, saved searches and exports. The query
is `documents.search.results`, which starts from the viewer's visible set."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.accounts import selectors as saved_selectors
from qlvb.accounts import services as saved_services
from qlvb.core.pagination import page_of
from qlvb.core.text import clean

from . import exports, fulltext, search, services

SESSION_COLUMNS = "search_columns"


def chosen_columns(request, kind) -> list[str]:
    """The columns asked for (`cols`), remembered in the session per kind; else the remembered ones."""
    remembered = request.session.get(SESSION_COLUMNS, {})
    if "cols" in request.GET:
        keys = [c.key for c in search.columns_of(kind, request.GET.getlist("cols"))]
        request.session[SESSION_COLUMNS] = {**remembered, kind.name: keys}
        return keys
    return [c.key for c in search.columns_of(kind, remembered.get(kind.name))]


@login_required
def search_page(request):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    if request.GET.get("kind") == FULLTEXT:
        return fulltext_page(request)
    kind = search.kind_of(request.GET.get("kind", ""))
    keys, order = chosen_columns(request, kind), search.order_of(kind, request.GET.get("order", ""))
    try:
        criteria, errors = search.parse(kind, request.GET), {}
    except ValidationError as error:
        criteria, errors = {}, error.message_dict
    columns = search.columns_of(kind, keys)
    page = None if errors else page_of(search.results(request.user, kind, criteria, order=order, columns=keys),
                                       request.GET.get("page"), searching=True)
    return render(request, "documents/search.html", {
        "kind": kind, "kinds": search.KINDS.values(), "fulltext": FULLTEXT, "criteria": criteria, "errors": errors,
        "filters": [(f, request.GET.get(f.name, ""), errors.get(f.name)) for f in kind.filters],
        "columns": columns, "keys": keys, "order": order, "page": page,
        "rows": [(kind.url(d), values) for d, values in zip(page, search.rows(kind, page, columns), strict=True)]
        if page else [],
        "sortable": [c for c in kind.columns if c.order],
        "saved": saved_selectors.saved_searches(request.user, kind.name),
        "query": _query(kind, criteria, keys, order),
    })


FULLTEXT = "all"  # the tab of the full-text search over every kind


def fulltext_page(request):
    """One search over incoming and outgoing documents, drafts and work records, their metadata and the
    text of their files: ranked, with the matched words marked in a snippet, narrowed by facets (type,
    year, issuer, unit, status, register) each counted, from the viewer's visible sets only
    (`documents.fulltext`)."""
    query = clean(request.GET.get("q", "")).strip()[:200]
    chosen_kinds = [k for k in request.GET.getlist("in") if k in fulltext.Kind.values] or None
    try:
        chosen, errors = fulltext.parse_filters(request.GET), {}
    except ValidationError as error:
        chosen, errors = {}, error.message_dict
    counted, found = (None if errors else fulltext.found(request.user, query, kinds=chosen_kinds,
                                                         chosen=chosen)) or (None, None)
    page = page_of(found, request.GET.get("page"), searching=True, count=counted.total,
                   cap=fulltext.FACET_CAP) if counted else None
    base = {"kind": FULLTEXT, "q": query, "in": chosen_kinds or [],
            **{name: fulltext.as_param(name, value) for name, value in chosen.items()}}
    return render(request, "documents/fulltext.html", {
        "kinds": search.KINDS.values(), "fulltext": FULLTEXT, "q": query, "page": page, "errors": errors,
        "hits": fulltext.hits(page.object_list, query) if page else [],
        "entry_kinds": [(k.value, k.label, chosen_kinds is None or k.value in chosen_kinds) for k in fulltext.Kind],
        "facets": _facet_links(counted, base) if counted else None, "chosen": chosen,
        "query": urlencode(base, doseq=True),
    })


def _facet_links(counted, base: dict):
    """Each facet value with the link that chooses it (or, chosen, leaves it), from the first page."""
    for facet in counted.facets:
        for value in facet.values:
            params = {k: v for k, v in base.items() if k != facet.name}
            if not value.chosen:
                params[facet.name] = value.value
            value.url = "?" + urlencode(params, doseq=True)
    return counted


def _query(kind, criteria, keys, order) -> str:
    """The search as a query string: what the export links, the save form and the pager carry."""
    return urlencode({"kind": kind.name, **search.as_params(criteria), "cols": keys, "order": order}, doseq=True)


@login_required
def export(request, file_format):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    kind = search.kind_of(request.GET.get("kind", ""))
    keys, order = chosen_columns(request, kind), request.GET.get("order", "")
    back = reverse("search:page") + "?" + request.GET.urlencode()
    try:
        content, name = services.export_search(actor=request.user, kind=kind, criteria=search.parse(kind, request.GET),
                                               order=order, columns=keys, file_format=file_format)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    response = HttpResponse(content, content_type=exports.FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def save(request):
    query = QueryDict(request.POST.get("query", ""))
    kind = search.kind_of(query.get("kind", ""))
    try:
        saved = saved_services.save_search(actor=request.user, name=request.POST.get("name", ""), kind=kind.name,
                                           params=query, columns=query.getlist("cols"), order=query.get("order", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("search:page") + "?" + query.urlencode())
    messages.success(request, _("Đã lưu tìm kiếm “%(name)s”.") % {"name": saved.name})
    return redirect(rerun_url(saved))


def rerun_url(saved) -> str:
    params = {"kind": saved.kind, **saved.params, "cols": saved.columns, "order": saved.order, "saved": saved.pk}
    return reverse("search:page") + "?" + urlencode(params, doseq=True)


@login_required
def rerun(request, pk):
    return redirect(rerun_url(saved_selectors.get_saved_search_for(request.user, pk)))


@login_required
@require_POST
def rename(request, pk):
    saved = saved_selectors.get_saved_search_for(request.user, pk)
    try:
        saved_services.rename_search(actor=request.user, saved=saved, name=request.POST.get("name", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(rerun_url(saved))


@login_required
@require_POST
def delete(request, pk):
    saved = saved_selectors.get_saved_search_for(request.user, pk)
    saved_services.delete_search(actor=request.user, saved=saved)
    return redirect(reverse("search:page") + "?kind=" + saved.kind)
