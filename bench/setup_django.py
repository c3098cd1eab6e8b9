"""Django set-up for the bench scripts: its own data folder (var/bench) unless QLVB_VAR_DIR says otherwise."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlvb.settings")
os.environ.setdefault("QLVB_VAR_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()
