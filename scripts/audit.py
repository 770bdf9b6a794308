"""`make audit`: known-vulnerability scan (pip-audit) plus the security version floors.

pip-audit asks a vulnerability database (PyPI's JSON API, or OSV with JOBFAIR_AUDIT_SERVICE=osv)
about every installed distribution. Where neither is reachable (these build machines only see
a package mirror) every package comes back "not audited": the script says so plainly, still
checks the floors below, and exits 0; a reachable database that reports a vulnerability, or a
floor not met, exits 1.
"""

import json
import os
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

# Floors that close known advisories (SECURITY.md, "Dependency audit"); pyproject.toml keeps
# the same floors so an install cannot go below them.
FLOORS = {
    "Flask": ((3, 1, 3), "Flask 3.1.3 session fixes; CVE-2023-30861 fixed in 2.3.2"),
    "Flask-SocketIO": ((5, 6, 1), "session fixes for Flask >= 3.1.3"),
    "python-socketio": ((5, 14, 0), "CVE-2025-61765: JSON, not pickle, on the message queue"),
    "python-engineio": ((4, 3, 0), "CVE-2019-13611 origin check; max_http_buffer_size on WS"),
    "Werkzeug": ((3, 0, 6), "CVE-2024-49766/49767 (safe_join, multipart memory)"),
    "cryptography": ((43, 0, 1), "OpenSSL advisories in bundled wheels before 43.0.1"),
}


def _tuple(text: str) -> tuple[int, ...]:
    out = []
    for part in text.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def check_floors() -> list[str]:
    problems = []
    for name, (floor, why) in FLOORS.items():
        try:
            have = version(name)
        except PackageNotFoundError:
            problems.append(f"{name}: not installed")
            continue
        ok = _tuple(have) >= floor
        print(
            f"  {'ok ' if ok else 'LOW'} {name} {have} (floor {'.'.join(map(str, floor))}: {why})"
        )
        if not ok:
            problems.append(f"{name} {have} is below {'.'.join(map(str, floor))}")
    return problems


def run_pip_audit() -> tuple[str, list[str]]:
    service = os.environ.get("JOBFAIR_AUDIT_SERVICE", "pypi")
    cmd = [sys.executable, "-m", "pip_audit", "-l", "-f", "json", "--progress-spinner", "off"]
    cmd += ["-s", service]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    deps = report.get("dependencies") or []
    if not deps:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return f"pip-audit could not reach the {service} vulnerability database ({last[:160]})", []
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        return (
            f"pip-audit reached no vulnerability database: all {len(deps)} packages were "
            f"skipped ('{deps[0]['skip_reason'][:60]}…')",
            [],
        )
    vulns = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})"
        for d in audited
        for v in d.get("vulns", [])
    ]
    return f"pip-audit checked {len(audited)} of {len(deps)} packages against {service}", vulns


def main() -> int:
    print("Security version floors:")
    problems = check_floors()
    summary, vulns = run_pip_audit()
    print(summary)
    for line in vulns:
        print("  VULNERABLE", line)
    if problems or vulns:
        print("audit: FAILED")
        return 1
    print(
        "audit: no known vulnerability found"
        if "checked" in summary
        else "audit: floors ok; "
        "vulnerability scan not possible here (run `make audit` where the database is reachable)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
