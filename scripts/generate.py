"""Regenerate the low-level client, or check that the committed copies are current.

    python scripts/generate.py generate          rewrite generated/openrouter_analytics_client
    python scripts/generate.py check UPSTREAM    regenerate and re-extract into a temporary
                                                 directory; exit 1 naming every differing file

Generation runs the pinned openapi-python-client with generator-config.yml and the
templates/ overrides, with the pinned ruff from this environment on PATH, so the
output depends only on openapi.yaml, the config, the templates and the lock file.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from extract_spec import ExtractionError, extract, load_document, render

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "generator-config.yml"
TEMPLATES = ROOT / "templates"
PACKAGE = "openrouter_analytics_client"
GENERATED = ROOT / "generated" / PACKAGE
FIX_HINT = "run `make update-spec && make generate`, review the diff, and commit it"


def generate_into(destination: Path, spec: Path = SPEC) -> None:
    """Write the generated package to destination, which must not exist yet."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path", str(spec),
        "--config", str(CONFIG),
        "--custom-template-path", str(TEMPLATES),
        "--meta", "none",
        "--output-path", str(destination),
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    # The generator reports some problems as warnings and still exits 0: treat any as failure.
    if result.returncode != 0 or "Warning" in result.stdout or "Error" in result.stdout:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"generate: openapi-python-client failed on {spec}")
    # With --meta none the generator writes no py.typed; the package is typed, so say so.
    (destination / "py.typed").write_text("")


def differing_files(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two trees, including files only in one."""
    differences: list[str] = []

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        for name in comparison.left_only:
            differences.append(f"{prefix}{name} (only in the fresh output)")
        for name in comparison.right_only:
            differences.append(f"{prefix}{name} (only in the committed copy)")
        for name in comparison.common_files:
            if not filecmp.cmp(Path(comparison.left) / name, Path(comparison.right) / name, shallow=False):
                differences.append(f"{prefix}{name}")
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    ignore = ["__pycache__", ".mypy_cache", ".ruff_cache"]
    walk(filecmp.dircmp(str(expected), str(actual), ignore=ignore), "")
    return sorted(differences)


def generate() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / PACKAGE
        generate_into(fresh)
        shutil.rmtree(GENERATED, ignore_errors=True)
        GENERATED.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, GENERATED)
    print(f"generate: wrote {GENERATED.relative_to(ROOT)}")
    return 0


def check(upstream: Path) -> int:
    problems: list[str] = []
    try:
        extracted = render(extract(load_document(upstream)))
    except ExtractionError as exc:
        print(f"check-drift: cannot re-extract {upstream}: {exc}", file=sys.stderr)
        return 1
    if not SPEC.exists() or SPEC.read_text(encoding="utf-8") != extracted:
        problems.append(f"openapi.yaml (differs from what {upstream} extracts to)")

    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / PACKAGE
        generate_into(fresh)
        if GENERATED.is_dir():
            problems += [f"generated/{PACKAGE}/{name}" for name in differing_files(fresh, GENERATED)]
        else:
            problems.append(f"generated/{PACKAGE} (missing)")

    if problems:
        print("check-drift: FAILED, these differ from what the spec and generator produce:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print(f"check-drift: to fix, {FIX_HINT}", file=sys.stderr)
        return 1
    print("check-drift: openapi.yaml and generated/ are up to date")
    return 0


def main(argv: list[str]) -> int:
    if argv == ["generate"]:
        return generate()
    if len(argv) == 2 and argv[0] == "check":
        return check(Path(argv[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
