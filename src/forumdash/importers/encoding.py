"""Which text encoding a file is written in, decided on evidence, never guessed.

Spreadsheets saved on the region's computers come as UTF-8 (with or without a byte-order mark),
UTF-16, or a legacy Windows code page: Windows-1250 for Latin-script Serbian, Croatian, Bosnian,
Montenegrin, Albanian and Polish, Windows-1251 for Cyrillic, Windows-1252 for Western text,
sometimes ISO-8859-2. A file read in the wrong one imports as mojibake (`Šćčžđ` stored as
`Šæèžð`), so the rule is:

1. A byte-order mark decides (UTF-8, UTF-16, UTF-32); so does UTF-16 without one, whose ASCII
   text leaves every other byte zero.
2. A file that is valid UTF-8 from its first byte to its last is UTF-8 (pure ASCII included).
   UTF-8's structure makes this safe: legacy text is almost never valid UTF-8 by accident.
3. A file that is UTF-8 in places (at least one valid UTF-8 sequence for 20 bytes that are not:
   a few stray bytes, or UTF-8 mixed with another encoding) is refused, naming the first bad
   byte: no reading of it is right everywhere. Legacy text holds a valid UTF-8 sequence only by
   accident (`ÓŁ` in Windows-1250 happens to be one), far more rarely than that.
4. Otherwise the legacy code pages that can represent every byte of the file are candidates,
   charset-normalizer drops those whose reading of a sample is a mess, and the readings left are
   judged word by word: a word is odd when its letters belong to no one alphabet (Latin letters
   of a European language, or Cyrillic), or when a symbol sits inside it (`©abac`). Readings
   that give the same text are one reading. The file is read in a code page only when its
   reading has (almost) no odd words and every different reading has clearly more; otherwise
   the decoding is uncertain and the file is refused with a request for UTF-8.

What this refuses on purpose: a short file whose only evidence reads as well both ways (a lone
`Čačak` is `Èaèak` in Windows-1252, a French-looking word), and Western text whose accented
letters Windows-1250 also reads as letters (`naïve`/`naďve`, `São`/`Săo`). Saved as UTF-8, both
import. Text that is the same in every code page (`Café, Zürich`, Albanian's ë and ç) is read.

Everything is decided on bounded samples and bounded chunks: a 100 MB file is never held as one
decoded string here.
"""

import codecs
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import charset_normalizer
from charset_normalizer.utils import iana_name

from forumdash.i18n import N_, _

# Translated where shown (`_(SAVE_AS_UTF8)`).
# Translators: the menu names are Excel's and LibreOffice's own; write them as the versions in
# your language show them.
SAVE_AS_UTF8 = N_(
    "Save it as UTF-8 and upload it again: in Excel, File › Save As › "
    "“CSV UTF-8 (Comma delimited) (*.csv)”; in LibreOffice Calc, File › Save As › "
    "Text CSV, tick “Edit filter settings” and choose the character set “Unicode (UTF-8)”."
)

# Work in bounded pieces: the whole file is scanned chunk by chunk, and words are judged on a
# sample of at most SAMPLE_BYTES taken around its non-ASCII bytes.
CHUNK_BYTES = 1024 * 1024
SAMPLE_BYTES = 64 * 1024
_WINDOW = 160  # bytes each side of a non-ASCII byte, cut back to whole words
_ODD_TOLERANCE = 0.02  # a right reading may have this share of odd words (names, typos)


class EncodingError(ValueError):
    """A text whose encoding cannot be told for certain, or that no encoding reads whole."""


@dataclass(frozen=True)
class TextEncoding:
    """How a text file's bytes are read: a Python codec and the name people know it by."""

    codec: str
    label: str  # English, marked with N_(): `shown` translates it

    @property
    def shown(self) -> str:
        """The encoding's name in the current language."""
        return _(self.label)

    @property
    def note(self) -> str:
        """The line the import report gives it."""
        return _("read as {encoding}").format(encoding=self.shown)


UTF8 = TextEncoding("utf-8", N_("UTF-8"))
ASCII = TextEncoding("utf-8", N_("UTF-8 (plain ASCII)"))
UTF8_BOM = TextEncoding("utf-8-sig", N_("UTF-8 (with a byte-order mark)"))
UTF16 = TextEncoding("utf-16", N_("UTF-16"))
UTF32 = TextEncoding("utf-32", N_("UTF-32"))
UTF16_LE = TextEncoding("utf-16-le", N_("UTF-16 (little-endian, without a byte-order mark)"))
UTF16_BE = TextEncoding("utf-16-be", N_("UTF-16 (big-endian, without a byte-order mark)"))

