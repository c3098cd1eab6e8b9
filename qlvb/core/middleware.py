class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline scripts, and headers Django does not set itself."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path == "/api/docs":
            # The vendored Swagger UI page boots with one inline script.
            response.headers.setdefault("Content-Security-Policy", self.CSP.replace(
                "script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"))
        elif not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response



class LanguageMiddleware:
    """Vietnamese unless the person chose another language in the menu (the language cookie).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not followed: an agency's
    computers often run English-language browsers, and the interface must still be Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class CleanQueryMiddleware:
    """Query parameters are only read (filters, search, tabs): the characters no database keeps (NUL, lone
    surrogates) are dropped from them here, once for every page, so no filter can turn them into a server
    error. Text to be stored comes by POST and is refused with a message instead (forms, the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from qlvb.core.text import UNSTORABLE, clean

        if UNSTORABLE.search(request.META.get("QUERY_STRING", "")) or any(
                UNSTORABLE.search(v) for values in request.GET.lists() for v in values[1]):
            cleaned = request.GET.copy()
            for key, values in request.GET.lists():
                cleaned.setlist(key, [clean(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
