"""A dashboard session that keeps reading pages for a while (run as a process by test_faults.py)."""
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/oversikt.py", "pages/tackning.py", "pages/maluppfyllelse.py", "pages/inrapportering.py"]

seconds = float(sys.argv[1])
runs = errors = 0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGES[runs % len(PAGES)]).run()
    runs += 1
    if at.exception or not at.title:
        errors += 1
        print("ERROR", [e.message for e in at.exception], file=sys.stderr)
print(runs, errors)
