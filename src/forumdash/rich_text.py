"""Rich text from other systems (Markdown and HTML) made readable and inert.

Bodies imported from another system carry Markdown and HTML. `to_markdown` turns such a text into
a restricted Markdown that Streamlit's `st.markdown` renders without `unsafe_allow_html`: the
headings, paragraphs, lists, quotes, tables, emphasis and http(s) links of the source survive; an
image becomes a link to it with its alt text (never an image: nothing is loaded); scripts, styles,
frames and comments are dropped with their contents; any other HTML is reduced to its text. Every
character of the source's text goes through `escape_markdown`, so what reaches Streamlit is only
the syntax written here. `to_plain_text` gives the same reading as plain text, for places that
show one paragraph (cards, table cells, the event display).

How: the source is parsed as CommonMark (markdown-it-py, with GFM tables and strikethrough, raw
HTML allowed through), rendered to HTML, and that HTML is read by the standard library's parser
into a small tree, which is written out again. One walker serves HTML typed by people and HTML
made from their Markdown alike.
"""

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from forumdash.text import clean_text, escape_inline, safe_url, strip_invisible

__all__ = ["has_markup", "markdown_link", "to_markdown", "to_plain_text"]

# A soft line break of the Markdown source: kept as a line break of the output (plain text with
# single newlines reads as before); HTML's own newlines are only spaces.
_SOFT_BREAK_TAG = "forumdash-softbreak"
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_MARKDOWN.add_render_rule("softbreak", lambda *_args: f"<{_SOFT_BREAK_TAG}>")
# Every Markdown link and image becomes an element, whatever its target, so that one rule (the
# writer's safe_url) decides: a `javascript:` link reads as its label, like an HTML one.
_MARKDOWN.validateLink = lambda _url: True  # type: ignore[method-assign,assignment]  # an instance hook

