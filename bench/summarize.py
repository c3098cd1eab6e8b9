"""Print the Markdown tables of bench/RESULTS.md from bench/out/*.json."""

import json
from pathlib import Path

OUT = Path(__file__).parent / "out"
PAGES = [("officer_inbox_page", "officer inbox page"), ("officer_search_page", "officer inbox + search"),
         ("officer_inbox_orm", "inbox query via ORM"), ("officer_inbox_sql", "inbox query raw SQL"),
         ("head_overdue_page", "head's unit-overdue page"), ("head_overdue_orm", "overdue query via ORM"),
         ("head_overdue_sql", "overdue query raw SQL")]


def main():
    for vendor in ("sqlite", "postgresql"):
        runs = sorted((json.loads(p.read_text()) for p in OUT.glob(f"{vendor}-*.json")), key=lambda r: r["documents"])
        if not runs:
            continue
        print(f"\n### {vendor}\n")
        print("| measure (ms, p50 / p95) | " + " | ".join(f"{r['documents']:,} docs" for r in runs) + " |")
        print("|---|" + "---|" * len(runs))
        for key, label in PAGES:
            print(f"| {label} | " + " | ".join(f"{r[key]['p50']:.1f} / {r[key]['p95']:.1f}" for r in runs) + " |")
        print("| registration + first forward (per s) | " + " | ".join(f"{r['per_second']:.0f}" for r in runs) + " |")
        print("| same, clerks at once (per s) | " + " | ".join(
            f"{r['concurrent']['per_second']:.0f} ({r['concurrent']['clerks']})" if "concurrent" in r else "—"
            for r in runs) + " |")
        print("| max RSS after the pages (MB) | " + " | ".join(f"{r['rss_mb_after_pages']:.0f}" for r in runs) + " |")
        print("| officer's open items / unit's overdue items | " + " | ".join(
            f"{r['officer_todo']} / {r['unit_overdue']}" for r in runs) + " |")
    for p in sorted(OUT.glob("reports-*.json")):
        r = json.loads(p.read_text())
        print(f"\n### reports, {r['database']}, {r['documents']:,} documents ({r['documents_in_year']:,} this year)\n")
        cold = f" (first run after start: {r['yearly_report_cold_s']:.2f} s)" if "yearly_report_cold_s" in r else ""
        print(f"- yearly report: {r['yearly_report_s']:.2f} s{cold}")
        print(f"- Excel export: {r['excel_export_s']:.2f} s, {r['excel_bytes']:,} bytes, max RSS "
              f"{r['rss_mb_before_export']:.0f} → {r['rss_mb_after_export']:.0f} MB")
        print(f"- one check-in digest run: {r['digest_run_s']:.2f} s for {r['digests_sent']} people with open work "
              f"({1000 * r['digest_run_s'] / max(r['digests_sent'], 1):.1f} ms a person)")
        if "reminders_run_s" in r:
            print(f"- the day's due/overdue reminders: {r['reminders_run_s']:.2f} s for {r['reminders_sent']} items")


if __name__ == "__main__":
    main()
