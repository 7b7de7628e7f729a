"""Rich text from other systems (Markdown and HTML) as safe Markdown and as plain text."""

import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from forumdash.rich_text import has_markup, to_markdown, to_plain_text
from forumdash.text import escape_markdown

DATA = Path(__file__).resolve().parents[2] / "data"
IMAGE_ICON = ":material/image: "


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Plain text: exactly what escape_markdown made of it before.
        (
            "Plain text.\nSecond line.\n\nNew paragraph.",
            "Plain text\\.\nSecond line\\.\n\nNew paragraph\\.",
        ),
        ("a_b_c snake_case * 5 * 3", "a\\_b\\_c snake\\_case \\* 5 \\* 3"),
        ("$5 and $10", "\\$5 and \\$10"),
        (":material/home: :red[x] :smile:", "\\:material/home\\: \\:red\\[x\\] \\:smile\\:"),
        ("mail me@example.org", "mail me\\@example\\.org"),
        ("a < b and c > d", "a \\< b and c \\> d"),
        ("use <placeholder> here", "use \\<placeholder\\> here"),
        # Images: a link to the image with its alt text, marked as an image; never an image.
        (
            "![Missing alt text](https://example.org/x.png)",
            IMAGE_ICON + "[Missing alt text](https://example.org/x.png)",
        ),
        ('<img src="https://e.org/i.png">', IMAGE_ICON + "[Image](https://e.org/i.png)"),
        ('<IMG SRC="javascript:alert(1)" alt="x">', "x"),
        ("<img src=x onerror=alert(1)>", ""),
        (
            '<a href="https://ok.org"><img src="https://e.org/i.png" alt="pic"></a>',
            "[pic](https://ok.org)",
        ),
        ("[![alt](https://e.org/i.png)](https://e.org/page)", "[alt](https://e.org/page)"),
        # Wrapper divs do not hide the Markdown they wrap.
        (
            '<div class="group">\n> Please state the problem.\n</div>',
            "> Please state the problem\\.",
        ),
        ('<div class="group">> Please state...</div>', "> Please state\\.\\.\\."),
        # Markdown right after a line of HTML is read as Markdown.
        (
            "<h3>Problem</h3>\n> Please state.\n- item",
            "##### Problem\n\n> Please state\\.\n\n- item",
        ),
        ("<ul>\n<li>a</li>\n<li>b <i>c</i></li>\n</ul>\nafter *md*", "- a\n- b *c*\n\nafter *md*"),
        ("<p>Intro <b>x</b></p>\n**md** text", "Intro **x**\n\n**md** text"),
        ("<section><h2>T</h2>\n\ntext</section>", "##### T\n\ntext"),
        ("<iframe src=x></iframe><script>x</script>\n**md** after", "**md** after"),
        ("<ul>\n<li>a</li>\n</ul>\n[l](https://e.org)", "- a\n\n[l](https://e.org)"),
        # Emphasis, code.
        ("**bold** and _it_ and ~~gone~~", "**bold** and *it* and ~~gone~~"),
        ("`code :red[x] $y$`", "`code :red[x] $y$`"),
        ("``a ` b``", "``a ` b``"),
        ("<b>Note:</b>text", "**Note\\:** text"),
        ("<b><i>x</b></i> y", "***x*** y"),
        ("<strong> spaced </strong>word", "**spaced** word"),
        ("<del><s>twice</s></del>", "~~twice~~"),
        ("```\ncode <b>x</b>\n```", "```\ncode <b>x</b>\n```"),
        ("<pre>a ``` b\n  c</pre>", "````\na ``` b\n  c\n````"),
        # Paragraphs and breaks.
        ("<p>One</p><p>Two &nbsp;words<br>line</p>", "One\n\nTwo words\\\nline"),
        ("x<br><br>y", "x\n\ny"),
        ("Line one  \nline two", "Line one\\\nline two"),
        # Headings sit under the page's section headings: the top one is h5.
        ("<h3>Heading</h3><h4>Sub</h4>text", "##### Heading\n\n###### Sub\n\ntext"),
        ("<h1>A</h1><h2>B</h2><h6>C</h6>", "##### A\n\n###### B\n\n###### C"),
        ("# Title\n\nSetext\n---\n\ntext", "##### Title\n\n###### Setext\n\ntext"),
        # Lists.
        ("<ul><li>one</li><li>two <b>bold</b></li></ul>", "- one\n- two **bold**"),
        ("<ul><li>a<li>b</ul>", "- a\n- b"),
        ("<li>stray</li>", "- stray"),
        ('<ol start="3"><li>c</li><li>d</li></ol>', "3. c\n4. d"),
        (
            "1. first\n2. second\n   - nested\n\n- a\n- b",
            "1. first\n2. second\n   - nested\n\n- a\n- b",
        ),
        ("- a\n- b\n\n\n* c", "- a\n- b\n\n* c"),
        ("Intro:\n- one\n- two", "Intro\\:\n\n- one\n- two"),
        ("<ul><li><p>para</p><p>more</p></li></ul>", "- para\n\n  more"),
        # Quotes, rules, definition lists, details.
        ("> quote\n> more\n>\n> > nested", "> quote\n> more\n>\n> > nested"),
        ("a\n\n***\n\nb", "a\n\n---\n\nb"),
        ("<dl><dt>Term</dt><dd>Def</dd></dl>", "**Term**\n\nDef"),
        ("<details><summary>More</summary>hidden</details>", "**More**\n\nhidden"),
        # Tables (GFM), from HTML or Markdown; a pipe in a cell stays in its cell.
        (
            "<table><tr><th>A</th><th>B|c</th></tr><tr><td>1</td><td>2</td></tr></table>",
            "| A | B\\|c |\n| --- | --- |\n| 1 | 2 |",
        ),
        (
            "<table><caption>Cap</caption><thead><tr><th>h1</th><th>h2</th></tr></thead>"
            "<tbody><tr><td>a</td></tr></tbody></table>",
            "**Cap**\n\n| h1 | h2 |\n| --- | --- |\n| a |   |",
        ),
        ("| x | y |\n|---|---|\n| 1 | 2 |", "| x | y |\n| --- | --- |\n| 1 | 2 |"),
        # Links: http(s) only; targets encoded so they cannot break out of the link.
        ('<a href="https://e.org/a(b)">link</a>', "[link](https://e.org/a%28b%29)"),
        ('<a href="https://e.org/a)b">p</a>', "[p](https://e.org/a%29b)"),
        ('<a href="https://e.org/a|b">p</a>', "[p](https://e.org/a%7Cb)"),
        ('<a href="javascript:alert(1)">js</a>', "js"),
        ('<a href=" javascript:alert(1)">a</a>', "a"),
        ('<a href="/relative">rel</a> <a href="#x">frag</a>', "rel frag"),
        ("[md](javascript:x)", "md"),
        ("![pic](data:image/png;base64,AAAA) [a](vbscript:x) [b](file:///etc)", "pic a b"),
        ("[ref]\n\n[ref]: https://e.org/r", "[ref](https://e.org/r)"),
        ("<https://e.org/auto>", "[https\\://e\\.org/auto](https://e.org/auto)"),
        ("<mailto:me@example.org>", "mailto\\:me\\@example\\.org"),
        ('<a href="https://e.org"></a>', "[https\\://e\\.org](https://e.org)"),
        (
            "See https://example.org/page. And (https://e.org/x).",
            "See [https\\://example\\.org/page](https://example.org/page)\\. "
            "And \\([https\\://e\\.org/x](https://e.org/x)\\)\\.",
        ),
        # Dropped with their contents: scripts, styles, frames, embedded documents, forms.
        ("<script>alert(1)</script>after", "after"),
        ("<style>body{}</style>\n\n**b**", "**b**"),
        ('<iframe src="https://e.org">inside</iframe>tail', "tail"),
        ("<iframe src=x>", ""),
        ("<iframe src=x>\n\nThe rest of the body.", "The rest of the body\\."),
        ("<p>a<object data=x>\n\n**b**", "a\n\n**b**"),
        # Word's HTML: its namespaced tags and document properties are markup, not text.
        (
            '<p class="MsoNormal">Text<o:p></o:p></p><xml><w:WordDocument>x</w:WordDocument></xml>',
            "Text",
        ),
        ("<!--[if gte mso 9]><xml>x</xml><![endif]--><my-card>inside</my-card>", "inside"),
        ("<svg onload=alert(1)><circle/></svg>after", "after"),
        ("<math><mi>x</mi></math>y", "y"),
        ('<meta http-equiv="refresh" content="0;url=https://evil">t', "t"),
        ('<form action="https://evil"><input value=x><button>Go</button></form>t', "t"),
        ("x <!-- comment --> y", "x y"),
        ("<p>a</p>\n\n<!-- x -->\n\n<p>b</p>", "a\n\nb"),
        # Other HTML is reduced to its text; entities are read.
        ('<span style="color:red" onclick="x()">red</span> <u>u</u>', "red u"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "\\<script\\>alert\\(1\\)\\</script\\>"),
        ("&#x202E;abc", "abc"),
        ("Ivo &amp; Ana", "Ivo \\& Ana"),
    ],
)
def test_to_markdown(source, expected):
    assert to_markdown(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Plain text.\nSecond line.", "Plain text.\nSecond line."),
        ("![Missing alt text](https://example.org/x.png) caption", "Missing alt text caption"),
        ("<p>Para</p><ul><li>one</li><li>two <b>bold</b></li></ul>", "Para\n\n• one\n• two bold"),
        ("1. first\n2. second\n   - nested", "1. first\n2. second\n  • nested"),
        ("<h3>Heading</h3>text", "Heading\n\ntext"),
        (
            "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
            "A · B\n1 · 2",
        ),
        ('<a href="https://e.org">label</a> <script>x</script>', "label"),
        ("a<br>b", "a\nb"),
        ("&#x202E;abc &lt;b&gt;", "abc <b>"),
    ],
)
def test_to_plain_text(source, expected):
    assert to_plain_text(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Plain text, with a URL https://e.org and 5 * 3.", False),
        ("Two\n\nparagraphs", False),
        ("**bold**", True),
        ("<p>para</p>", True),
        ("![x](https://e.org/x.png)", True),
        ("<script>alert(1)</script>", True),
    ],
)
def test_has_markup(source, expected):
    assert has_markup(source) is expected


