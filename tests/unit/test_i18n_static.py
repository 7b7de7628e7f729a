"""Every word the pages put on screen goes through gettext: no English literal is handed to a
Streamlit element, and no module that translates rebinds `_`."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted(
    [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "src/forumdash/ui").glob("*.py")]
)
# Streamlit calls whose first argument and text keywords a person reads.
ELEMENTS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning",
    "error", "success", "toast", "exception", "button", "download_button", "link_button",
    "page_link", "metric", "selectbox", "multiselect", "radio", "pills", "segmented_control",
    "text_input", "text_area", "number_input", "checkbox", "toggle", "date_input",
    "time_input", "file_uploader", "form_submit_button", "expander", "tabs", "popover",
    "spinner", "status", "slider", "select_slider", "feedback", "chat_input",
    "TextColumn", "NumberColumn", "LinkColumn", "DateColumn", "ListColumn", "CheckboxColumn",
    "Column", "SelectboxColumn", "ProgressColumn", "DatetimeColumn",
}  # fmt: skip
TEXT_KEYWORDS = {"label", "help", "placeholder", "caption", "text", "title", "body", "value"}
# Words that are the same in every language: names and formats.
PROPER = {
    "forumdash", "OGP", "IRM", "CSV", "XLSX", "JSON", "PNG", "SVG", "QR", "URL", "ISO",
    "Excel", "LibreOffice", "UTF",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{2,}")


def _english(text: str) -> bool:
    # Markup, icons (":material/search:"), CSS and HTML tags are not words a person reads.
    text = re.sub(r":material/[a-z_]+:|<[^>]*>|\{[^}]*\}|&[a-z]+;|https?://\S+", " ", text)
    return any(word not in PROPER for word in WORD.findall(text))


def _literal_parts(node: ast.AST) -> list[str]:
    """The literal text a value is built from, where no gettext call wraps it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return [p for p in parts if isinstance(p, str)]
    if isinstance(node, ast.BinOp):
        return _literal_parts(node.left) + _literal_parts(node.right)
    if isinstance(node, ast.List | ast.Tuple):
        return [part for item in node.elts for part in _literal_parts(item)]
    if isinstance(node, ast.IfExp):
        return _literal_parts(node.body) + _literal_parts(node.orelse)
    return []


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def untranslated(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in ELEMENTS:
            continue
        if not isinstance(node.func, ast.Attribute):
            continue  # a function of ours with an element's name
        first = [] if _name(node.func) == "page_link" else node.args[:1]  # a page, not a label
        values = list(first) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for value in values:
            for text in _literal_parts(value):
                if _english(text):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:60]!r}")
    return found


def rebinds_gettext(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    if not re.search(r"from forumdash\.i18n import[^\n]*\b_\b", source):
        return []
    tree = ast.parse(source)
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
    ]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_english_literal_reaches_an_element(path: Path) -> None:
    assert untranslated(path) == []


@pytest.mark.parametrize(
    "path",
    sorted([*UI_FILES, *(ROOT / "src/forumdash").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_gettext_is_never_rebound(path: Path) -> None:
    # `_ = st.columns(...)` or `for _ in ...` in a module that translates makes `_("...")` fail.
    assert rebinds_gettext(path) == []


def test_the_check_sees_literals_and_f_strings(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "from forumdash.i18n import _\n"
        "st.title('Browse practices')\n"
        "st.caption(f'{n} practices')\n"
        "st.button(_('Save'), help='Saves it')\n"
        "st.markdown('---')\n"
        "st.page_link('app.py', label=_('Overview'), icon=':material/dashboard:')\n"
        "for _ in range(2):\n    pass\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert [line.split(": ", 1)[1] for line in untranslated(page)] == [
            "'Browse practices'",
            "' practices'",
            "'Saves it'",
        ]
        assert rebinds_gettext(page) == ["page.py:8"]
    finally:
        ROOT = saved


def messages_in_f_strings(path: Path) -> list[str]:
    """`_("...")` written inside an f-string: Babel's extractor does not look there, so the
    message would never reach a catalog."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and _name(inner.func) in {"_", "gettext", "ngettext", "pgettext", "N_"}
                and any(isinstance(a, ast.Constant) for a in inner.args)
            ):
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*UI_FILES, *(ROOT / "src/forumdash").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_message_hides_inside_an_f_string(path: Path) -> None:
    assert messages_in_f_strings(path) == []
