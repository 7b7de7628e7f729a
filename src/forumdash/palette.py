"""The colours of the charts, in one place: colour-blind-safe, with the contrast each needs.

Categories take Okabe and Ito's palette ("Color Universal Design", 2002), which people with any
common colour-vision deficiency tell apart; ordered values (counts, rating scales) take a part of
viridis or cividis (matplotlib's perceptually uniform maps, made to read the same in grey and to
colour-blind eyes). Against the white page a chart's marks need a contrast of at least 3:1 and
its text 4.5:1 (WCAG 2.2, 1.4.11 and 1.4.3): Okabe-Ito's orange, sky blue, yellow and grey do not
reach 3:1 on white, so they are not used for marks here; a ramp either stops where its light end
would fall under it or its marks are outlined. `contrast` is WCAG's formula; the unit tests check
every colour a chart uses with it.

What a colour means stays the same across the app: published practices are blue and open
challenges vermillion wherever one colour draws them; on a page that compares countries, the
countries take the other categorical colours, never vermillion, so that no colour on a page
means two things.
"""

from collections.abc import Iterable

BACKGROUND = "#ffffff"  # the page behind every chart (the theme's backgroundColor)
INK = "#1b2430"  # chart text: the theme's textColor (15.6:1 on white)
MUTED_INK = "#555555"  # subtitles and notes (7.5:1)
OUTLINE = "#5f6670"  # the edge of a pale mark, such as "not rated" (5.9:1)

# Okabe-Ito, as published; those that reach 3:1 on white are named for their use below.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}
PRACTICES = OKABE_ITO["blue"]  # 5.2:1: published practices, and single-series charts
CHALLENGES = OKABE_ITO["vermillion"]  # 3.9:1: open challenges
# Categories in the order they take colours: blue, bluish green (3.4:1), reddish purple
# (3.1:1), then vermillion, which a page with open challenges keeps for them.
CATEGORIES = (
    OKABE_ITO["blue"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["vermillion"],
)
COMPARED = CATEGORIES[:3]  # countries side by side (the compare page, which has open challenges)

# matplotlib's viridis and cividis, at evenly spaced points from 0 to 1.
VIRIDIS = (
    "#440154",
    "#472d7b",
    "#3b528b",
    "#2c728e",
    "#21918c",
    "#28ae80",
    "#5ec962",
    "#addc30",
    "#fde725",
)
CIVIDIS = (
    "#00224e",
    "#123570",
    "#3b496c",
    "#575d6d",
    "#707173",
    "#8a8779",
    "#a69d75",
    "#c4b56c",
    "#e4cf5b",
    "#fee838",
)
# Light (few, low) to dark (many, high). Counts in heatmaps: the part of viridis that keeps 3:1
# on white, from teal (3.8:1) to deep purple (their cells are drawn on a white grid, each with its
# number). The levels of a rating scale: all of cividis, from yellow to navy (hues none of the
# categorical colours take), its light half under 3:1, so every segment has an OUTLINE.
COUNT_RAMP = tuple(reversed(VIRIDIS[:5]))
LEVEL_RAMP = tuple(reversed(CIVIDIS))
EMPTY_CELL = "#f2f4f7"  # a heatmap cell with nothing in it: the grid, not a mark
CELL_BORDER = BACKGROUND
TEXT_ON_DARK = "#ffffff"
TEXT_ON_LIGHT = "#000000"  # black, not INK: with white it keeps 4.5:1 on every ramp colour


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a #rrggbb colour (0 black to 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ramp(stops: tuple[str, ...], share: float) -> str:
    """The colour `share` (0 to 1) of the way along a ramp, between its two nearest stops."""
    share = max(0.0, min(1.0, share))
    position = share * (len(stops) - 1)
    index = min(int(position), len(stops) - 2)
    t = position - index
    low, high = _rgb(stops[index]), _rgb(stops[index + 1])
    return _hex(tuple(a + (b - a) * t for a, b in zip(low, high, strict=True)))


def count_colour(n: int, peak: int) -> str:
    """A heatmap cell's colour for n of at most `peak` (n >= 1): lighter for fewer."""
    return ramp(COUNT_RAMP, 0.0 if peak <= 1 else (n - 1) / (peak - 1))


def levels(n: int) -> list[str]:
    """n colours for the levels of a rating scale, from the lowest (light) to the highest."""
    if n <= 1:
        return list(LEVEL_RAMP[-1:]) * n
    return [ramp(LEVEL_RAMP, i / (n - 1)) for i in range(n)]


def text_on(fill: str) -> str:
    """The text colour that reads best on a fill: white or black."""
    return max((TEXT_ON_DARK, TEXT_ON_LIGHT), key=lambda ink: contrast(ink, fill))