def _seed_texts() -> list[str]:
    texts = []
    for practice in yaml.safe_load((DATA / "practices.yaml").read_text(encoding="utf-8")):
        fields = ("summary", "transferability", "transfer_conditions")
        texts += [practice.get(f) or "" for f in fields]
        texts += list((practice.get("body") or {}).values())
    for challenge in yaml.safe_load((DATA / "challenges.yaml").read_text(encoding="utf-8")):
        texts.append(challenge.get("description") or "")
    return [t for t in texts if t]


def test_plain_seed_text_renders_exactly_as_before():
    """Every long text of the seed (plain text) gives the Markdown escape_markdown gave."""
    texts = _seed_texts()
    assert len(texts) > 300
    changed = [t[:80] for t in texts if to_markdown(t) != escape_markdown(t)]
    assert changed == []


HOSTILE = [
    '<img src=x onerror="alert(1)"> **Bold** [click](javascript:alert(2))',
    "![tracker](http://198.51.100.7/pixel.png) <script>alert(3)</script>",
    "<a href='javascript:alert(4)' onmouseover='alert(5)'>hover</a> $x^2$ \u202eevil",
    "[x](data:text/html,<script>alert(6)</script>) <iframe>",
    "<b onclick=alert(7)>Inst</b> <svg onload=alert(10)>",
    "![x](javascript:alert(1)) ![y](data:image/png;base64,AAAA) ![z](//evil.example/p.png)",
    "<img src='https://evil.example/p.png' alt='x'> <image src=https://evil.example/q.png>",
    '<a href="https://ok.org">![in](https://evil.example/p.png)</a>',
    "<IFRAME SRC=javascript:alert(1)></IFRAME> <object data=x></object> <embed src=x>",
    "<video src=x onerror=alert(1)></video><audio src=x></audio><source src=x>",
    "<scr<script>ipt>alert(1)</script> <<script>script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>--> <![CDATA[<img src=x>]]>",
    '<a href="jav&#x09;ascript:alert(1)">t</a> <a href="&#106;avascript:alert(1)">u</a>',
    "[a](<javascript:alert(1)>) [b](JAVASCRIPT:alert(1)) [c]( javascript:alert(1))",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)> <data:text/html,x> <vbscript:x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import 'https://evil.example/x.css';</style><link rel=stylesheet href=https://e.x>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    ":red[red] :material/home: :smile: $$\\int$$ :streamlit: :orange-badge[b]",
    "<- -> <-> -- >= <= ~= {color}",
    "``` \n<img src=x onerror=alert(1)>\n```\n\n    <script>alert(1)</script>",
    "<div><p><ul><li><h1><a href=https://ok.org><img src=https://evil.example/p.png>",
    "<table><tr><td><img src=https://e.x/p.png alt='a|b'></td></tr></table>",
    "www.evil.example and https://ok.org/a_(b) and me@evil.example",
    "<a href='https://ok.org/\") ![x](https://evil.example/p.png'>t</a>",
    '[t](https://ok.org/ "title") [u](https://ok.org/x\'onmouseover=alert(1))',
    "<a href=https://ok.org/`x`>t</a> <a href='https://ok.org/<script>'>u</a>",
    "&lt;img src=x onerror=alert(1)&gt; &#60;script&#62;",
    "\\<img src=x onerror=alert(1)\\> \\![x](https://evil.example/p.png)",
    "<" * 50 + "div" + ">" * 50,
    "<div>" * 3000 + "deep" + "</div>" * 3000,
    "> " * 500 + "deep quote",
    "- " * 300 + "deep list",
    "*" * 2000 + "a" + "_" * 2000,
    "[" * 1000 + "x" + "](https://ok.org)" * 1000,
]

