"""The matching library stands alone: no Flask, no SQLAlchemy, its public API importable."""

import ast
import subprocess
import sys
from pathlib import Path

import jobfair.matching

PACKAGE = Path(jobfair.matching.__file__).resolve().parent
PUBLIC = [
    "PositionDoc",
    "SeekerDoc",
    "Match",
    "SeekerMatch",
    "MatchingEngine",
    "ScoringWeights",
    "suggest_occupations",
    "suggest_occupations_for_many",
    "OccupationSuggestion",
    "evaluate_suggestions",
    "evaluate_recommendations",
    "input_notes",
]
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "flask_login", "werkzeug", "alembic")


def test_importing_the_package_loads_no_flask_or_sqlalchemy():
    # jobfair/__init__.py builds the web app, so the parent package is stubbed: what is
    # checked is everything jobfair.matching itself pulls in, while it does real work.
    code = (
        "import sys, types;"
        "pkg = types.ModuleType('jobfair');"
        f"pkg.__path__ = [{str(PACKAGE.parent)!r}];"
        "sys.modules['jobfair'] = pkg;"
        "import jobfair.matching as m;"
        f"missing = [n for n in {PUBLIC!r} if not hasattr(m, n)];"
        "m.suggest_occupations('焊工');"
        "e = m.MatchingEngine.build([m.PositionDoc(1, '焊工', '电焊')]);"
        "e.recommend(m.SeekerDoc(1, '电焊'));"
        f"bad = sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r});"
        "print(missing, bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []", out.stdout + out.stderr


def test_no_module_of_the_library_imports_the_app_or_web_stack():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, (path.name, name)
                if name.startswith("jobfair"):
                    assert name.startswith("jobfair.matching"), (path.name, name)