# The legacy code pages considered, in the order a tie between identical readings names them.
LEGACY = (
    TextEncoding("cp1250", N_("Windows-1250 (Central European)")),
    TextEncoding("cp1252", N_("Windows-1252 (Western European)")),
    TextEncoding("iso8859_2", N_("ISO-8859-2 (Latin-2, Central European)")),
    TextEncoding("cp1251", N_("Windows-1251 (Cyrillic)")),
)
_BY_CODEC = {encoding.codec: encoding for encoding in LEGACY}

# Lowercase letters beyond ASCII of the Latin alphabets a file here may hold: the region's
# languages first, then the rest of Europe. A word whose letters fit none of them is odd.
LATIN_ALPHABETS = {
    "Bosnian, Croatian, Montenegrin, Serbian, Slovenian": "čćđšžśź",
    "Albanian": "ëç",
    "Polish": "ąćęłńóśźż",
    "German": "äöüß",
    "French": "àâçéèêëîïôœùûüÿ",  # æ left out: rare in French, and Windows-1252's ć
    "Spanish": "áéíñóúü",
    "Portuguese": "áâãàçéêíóôõú",
    "Italian": "àèéìíîòóùú",
    "Catalan": "àçéèíïòóúü",
    "Dutch": "éëïèöüáó",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Romanian": "ăâîșşțţ",
    "Turkish": "çğıöşüâî",
    "Danish, Norwegian": "æøåéó",
    "Swedish": "åäöé",
    "Finnish, Estonian": "äöåõüšž",
    "Icelandic": "áðéíóúýþæö",
    "Lithuanian": "ąčęėįšųūž",
    "Latvian": "āčēģīķļņšūž",
}
_ALPHABET_SETS = [frozenset(letters) for letters in LATIN_ALPHABETS.values()]
_WESTERN = frozenset().union(
    *(
        LATIN_ALPHABETS[name]
        for name in ("German", "French", "Spanish", "Portuguese", "Italian", "Catalan", "Dutch")
    ),
    *(LATIN_ALPHABETS[name] for name in ("Danish, Norwegian", "Swedish")),
)
_CYRILLIC = frozenset(chr(code) for code in range(0x0400, 0x0500)).union(
    ch.lower() for ch in map(chr, range(0x0400, 0x0500))
)
_ONE_ALPHABET = 0.95  # a reading one alphabet spells: this share of its letters beyond ASCII
_SEVERAL_ALPHABETS = 0.8  # a reading that needs several: no alphabet spells more than this