# What Markdown as Streamlit renders it must read in the output: GFM with raw HTML recognised.
_CHECKER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _tokens(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(_tokens(token.children or []))
    return out


def _outside_code_and_links(markdown: str) -> str:
    """The output without code (shown literally), link targets and the image icon we write."""
    text = re.sub(r"(`{3,})\n.*?\n\1", "", markdown, flags=re.DOTALL)
    text = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)
    text = re.sub(r"\]\(https?://[^\s()]*\)", "]", text)
    return text.replace(IMAGE_ICON, "")


def _unescaped(text: str, chars: str) -> list[str]:
    found, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in chars:
            found.append(text[max(0, index - 15) : index + 15])
        index += 1
    return found


@pytest.mark.parametrize("source", HOSTILE, ids=[str(n) for n in range(len(HOSTILE))])
def test_hostile_text_leaves_nothing_live(source):
    for markdown in (to_markdown(source), to_markdown(to_plain_text(source))):
        tokens = _tokens(_CHECKER.parse(markdown))
        kinds = {t.type for t in tokens}
        assert not kinds & {"html_block", "html_inline", "image"}, markdown
        for token in tokens:
            if token.type == "link_open":
                assert re.match(r"https?://[^/\s]", str(token.attrs["href"])), markdown
        rest = _outside_code_and_links(markdown)
        # No HTML, image syntax, LaTeX, Streamlit directives or shortcodes, autolinks (www., @).
        assert _unescaped(rest, "<!$:@{}&") == [], markdown
        assert "![" not in rest.replace("\\![", "")
        for word in ("javascript", "vbscript", "data:"):
            for token in tokens:
                if token.type == "link_open":
                    assert word not in str(token.attrs["href"]).lower()


