#!/usr/bin/env python3
"""Screenshots of the pages people use every day, on a phone (390×844) and a desktop (1366×900):
the officer's inbox, a document as its holder sees it, the Director's overview, and the clerk's
registration form with its date inputs (issue 11).

    .venv/bin/python scripts/screenshots.py            # PNGs in $QLVB_VAR_DIR/screenshots/ (default var/)

It serves a demo agency of its own (an SQLite database under var/screenshots/site/, loaded with
`seed_demo`, rebuilt with --fresh; the usual database is not touched) with Django's server on a free
port, and drives Debian's Chromium through Playwright (QLVB_CHROMIUM to use another). The PNGs are not
committed.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("QLVB_VAR_DIR", ROOT / "var"))
OUT = VAR / "screenshots"
SITE = OUT / "site"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
CHROMIUM = os.environ.get("QLVB_CHROMIUM", "/usr/bin/chromium")
PYTHON = sys.executable


def _site_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(QLVB_VAR_DIR=str(SITE), DJANGO_SETTINGS_MODULE="qlvb.settings", QLVB_STATIC_MANIFEST="0",
               QLVB_2FA_REQUIRED_ROLES="")  # the demo's leaders have no authenticator
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, server: subprocess.Popen):
    deadline = time.monotonic() + 300  # a loaded machine starts Django slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _targets() -> dict:
    """Which document to show: the officer's first item to do."""
    from qlvb.assignments.models import Assignment
    from qlvb.organization.demo import DEMO_PASSWORD

    item = Assignment.objects.filter(receiver__username="cv.qlvt.long", box="todo").order_by("pk").first()
    return {"document": item.document_id if item else "", "password": DEMO_PASSWORD}


def _shoot(base: str, targets: dict):
    from playwright.sync_api import sync_playwright

    shots = [("cv.qlvt.long", "inbox", "/incoming/"),
             ("cv.qlvt.long", "document", f"/incoming/{targets['document']}/" if targets["document"] else "/incoming/"),
             ("giamdoc", "overview", "/monitoring/"),
             ("vanthu", "register", "/incoming/new/")]  # the date inputs (dd/mm/yyyy, 24 hours)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            for username, name, path in shots:
                context = browser.new_context(base_url=base, locale="vi-VN", is_mobile=size == "phone",
                                              viewport={"width": width, "height": height}, has_touch=size == "phone")
                page = context.new_page()
                page.goto("/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", targets["password"])
                page.click("button[type=submit]")
                page.wait_for_load_state()
                if "/login/" in page.url:
                    raise SystemExit(f"{username} could not sign in: {page.inner_text('main')[:300]}")
                page.goto(path)
                page.wait_for_timeout(1500)  # the menu counts and the unread badge load after the page
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=False)
                print(target)
                context.close()
        browser.close()


def main():
    sys.path.insert(0, str(ROOT))
    SITE.mkdir(parents=True, exist_ok=True)
    if "--fresh" in sys.argv:
        for old in SITE.glob("qlvb.sqlite3*"):
            old.unlink()
    os.environ.update(_site_env())
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    targets = _targets()
    port = _free_port()
    command = [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=ROOT, env=_site_env(),  # noqa: S603 - our own manage.py
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/healthz", server)
        _shoot(base, targets)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
