"""The code base itself: lint and format, the README's promises, the layout's rules."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_lint():
    done = _ruff("check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format():
    done = _ruff("format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_gives_exactly_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:sh|bash|console)\n(.*?)```", setup, re.S)
    assert len(commands) == 2
    assert "streamlit run app.py" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci


def test_every_cli_command_is_documented():
    from forumdash.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    for name in commands:
        assert f"python -m forumdash {name}" in readme, name


def test_pages_start_with_the_shared_frame():
    for script in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        code = [
            line
            for line in script.read_text().splitlines()
            if line and not line.startswith(("#", '"""', "import", "from"))
        ]
        assert code[0].startswith("engine = frame.page("), script.name


def test_readme_layout_names_every_module():
    """The README's map of src/forumdash/ names every module and package in it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    package = ROOT / "src" / "forumdash"
    names = [
        path.name if path.is_file() else f"{path.name}/"
        for path in sorted(package.iterdir())
        if not path.name.startswith("_")
        and (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()))
    ]
    missing = [name for name in names if name not in layout]
    assert not missing, f"README's layout does not name: {', '.join(missing)}"