# Words are what lies between blanks, digits, ASCII punctuation and typographic punctuation
# (quotes, dashes, bullets, the euro and degree signs): a symbol such as © left inside a word is
# the mark of a wrong reading (ISO-8859-2's Š read as Windows-1250).
_WORD = re.compile(
    r"[^\s\d!-/:-@\[-`{-~\u00a0\u00ab\u00bb\u00b0\u00a7\u00b7\u2010-\u2027\u2030-\u205e\u20ac"
    r"\u2122]+"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HIGH = re.compile(rb"[\x80-\xff]")
_BLANK = re.compile(rb"[ \n]")
_ASCII_BYTES = bytes(range(128))
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f")
# One valid UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _chunks(data: bytes, size: int = CHUNK_BYTES) -> Iterator[memoryview]:
    view = memoryview(data)
    for start in range(0, len(data), size):
        yield view[start : start + size]


def looks_binary(data: bytes) -> bool:
    """More than 1% control bytes in the first 64 KB: not text (a stray NUL in a long text is)."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 100


def has_bom(data: bytes) -> bool:
    """Whether the text starts with a Unicode byte-order mark."""
    return _bom(data) is not None


def _bom(data: bytes) -> TextEncoding | None:
    if data.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return UTF32
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    return None


def utf16_without_bom(data: bytes) -> TextEncoding | None:
    """UTF-16 without a byte-order mark: mostly ASCII text leaves the high byte of each unit
    zero, so zeros fill one of the two byte positions and hardly ever the other."""
    sample = data[:65536]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    units = len(sample) // 2
    for zeros, others, encoding in ((odd, even, UTF16_LE), (even, odd, UTF16_BE)):
        if zeros > units * 0.3 and others < units * 0.02:
            try:
                sample.decode(encoding.codec)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def _first_invalid_utf8(data: bytes) -> int | None:
    """Where the first byte that is not UTF-8 is, or None if the whole file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    for chunk in _chunks(data):
        pending = len(decoder.getstate()[0])  # the start of a sequence cut by the last chunk
        try:
            decoder.decode(chunk, final=False)
        except UnicodeDecodeError as exc:
            return done - pending + exc.start
        done += len(chunk)
    pending = len(decoder.getstate()[0])
    return len(data) - pending if pending else None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _context(data: bytes, offset: int, width: int = 30) -> str:
    """The text around a byte on its line, as UTF-8 shows it (the bad byte as �)."""
    start = max(data.rfind(b"\n", 0, offset) + 1, offset - width)
    end = data.find(b"\n", offset)
    end = min(end if end >= 0 else len(data), offset + width)
    return data[start:end].decode("utf-8", "replace").strip()


def _window(data: bytes, offset: int, width: int = _WINDOW) -> bytes:
    """The bytes around `offset`, cut back to whole words (blanks bound the window)."""
    start, end = max(0, offset - width), min(len(data), offset + width)
    if start > 0:
        first_blank = _BLANK.search(data, start, offset)
        start = first_blank.end() if first_blank else start
    if end < len(data):
        last_blank = max(data.rfind(b" ", offset + 1, end), data.rfind(b"\n", offset + 1, end))
        end = last_blank if last_blank > offset else end
    return data[start:end]


def _high_bytes(data: bytes) -> set[int]:
    """Every byte value above 127 the file holds, found chunk by chunk."""
    present: set[int] = set()
    for chunk in _chunks(data):
        present.update(bytes(chunk).translate(None, _ASCII_BYTES))
        if len(present) == 128:
            break
    return present


def _sample(data: bytes, high: set[int], first_bad: int) -> bytes:
    """Up to SAMPLE_BYTES of words around non-ASCII bytes: the first ones of the file, around
    the first byte that is not UTF-8, and one place for every non-ASCII byte value the file
    holds, so that each byte that tells code pages apart is judged in a word."""
    windows = [_window(data, first_bad)]
    size = len(windows[0])
    covered = set(windows[0])
    for value in sorted(high - covered):
        window = _window(data, data.find(bytes([value])))
        windows.append(window)
        covered |= set(window)
        size += len(window) + 1
    position = 0
    while size < SAMPLE_BYTES:
        match = _HIGH.search(data, position)
        if match is None:
            break
        window = _window(data, match.start())
        windows.append(window)
        size += len(window) + 1
        position = max(match.start() + _WINDOW, match.end())
    return b"\n".join(windows)


def _utf8_share(sample: bytes) -> tuple[int, int]:
    """(valid UTF-8 sequences, non-ASCII bytes that are in none) in a sample."""
    high = len(sample.translate(None, _ASCII_BYTES))
    sequences = _UTF8_SEQUENCE.findall(sample)
    return len(sequences), high - sum(len(s) for s in sequences)


def _is_odd(word: str) -> bool:
    """A word no alphabet spells: letters of two alphabets, Latin mixed with Cyrillic, a
    control character, or a symbol inside it."""
    if word.isascii():
        return False
    if _CONTROL.search(word):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) != len(word):
        return len(letters) > 0  # a lone symbol (©, ±) is text; one inside a word is not
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if cyrillic:
        return len(cyrillic) != len(letters)
    foreign = {ch for ch in word.lower() if not ch.isascii()}
    return not any(foreign <= alphabet for alphabet in _ALPHABET_SETS)


