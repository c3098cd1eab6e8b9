"""Issue 11.12: installable, and light on a slow connection. The pages link a web app manifest (served
as application/manifest+json) whose icons exist at the sizes they declare, with a maskable one and the
theme colour; no render-blocking asset of the first pages (stylesheets, scripts without defer/async)
weighs over 200 KB as served (gzip, as collectstatic precompresses it for nginx and WhiteNoise)."""

import gzip
import io

import pytest
from PIL import Image

from .daily import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 200 * 1000
BLOCKING = """[...document.querySelectorAll('link[rel=stylesheet]:not([media=print]), script[src]')]
    .filter(e => e.tagName === 'LINK' || !(e.defer || e.async || e.type === 'module'))
    .map(e => e.href || e.src)"""


def _blocking_sizes(page) -> dict:
    sizes = {}
    for url in page.evaluate(BLOCKING):
        body = page.request.get(url).body()
        sizes[url.rsplit("/", 1)[-1]] = (len(body), len(gzip.compress(body, 9)))
    return sizes


def test_installable_from_the_login_page(page, demo):
    page.goto("/login/")
    response = page.request.get(page.get_attribute("link[rel=manifest]", "href"))
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["short_name"] == "QLVB"
    assert "văn bản" in manifest["name"]
    assert manifest["theme_color"] == page.get_attribute("meta[name=theme-color]", "content")
    declared = set()
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png", icon
        width, height = Image.open(io.BytesIO(image.body())).size
        assert icon["sizes"] == f"{width}x{height}", icon
        declared.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= declared
    assert page.request.get(page.get_attribute("link[rel=apple-touch-icon]", "href")).ok


def test_no_heavy_blocking_asset_on_first_load(new_page, demo):
    login = new_page()
    login.goto("/login/")
    pages = {"login": _blocking_sizes(login)}
    for username, path in (("cv.qlvt.long", "/incoming/"), ("giamdoc", "/monitoring/")):
        page = signed_in(new_page, username)
        page.goto(path)
        pages[path] = _blocking_sizes(page)
    for name, sizes in pages.items():
        assert sizes, name
        heavy = {asset: served for asset, (_raw, served) in sizes.items() if served >= LIMIT}
        assert heavy == {}, (name, sizes)
    print({name: sum(served for _raw, served in sizes.values()) for name, sizes in pages.items()})
