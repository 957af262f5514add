"""Fonts for chart labels: CJK model names ("通义千问", "文心一言") render with a CJK font when one is
installed (the Docker image and CI install fonts-wqy-microhei), else as a box per missing glyph.

matplotlib falls back glyph by glyph through a family list, but a glyph that no listed font has
draws as tofu AND warns ("Glyph ... missing from font(s)"), an error under warnings-as-errors.
`drawable` replaces such characters by "□" before drawing, so a chart never warns.
"""

from __future__ import annotations

import functools

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

BASE = "DejaVu Sans"  # matplotlib's bundled default
CJK = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
CJK_FILES = ("notosanscjk", "sourcehansans", "wqy-microhei", "wqy-zenhei", "droidsansfallback", "uming")
MISSING = "\u25a1"  # WHITE SQUARE, in DejaVu Sans


@functools.cache
def _installed() -> tuple[tuple[str, str], ...]:
    """(family, file) of the base font and every CJK family installed, in preference order.

    matplotlib caches its font list once per version, so a CJK font installed after that cache
    was written is looked for on disk and added."""
    manager = font_manager.fontManager
    if not any(entry.name in CJK for entry in manager.ttflist):
        for path in font_manager.findSystemFonts():
            if any(part in path.lower().rsplit("/", 1)[-1] for part in CJK_FILES):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
    files: dict[str, str] = {}
    for entry in manager.ttflist:
        files.setdefault(entry.name, entry.fname)
    return tuple((name, files[name]) for name in (BASE, *CJK) if name in files)


def families() -> list[str]:
    """The font family list for chart text: the base font, then the installed CJK fonts."""
    return [name for name, _ in _installed()] or [BASE]


@functools.cache
def _covered(char: str) -> bool:
    for _, path in _installed():
        try:
            if FT2Font(path).get_char_index(ord(char)):
                return True
        except (OSError, RuntimeError, ValueError):
            continue
    return not _installed()  # nothing to check against: let matplotlib draw it


def drawable(text: str) -> str:
    """`text` with every character no chart font can draw replaced by a box."""
    return "".join(ch if ch.isspace() or ch.isascii() or _covered(ch) else MISSING for ch in text)