def test_code_keeps_its_text_literally():
    markdown = to_markdown("`<img src=x onerror=alert(1)>`")
    assert markdown == "`<img src=x onerror=alert(1)>`"
    kinds = {t.type for t in _tokens(_CHECKER.parse(markdown))}
    assert kinds == {"paragraph_open", "inline", "code_inline", "paragraph_close"}


def test_a_long_imported_body_keeps_its_structure():
    body = "\n".join(
        [
            '<div class="group">',
            "<h3>Problem</h3>",
            "> Please state the problem the practice addresses.",
            "</div>",
            "",
            "Citizens could not find **budget** data. See [the portal](https://e.org/budget).",
            "",
            "<ul><li>Published monthly</li><li>Machine-readable &amp; open</li></ul>",
            "",
            "![Missing alt text](https://example.org/chart.png)",
        ]
        * 50
    )
    markdown = to_markdown(body)
    assert markdown.count("##### Problem") == 50
    assert markdown.count("> Please state the problem the practice addresses\\.") == 50
    assert markdown.count("- Machine\\-readable \\& open") == 50
    assert markdown.count(IMAGE_ICON + "[Missing alt text](https://example.org/chart.png)") == 50
    assert "<" not in markdown.replace("\\<", "")


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("<p>before <![a]> after</p>", "after"),
        ("<h1><![a][1]> title</h1>", "title"),
        ("<p>before <![a] cut</p> after", "after"),
        ("<p>x <![if !supportLists]>1.<![endif]> y</p>", "y"),
    ],
)
def test_a_marked_section_of_no_known_kind_reads_without_error(source, kept):
    # Python's HTML parser raised AssertionError on `<![name` with a name other than CDATA,
    # IF, ... (a traceback on every page showing the text, /review included); a browser reads
    # it as a comment up to the next `>`, and so does the reader here.
    plain = to_plain_text(source)
    assert plain.endswith(kept) and "<!" not in plain
    assert to_markdown(source).endswith(kept)


def test_small_type_stays_one_directive_whatever_the_text_holds() -> None:
    """A blank line inside `:small[…]` ends the directive and shows it literally: the text is
    put on one line first (a card's facts and a challenge's best match are made with it)."""
    from forumdash.ui import render

    text = render.escape_markdown("A title\n\nwith a blank line]and a bracket")
    small = render.small_markdown(text)
    assert small.startswith(":small[") and small.endswith("]")
    assert "\n" not in small
    assert small.count("[") == 1 and small.count("]") == 1 + small.count("\\]")
    assert render.facts_markdown(["Kosovo", "two\n\nlines"], small=True).count("\n") == 0