# Dropped with everything inside them: code, styling, embedded documents, form controls.
_DROPPED = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "noscript",
        "noembed",
        "noframes",
        "template",
        "svg",
        "math",
        "canvas",
        "head",
        "title",
        "video",
        "audio",
        "select",
        "textarea",
        "button",
        "map",
        "dialog",
        "xmp",
        "plaintext",
        "xml",  # Word's document properties in pasted HTML
    }
)
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        _SOFT_BREAK_TAG,
    }
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Elements that start a block of their own; any other known element is read as inline text.
_BLOCKS = frozenset(
    {
        *_HEADINGS,
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "center",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "form",
        "fieldset",
        "legend",
        "dl",
        "dt",
        "dd",
        "ul",
        "ol",
        "menu",
        "dir",
        "li",
        "blockquote",
        "pre",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "colgroup",
        "hr",
        "html",
        "body",
        "hgroup",
        "search",
    }
)
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "label",
        "mark",
        "nobr",
        "output",
        "picture",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "meter",
        "progress",
    }
)
# A tag whose name is none of these (`<placeholder>`, `<name@example.org`) is not HTML a
# browser would act on: it is shown as the characters that were typed.
_KNOWN = _DROPPED | _VOID | _BLOCKS | _INLINE
_STRONG = frozenset({"strong", "b"})
_EMPHASIS = frozenset({"em", "i", "cite", "dfn", "var"})
_STRUCK = frozenset({"del", "s", "strike"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
# Deeper nesting is flattened into its parent (bounded recursion for any input).
_MAX_DEPTH = 40
# Two control characters, which no text keeps (strip_invisible), mark line breaks while writing.
_HARD = "\x01"  # a hard line break (<br>)
_SOFT = "\x02"  # a soft line break (a newline of the Markdown source)
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_BARE_URL = re.compile(r"https?://[^\s<>\"'\u00a0]+", re.IGNORECASE)
# Container tags that carry no reading of their own; at a line's edge they are moved onto a line
# of their own so that the Markdown they wrap is read as Markdown (CommonMark takes every line
# after `<div ...>` or `<h3>..</h3>` up to a blank line as raw HTML, Markdown included).
_WRAPPER = r"(?:div|section|article|main|header|footer|aside|nav|center)"
_WRAPPER_TAG = rf"(?:<{_WRAPPER}(?:\s[^<>]*)?>|</{_WRAPPER}\s*>)"
_LEADING_WRAPPERS = re.compile(rf"^(?:\s*{_WRAPPER_TAG})+\s*", re.IGNORECASE)
_TRAILING_WRAPPERS = re.compile(rf"\s*(?:{_WRAPPER_TAG}\s*)+$", re.IGNORECASE)
_BLOCK_CLOSED = re.compile(
    r"</(?:p|h[1-6]|ul|ol|li|dl|dt|dd|table|tr|td|th|thead|tbody|tfoot|caption|blockquote|pre"
    r"|figure|figcaption|details|summary|address|form|fieldset|hgroup|menu)\s*>\s*$",
    re.IGNORECASE,
)
# A line that starts with one of these tags starts an HTML block that CommonMark ends only at a
# blank line (its "type 6"); if the line ends with a tag, the block is ended there.
_BLOCK_OPENED = re.compile(
    r"^ {0,3}</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col"
    r"|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame"
    r"|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav"
    r"|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th"
    r"|thead|title|tr|track|ul)(?:\s|/?>|$)",
    re.IGNORECASE,
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["_Node | str"] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """HTML to a small tree: dropped elements vanish with their contents, unknown tags stay text,
    misnested or unclosed tags are closed the forgiving way browsers close them."""

    def __init__(self, unclosed: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        # Dropped elements never closed in the text (`<iframe src=x>` alone): only the tag goes,
        # not the rest of the body after it.
        self.unclosed = unclosed
        self.root = _Node("root")
        self.stack = [self.root]
        self.dropping: str | None = None
        self.dropped_depth = 0

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """`<![CDATA[`, `<![if ...]>` as the standard parser reads them; any other `<![name`,
        on which it raises AssertionError, is a comment up to the next `>` (as browsers read it)."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag == self.dropping:
                self.dropped_depth += 1
            return
        if tag in _DROPPED:
            if tag not in self.unclosed:
                self.dropping, self.dropped_depth = tag, 1
            return
        if tag not in _KNOWN:
            if not _is_foreign(tag):
                self._text(self.get_starttag_text() or "")
            return
        self._close_implied(tag)
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and not self.dropping:
            self.handle_endtag(tag)
        elif tag == self.dropping:  # `<iframe src=... />`: nothing inside to drop
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping:
                self.dropped_depth -= 1
                if self.dropped_depth == 0:
                    self.dropping = None
            return
        if tag not in _KNOWN:
            if not _is_foreign(tag):
                self._text(f"</{tag}>")
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self._text(data)

    def _text(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def _close_implied(self, tag: str) -> None:
        """A new item closes the open one (`<li>a<li>b`), a block closes an open paragraph."""
        scope = {
            "li": ("li", _LISTS),
            "dt": ("dt dd", {"dl"}),
            "dd": ("dt dd", {"dl"}),
            "tr": ("tr td th", {"table", "thead", "tbody", "tfoot"}),
            "td": ("td th", {"tr", "table"}),
            "th": ("td th", {"tr", "table"}),
        }.get(tag)
        if scope is None and tag in _BLOCKS:
            scope = ("p", {"li", "td", "th", "blockquote", "div", "dd"})
        if scope is None:
            return
        closes, boundaries = scope[0].split(), scope[1]
        for depth in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[depth].tag
            if open_tag in closes:
                del self.stack[depth:]
                return
            if open_tag in boundaries:
                return


def _is_foreign(tag: str) -> bool:
    """Word's `<o:p>`, `<w:Sdt>` and custom elements (`<my-card>`): markup, not typed text; the
    tag is left out and what it holds is read."""
    return ":" in tag or "-" in tag


def _separate_html_blocks(source: str) -> str:
    """Lines of HTML set apart from the Markdown around them by blank lines: wrapper tags
    (`<div class="group">`) at a line's edge go on lines of their own, and a line that closes a
    block element (`<h3>Problem</h3>`) ends its HTML block. Only where the lines meet changes:
    the HTML parser reads all the HTML of the text as one document anyway."""
    out: list[str] = []

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    fenced = False
    for line in source.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or line.startswith("    ") or "<" not in line:
            out.append(line)
            continue
        lead = _LEADING_WRAPPERS.match(line)
        rest = line[lead.end() :] if lead else line
        tail = _TRAILING_WRAPPERS.search(rest)
        if tail:
            rest = rest[: tail.start()]
        if lead:
            blank()
            out.append(lead.group(0).strip())
            blank()
        if rest.strip():
            out.append(rest)
        if tail:
            blank()
            out.append(tail.group(0).strip())
            blank()
        elif _BLOCK_CLOSED.search(rest) or (
            _BLOCK_OPENED.match(rest) and rest.rstrip().endswith(">")
        ):
            blank()
    return "\n".join(out)


def _parse(text: str) -> _Node:
    source = _separate_html_blocks(clean_text(text))
    html = _MARKDOWN.render(source)
    lowered = html.lower()
    # script and style are read as raw text to their end tag by the parser itself, as browsers do.
    builder = _TreeBuilder(
        frozenset(t for t in _DROPPED - {"script", "style"} if f"</{t}" not in lowered)
    )
    builder.feed(html)
    builder.close()
    return builder.root


@functools.lru_cache(maxsize=256)
def to_markdown(text: str) -> str:
    """Stored text (plain, Markdown or HTML) as safe Markdown for st.markdown: see the module."""
    root = _parse(text)
    levels = [_HEADINGS[node.tag] for node in _walk(root) if node.tag in _HEADINGS]
    # The body's own headings sit under the page's section headings (h3, 1.75rem): its top level
    # is h5 (1.25rem), clearly below them and still above the text; deeper ones are h6.
    shift = 5 - min(levels) if levels else 0
    return "\n\n".join(_MarkdownWriter(shift).blocks(root.children))


@functools.lru_cache(maxsize=256)
def to_plain_text(text: str) -> str:
    """The same reading as plain text (not escaped): paragraphs between blank lines, list items
    with a bullet, links and images as their text."""
    return "\n\n".join(_PlainWriter().blocks(_parse(text).children))


def plain_excerpt(value: str, limit: int) -> str:
    """A long text's reading (markup gone) on one line, cut at a word to `limit` characters."""
    flat = " ".join(to_plain_text(value).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def has_markup(text: str) -> bool:
    """True if the text carries Markdown or HTML that changes how it reads (not plain text)."""
    return " ".join(to_plain_text(text).split()) != " ".join(clean_text(text).split())


def _walk(node: _Node) -> list[_Node]:
    found = [node]
    for child in node.children:
        if isinstance(child, _Node):
            found.extend(_walk(child))
    return found


def _text_of(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    if node.tag == "img":
        return node.attrs.get("alt", "")
    return "".join(_text_of(child) for child in node.children)


def _paragraph(inline: str, hard_break: str) -> list[str]:
    """Inline content as paragraphs: whitespace collapsed, line breaks kept, two breaks in a row
    (`<br><br>`) a new paragraph."""
    text = _SPACES.sub(" ", inline)
    text = re.sub(f" *([{_HARD}{_SOFT}]) *", r"\1", text)
    parts = re.split(f"{_HARD}{{2,}}|[{_HARD}{_SOFT}]{{2,}}", text)
    out = []
    for part in parts:
        part = part.strip(f" {_HARD}{_SOFT}")
        if part:
            out.append(part.replace(_HARD, hard_break).replace(_SOFT, "\n"))
    return out


def _single_line(inline: str) -> str:
    return _SPACES.sub(" ", inline.replace(_HARD, " ").replace(_SOFT, " ")).strip()


class _MarkdownWriter:
    """The tree written as restricted Markdown; every piece of source text escaped."""

    hard_break = "\\\n"  # a backslash at the end of a line

    def __init__(self, heading_shift: int) -> None:
        self.heading_shift = heading_shift

    def blocks(self, children: list[_Node | str]) -> list[str]:
        out: list[str] = []
        run: list[_Node | str] = []
        previous_list = ""

        def flush() -> None:
            if run:
                out.extend(_paragraph(self.inline(run), self.hard_break))
                run.clear()

        index = 0
        while index < len(children):
            child = children[index]
            if isinstance(child, str) or child.tag not in _BLOCKS:
                run.append(child)
                index += 1
                continue
            flush()
            if child.tag == "li":  # items without a list around them make one
                items = []
                while index < len(children):
                    item = children[index]
                    if isinstance(item, _Node) and item.tag == "li":
                        items.append(item)
                    elif not (isinstance(item, str) and not item.strip()):
                        break
                    index += 1
                child = _Node("ul", children=list(items))
            else:
                index += 1
            # Two lists in a row would merge into one: the second gets the other bullet.
            bullet = "*" if previous_list == "-" else "-"
            rendered = self.block(child, bullet)
            previous_list = bullet if child.tag in _LISTS - {"ol"} and rendered else ""
            out.extend(rendered)
        flush()
        return out

    def block(self, node: _Node, bullet: str = "-") -> list[str]:
        tag = node.tag
        if tag in _HEADINGS:
            content = _single_line(self.inline(node.children))
            level = min(6, _HEADINGS[tag] + self.heading_shift)
            return [f"{'#' * level} {content}"] if content else []
        if tag in _LISTS:
            return self.list_block(node, bullet)
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node.children))
            if not inner:
                return []
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag == "pre":
            return self.code_block(_text_of(node))
        if tag == "table":
            return self.table(node)
        if tag == "hr":
            return ["---"]
        if tag in ("dt", "caption", "legend", "summary"):
            content = _single_line(self.inline(node.children))
            return [f"**{content}**"] if content else []
        return self.blocks(node.children)

    def list_block(self, node: _Node, bullet: str) -> list[str]:
        ordered = node.tag == "ol"
        number = _list_start(node)
        items: list[str] = []
        for content in _items_of(node):
            blocks = self.blocks(content)
            if not blocks:
                continue
            marker = f"{number}." if ordered else bullet
            number += 1
            body = blocks[0]
            for block in blocks[1:]:
                # A sub-list follows its line directly: the list stays tight.
                tight = block.startswith(("- ", "* ")) or re.match(r"\d+\. ", block)
                body += ("\n" if tight else "\n\n") + block
            indent = " " * (len(marker) + 1)
            lines = body.split("\n")
            items.append(
                "\n".join(
                    [f"{marker} {lines[0]}", *(indent + line if line else "" for line in lines[1:])]
                )
            )
        return ["\n".join(items)] if items else []

    def code_block(self, code: str) -> list[str]:
        code = strip_invisible(code.replace(_HARD, "\n").replace(_SOFT, "\n")).strip("\n")
        if not code.strip():
            return []
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return [f"{fence}\n{code}\n{fence}"]

    def table(self, node: _Node) -> list[str]:
        rows: list[list[str]] = []
        caption: list[str] = []
        for child in _rows_of(node):
            if child.tag == "caption":
                caption.extend(self.block(child))
                continue
            cells = [_single_line(self.inline(cell.children)) or " " for cell in _cells_of(child)]
            if cells:
                rows.append(cells)
        if not rows:
            return caption
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [" "] * (width - len(row))) + " |" for row in rows[:1]]
        lines.append("| " + " | ".join(["---"] * width) + " |")
        lines.extend("| " + " | ".join(row + [" "] * (width - len(row))) + " |" for row in rows[1:])
        return [*caption, "\n".join(lines)]

    def inline(self, children: list[_Node | str], *, in_link: bool = False) -> str:
        pieces = [self.inline_one(child, in_link=in_link) for child in children]
        for index, child in enumerate(children):
            if isinstance(child, _Node) and child.tag in _STRONG | _EMPHASIS | _STRUCK:
                before = pieces[index - 1] if index else ""
                after = pieces[index + 1] if index + 1 < len(pieces) else ""
                pieces[index] = _flanked(pieces[index], before, after)
        return "".join(pieces)

    def inline_one(self, node: _Node | str, *, in_link: bool) -> str:
        if isinstance(node, str):
            return self.text(node, in_link=in_link)
        tag = node.tag
        if tag == "br":
            return _HARD
        if tag == _SOFT_BREAK_TAG:
            return _SOFT
        if tag == "img":
            return self.image(node, in_link=in_link)
        if tag == "a":
            return self.link(node, in_link=in_link)
        if tag in _CODE:
            return _code_span(_text_of(node))
        inner = self.inline(node.children, in_link=in_link)
        if tag in _STRONG:
            return _wrap(inner, "**")
        if tag in _EMPHASIS:
            return _wrap(inner, "*")
        if tag in _STRUCK:
            return _wrap(inner, "~~")
        if tag == "q":
            return f"“{inner}”"
        if tag in _BLOCKS:  # a block inside inline content (`<a><div>..</div></a>`)
            return f" {inner} "
        return inner

    def text(self, text: str, *, in_link: bool) -> str:
        text = strip_invisible(text)
        if in_link:
            return escape_inline(text)
        # Web addresses written out in the text become links (as any reader expects).
        out, position = [], 0
        for match in _BARE_URL.finditer(text):
            url = _trim_url(match.group(0))
            target = safe_url(url)
            if target is None:
                continue
            out.append(escape_inline(text[position : match.start()]))
            out.append(markdown_link(escape_inline(url), target))
            position = match.start() + len(url)
        out.append(escape_inline(text[position:]))
        return "".join(out)

    def link(self, node: _Node, *, in_link: bool) -> str:
        label = self.inline(node.children, in_link=True)
        target = None if in_link else safe_url(node.attrs.get("href"))
        if target is None:
            return label
        if not _single_line(label):
            label = escape_inline(target)
        return markdown_link(label, target)

    def image(self, node: _Node, *, in_link: bool) -> str:
        alt = _single_line(escape_inline(node.attrs.get("alt", "")))
        target = None if in_link else safe_url(node.attrs.get("src"))
        if target is None:
            return alt
        # Never an image: a link to it, marked as one, that the reader may choose to open.
        return f":material/image: {markdown_link(alt or 'Image', target)}"


class _PlainWriter(_MarkdownWriter):
    """The same walk as plain text: nothing escaped, no Markdown made."""

    hard_break = "\n"

    def __init__(self) -> None:
        super().__init__(0)

    def block(self, node: _Node, bullet: str = "-") -> list[str]:
        tag = node.tag
        if tag in _HEADINGS or tag in ("dt", "caption", "legend", "summary"):
            content = _single_line(self.inline(node.children))
            return [content] if content else []
        if tag == "blockquote":
            return self.blocks(node.children)
        if tag == "hr":
            return []
        if tag == "table":
            rows: list[str] = []
            for row in _rows_of(node):
                cells = (
                    [_single_line(self.inline(row.children))]
                    if row.tag == "caption"
                    else [_single_line(self.inline(cell.children)) for cell in _cells_of(row)]
                )
                line = " · ".join(cell for cell in cells if cell)
                if line:
                    rows.append(line)
            return ["\n".join(rows)] if rows else []
        if tag in _LISTS:
            number = _list_start(node)
            lines: list[str] = []
            for contents in _items_of(node):
                item = "\n".join(self.blocks(contents)).replace("\n", "\n  ")
                if item:
                    lines.append(f"{number}. {item}" if tag == "ol" else f"• {item}")
                    number += 1
            return ["\n".join(lines)] if lines else []
        return super().block(node, bullet)

    def code_block(self, code: str) -> list[str]:
        code = strip_invisible(code).strip("\n")
        return [code] if code.strip() else []

    def inline_one(self, node: _Node | str, *, in_link: bool) -> str:
        if isinstance(node, _Node):
            if node.tag == "img":
                return strip_invisible(node.attrs.get("alt", ""))
            if node.tag == "a" or node.tag in _STRONG | _EMPHASIS | _STRUCK:
                return self.inline(node.children, in_link=True)
            if node.tag in _CODE:
                return strip_invisible(_text_of(node))
        return super().inline_one(node, in_link=in_link)

    def text(self, text: str, *, in_link: bool) -> str:
        return strip_invisible(text)


def _rows_of(table: _Node) -> list[_Node]:
    """A table's rows (and caption) in order, through thead/tbody/tfoot; nested tables are read
    as the text of their cell."""
    rows = []
    for child in table.children:
        if not isinstance(child, _Node):
            continue
        if child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(_rows_of(child))
        elif child.tag in ("tr", "caption"):
            rows.append(child)
    return rows


def _cells_of(row: _Node) -> list[_Node]:
    return [cell for cell in row.children if isinstance(cell, _Node) and cell.tag in ("td", "th")]


def _items_of(node: _Node) -> list[list[_Node | str]]:
    """A list's items as their contents; stray content between items is an item of its own."""
    items: list[list[_Node | str]] = []
    for child in node.children:
        if isinstance(child, _Node) and child.tag == "li":
            items.append(child.children)
        elif isinstance(child, _Node) or child.strip():
            items.append([child])
    return items


def _list_start(node: _Node) -> int:
    """The first number of an ordered list (`<ol start="3">`, or a Markdown list from 3.)."""
    start = node.attrs.get("start", "1").strip()
    return int(start) if start.isdigit() and len(start) <= 9 else 1


def _wrap(inner: str, marker: str) -> str:
    """`**inner**` with the surrounding spaces outside the markers (`** x**` is not bold)."""
    core = inner.strip(f" {_HARD}{_SOFT}\t\n")
    if not core:
        return inner
    if marker == "~~" and (core.startswith("~") or core.endswith("~")):
        return inner  # struck twice: four tildes would not strike (and could open a fence)
    lead = inner[: len(inner) - len(inner.lstrip(f" {_HARD}{_SOFT}\t\n"))]
    trail = inner[len(inner.rstrip(f" {_HARD}{_SOFT}\t\n")) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _flanked(piece: str, before: str, after: str) -> str:
    """Emphasis that CommonMark reads as such between its neighbours: `**Note:**text` is not bold
    (a closing marker after punctuation must not touch a letter), `**Note:** text` is."""
    marker = next((m for m in ("**", "~~", "*") if piece.startswith(m) and piece.endswith(m)), "")
    if not marker or len(piece) <= 2 * len(marker):
        return piece
    inner = piece[len(marker) : -len(marker)]
    if after[:1].isalnum() and not inner[-1:].isalnum():
        piece += " "
    if before[-1:].isalnum() and not inner[:1].isalnum():
        piece = " " + piece
    return piece


def _code_span(code: str) -> str:
    code = _single_line(strip_invisible(code))
    if not code:
        return ""
    fence = "`" * (_longest_run(code, "`") + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def markdown_link(label: str, target: str) -> str:
    """A Markdown link (`label` already Markdown) to an http(s) URL checked by safe_url; the
    characters that could end the target or a table cell are percent-encoded."""
    for char, code in (("\\", "%5C"), ("(", "%28"), (")", "%29"), (" ", "%20"), ("|", "%7C")):
        target = target.replace(char, code)
    for char, code in (("<", "%3C"), (">", "%3E"), ("`", "%60")):
        target = target.replace(char, code)
    return f"[{label}]({target})"


def _trim_url(url: str) -> str:
    """A web address found in text, without the punctuation that ends its sentence."""
    while url and url[-1] in ".,;:!?'\"":
        url = url[:-1]
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    while url and url[-1] in ".,;:!?'\"":
        url = url[:-1]
    return url
