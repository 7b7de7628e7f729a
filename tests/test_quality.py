"""The code base itself: lint and format, the README's promises, the layout's rules."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import typecheck

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


def test_mypy_strict_passes():
    """mypy --strict over src/forumdash, as configured in pyproject.toml (started early by
    tests/conftest.py; see tests/support/typecheck.py)."""
    code, output = typecheck.result()
    assert code == 0, output


def test_no_dead_code():
    """vulture over the app ([tool.vulture] in pyproject.toml, tests/vulture_whitelist.py for
    what is used where it cannot see): a function, class or name nothing uses fails."""
    done = subprocess.run(
        [sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_gives_exactly_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:sh|bash|console)\n(.*?)```", setup, re.S)
    assert len(commands) == 2
    assert "python -m forumdash serve" in commands[0]  # streamlit run app.py, prepared first
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci


def _cli_commands() -> list[tuple[str, list[str]]]:
    """(command path, its option strings) for every sub-command of `python -m forumdash`."""
    import argparse

    from forumdash.cli import build_parser

    found: list[tuple[str, list[str]]] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subparsers:
            options = [
                option
                for action in parser._actions
                for option in action.option_strings
                if option.startswith("--") and option != "--help"
            ]
            found.append((path, options))
        for action in subparsers:
            for name, child in action.choices.items():
                walk(child, f"{path} {name}".strip())

    walk(build_parser(), "")
    return found


CLI_COMMANDS = _cli_commands()


@pytest.mark.parametrize(("command", "options"), CLI_COMMANDS, ids=[c for c, _ in CLI_COMMANDS])
def test_every_cli_command_and_option_is_documented(command, options):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if f"python -m forumdash {command}" in line]
    assert rows, f"the README's command table has no row for `python -m forumdash {command}`"
    documented = " ".join(rows)
    missing = [option for option in options if option not in documented]
    assert not missing, f"{command}: options not in its README row: {', '.join(missing)}"


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
