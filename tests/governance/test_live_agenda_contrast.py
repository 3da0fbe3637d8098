"""The live meeting's current agenda item reads at WCAG AA (4.5:1) at rest, under the pointer and with the
keyboard's focus: the colours the stylesheet's cascade gives it, worked out the way a browser does for the
simple selectors live.css uses on the agenda (a tag, classes, pseudo-classes; specificity, then order)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css"
SIMPLE = re.compile(r"^(?P<tag>[a-z]+)?(?P<classes>(?:\.[\w-]+)*)(?P<pseudos>(?::[\w-]+)*)$")


def custom_properties() -> dict[str, str]:
    """The `--pmo-*` colours of pmo.css's `:root`."""
    root = re.search(r":root\s*\{([^}]*)\}", (CSS / "pmo.css").read_text()).group(1)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))


def cascaded(sheet: str, *, tag: str, classes: set[str], state: set[str]) -> dict[str, str]:
    """Each property's winning value for the element: the matching rule of highest specificity, the last
    one on a tie. Rules with combinators (descendants) never match: the element is alone."""
    text = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    winners: dict[str, tuple[tuple, str]] = {}
    for order, (selectors, body) in enumerate(re.findall(r"([^{}]+)\{([^{}]*)\}", text)):
        for selector in selectors.split(","):
            match = SIMPLE.match(selector.strip())
            if not match:
                continue
            own_classes = set(match["classes"].split(".")[1:])
            pseudos = set(match["pseudos"].split(":")[1:])
            if match["tag"] not in (None, tag) or not own_classes <= classes or not pseudos <= state:
                continue
            rank = (len(own_classes) + len(pseudos), 1 if match["tag"] else 0, order)
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
                if name not in winners or rank >= winners[name][0]:
                    winners[name] = (rank, value.strip())
    return {name: value for name, (_, value) in winners.items()}


def rgb(value: str, variables: dict[str, str]) -> tuple[int, int, int]:
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value).strip()
    digits = value.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    def luminance(color):
        channels = [c / 255 for c in color]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("state", [set(), {"hover"}, {"focus-visible"}, {"hover", "focus-visible"}])
def test_the_current_agenda_item_stays_readable_under_the_pointer_and_the_focus(state):
    # The chair's screen: the agenda items are buttons (_agenda.html), the current one `is-current`.
    style = cascaded(
        (CSS / "live.css").read_text(), tag="button", classes={"live-agenda-item", "is-current"}, state=state
    )
    variables = custom_properties()

    ratio = contrast(rgb(style["color"], variables), rgb(style["background"], variables))

    assert ratio >= 4.5, f"{style['color']} on {style['background']} reads at {ratio:.1f}:1"