def odd_words(text: str) -> tuple[list[str], int]:
    """The odd words of a text and how many of its words are not plain ASCII."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    return [w for w in words if _is_odd(w)], len(words)


def alphabet_share(text: str) -> float:
    """The largest share of a text's letters beyond ASCII that one alphabet spells (1.0 for a
    text without such letters): text in one language scores near 1, a wrong reading that needs
    French è, Danish æ and Icelandic ð at once scores low."""
    letters = Counter(ch for ch in text.lower() if ch.isalpha() and not ch.isascii())
    total = sum(letters.values())
    if not total:
        return 1.0
    best = max(
        sum(n for letter, n in letters.items() if letter in alphabet)
        for alphabet in [*_ALPHABET_SETS, _CYRILLIC]
    )
    return best / total


@dataclass
class _Reading:
    encodings: list[TextEncoding]
    text: str
    odd: list[str]
    words: int
    share: float


def _differing_word(first: str, second: str) -> tuple[str, str]:
    """The first word two readings of the same bytes spell differently."""
    for a, b in zip(_WORD.findall(first), _WORD.findall(second), strict=False):
        if a != b:
            return a, b
    return first[:20], second[:20]


def _legacy(data: bytes, high: set[int], sample: bytes) -> TextEncoding:
    """The one legacy code page whose reading is plausible, or EncodingError."""
    possible = []
    for encoding in LEGACY:
        try:
            text = bytes(sorted(high)).decode(encoding.codec)
        except UnicodeDecodeError:
            continue  # a byte of the file means nothing in this code page
        if not _CONTROL.search(text):  # ISO-8859-2 has control codes where Windows has letters
            possible.append(encoding)
    if not possible:
        raise EncodingError(
            _(
                "the text is not UTF-8, and no encoding used here (Windows-1250, Windows-1251, "
                "Windows-1252, ISO-8859-2) reads every byte of it"
            )
        )
    matches = charset_normalizer.from_bytes(
        sample,
        steps=1,
        chunk_size=max(len(sample), 1),
        cp_isolation=[encoding.codec for encoding in possible],
        preemptive_behaviour=False,
    )
    clean = {match.encoding for match in matches} | {
        name for match in matches for name in match.could_be_from_charset
    }
    readings: dict[str, _Reading] = {}
    for encoding in possible:
        if iana_name(encoding.codec, False) not in clean:
            continue  # charset-normalizer found its reading a mess
        text = sample.decode(encoding.codec)
        if text in readings:
            readings[text].encodings.append(encoding)
            continue
        odd, words = odd_words(text)
        readings[text] = _Reading([encoding], text, odd, words, alphabet_share(text))
    if not readings:
        raise EncodingError(_("the text is not UTF-8 and reads as a mess in every encoding tried"))
    chosen = _decide(sorted(readings.values(), key=lambda r: len(r.odd)))
    # Code pages that read the file alike: name the one made for its letters (Windows-1250 for
    # the region's, Albanian's ë and ç included).
    letters = {ch for ch in chosen.text.lower() if ch.isalpha() and not ch.isascii()}
    albanian = letters <= set(LATIN_ALPHABETS["Albanian"])
    western = _BY_CODEC["cp1252"] in chosen.encodings and letters <= _WESTERN and not albanian
    return _BY_CODEC["cp1252"] if western else chosen.encodings[0]


def _decide(ranked: list[_Reading]) -> _Reading:
    """The reading with fewest odd words, when it has almost none and every different reading
    has clearly more; on a tie, the one reading that one alphabet spells while the others need
    several. Anything else is uncertain."""
    best = ranked[0]
    name = best.encodings[0].shown
    if len(best.odd) > _ODD_TOLERANCE * max(best.words, 1):
        example = ", ".join(f"“{w}”" for w in list(dict.fromkeys(best.odd))[:3])
        raise EncodingError(
            _(
                "the text is not UTF-8, and even its likeliest reading ({encoding}) has words "
                "no language spells ({examples})"
            ).format(encoding=name, examples=example)
        )
    rivals = [r for r in ranked[1:] if len(r.odd) <= 2 * len(best.odd)]
    if not rivals:
        return best
    contenders = [best, *rivals]
    single = [r for r in contenders if r.share >= _ONE_ALPHABET]
    if len(single) == 1 and all(
        r.share <= _SEVERAL_ALPHABETS for r in contenders if r is not single[0]
    ):
        return single[0]
    first, second = contenders[0], contenders[1]
    ours, theirs = _differing_word(first.text, second.text)
    raise EncodingError(
        _(
            "the text is not UTF-8, and it reads as well in {first} (“{first_word}”) as in "
            "{second} (“{second_word}”): its encoding cannot be told for certain"
        ).format(
            first=first.encodings[0].shown,
            first_word=ours,
            second=second.encodings[0].shown,
            second_word=theirs,
        )
    )


def detect_encoding(data: bytes) -> TextEncoding:
    """The encoding a text file is written in (see the module's rule). Raises EncodingError
    when it cannot be told for certain or no encoding reads the whole file."""
    found = _bom(data) or utf16_without_bom(data)
    if found is not None:
        return found
    first_bad = _first_invalid_utf8(data)
    if first_bad is None:
        return ASCII if data.isascii() else UTF8
    high = _high_bytes(data)
    sample = _sample(data, high, first_bad)
    valid, invalid = _utf8_share(sample)
    if valid * 20 >= invalid:  # UTF-8 with stray bytes, or mixed with another encoding
        raise EncodingError(
            _(
                "the text is UTF-8 in places but not everywhere: byte {byte} on line {line} "
                "is not (“{context}”)"
            ).format(
                byte=f"0x{data[first_bad]:02X}",
                line=_line_of(data, first_bad),
                context=_context(data, first_bad),
            )
        )
    return _legacy(data, high, sample)


def text_stream(data: bytes, encoding: TextEncoding) -> io.TextIOWrapper:
    """The file's text, decoded as it is read (newlines kept as written, for the csv module)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding.codec, newline="")


def text_prefix(data: bytes, encoding: TextEncoding, chars: int = 65536) -> str:
    """The first `chars` characters of the text (a byte-order mark removed)."""
    with text_stream(data, encoding) as stream:
        return stream.read(chars).lstrip("\ufeff")
