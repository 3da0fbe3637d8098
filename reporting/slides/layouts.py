"""The presentation the slides are built in: the organisation's template, or a clean 16:9 default.

- `presentation(template)` opens the PMO's active `SlideTemplate` (.pptx, or .potx read as a .pptx: its
  main part's content type is rewritten in memory), with the slides it holds removed: only its masters,
  layouts and theme are kept. Without a template, python-pptx's default presentation widened to 16:9.
- `Layouts` finds the layout of each kind of slide by its name in the template (English or French, the
  names PowerPoint gives its own layouts: "Title Slide" / "Diapositive de titre", "Title Only" / "Titre
  seul"...), else by its place in PowerPoint's standard order, else the first layout there is.
- `inspect(data)` checks an upload: a real PowerPoint file by its content (a zip holding a presentation
  PowerPoint can open, not just a name ending in .pptx), within size limits, and returns its layouts'
  names; a `ValidationError` with a message the PMO can act on otherwise.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import SlideLayout
from pptx.util import Emu, Inches

CONTENT_TYPES = "[Content_Types].xml"
TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
MAX_BYTES = 30 * 1024 * 1024  # an upload larger than this is refused
MAX_INFLATED = 200 * 1024 * 1024  # so is one that unzips to more than this (a zip bomb)
WIDE = (Inches(13.333), Inches(7.5))

# Each kind of slide: the layout names looked for (compared without case, spaces or punctuation), then
# the layout's index in PowerPoint's standard order.
KINDS: dict[str, tuple[tuple[str, ...], int]] = {
    "title": (("Title Slide", "Diapositive de titre", "Titre", "Title", "Couverture", "Cover"), 0),
    "content": (("Title and Content", "Titre et contenu", "Content", "Contenu"), 1),
    "title_only": (("Title Only", "Titre seul"), 5),
    "blank": (("Blank", "Vide"), 6),
}
LAYOUT_NAMES = {kind: names for kind, (names, _index) in KINDS.items()}


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).casefold()


def as_presentation_bytes(data: bytes) -> bytes:
    """The file as python-pptx opens it: a .potx's main part is declared a presentation's."""
    with zipfile.ZipFile(BytesIO(data)) as source:
        types = source.read(CONTENT_TYPES)
        if TEMPLATE_TYPE not in types:
            return data
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == CONTENT_TYPES:
                    content = types.replace(TEMPLATE_TYPE, PRESENTATION_TYPE)
                target.writestr(info, content)
    return out.getvalue()


def inspect(data: bytes) -> list[str]:
    """The layout names of an uploaded template; a ValidationError saying what is wrong otherwise."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}, code="size"
        )
    not_powerpoint = ValidationError(
        _("This is not a PowerPoint template: save it from PowerPoint as a .pptx or .potx file."),
        code="format",
    )
    if not zipfile.is_zipfile(BytesIO(data)):
        raise not_powerpoint
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED:
                raise ValidationError(_("The file unpacks to too much data to be a template."), code="size")
            names = set(archive.namelist())
            if CONTENT_TYPES not in names or "ppt/presentation.xml" not in names:
                raise not_powerpoint
        deck = Presentation(BytesIO(as_presentation_bytes(data)))
    except ValidationError:
        raise
    except Exception:  # a damaged zip or XML, another Office file: python-pptx's many errors
        raise not_powerpoint from None
    layouts = [layout.name for layout in deck.slide_layouts]
    if not layouts:
        raise ValidationError(_("The template has no slide layout."), code="layouts")
    return layouts


def presentation(data: bytes | None) -> Deck:
    """The presentation to add slides to: the template's (its slides removed), else the default."""
    if data is None:
        return default_presentation()
    deck = Presentation(BytesIO(as_presentation_bytes(data)))
    slide_ids = deck.slides._sldIdLst
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return deck


def default_presentation() -> Deck:
    """python-pptx's own template (4:3) widened to 16:9: its masters' and layouts' shapes spread across."""
    deck = Presentation()
    factor = WIDE[0] / deck.slide_width
    deck.slide_width, deck.slide_height = WIDE
    for master in deck.slide_masters:
        for shape in [*master.shapes, *(s for layout in master.slide_layouts for s in layout.shapes)]:
            xfrm = getattr(shape._element.spPr, "xfrm", None) if hasattr(shape._element, "spPr") else None
            if xfrm is not None and xfrm.off is not None:
                shape.left, shape.width = Emu(int(shape.left * factor)), Emu(int(shape.width * factor))
    return deck


def default_template() -> bytes:
    """The default template as a file the PMO can restyle and upload again."""
    out = BytesIO()
    default_presentation().save(out)
    return out.getvalue()


class Layouts:
    """The layout to use for each kind of slide in a presentation (see KINDS)."""

    def __init__(self, deck: Deck) -> None:
        self.all = list(deck.slide_layouts)
        self.by_name = {_key(layout.name): layout for layout in reversed(self.all)}

    def found(self, kind: str) -> tuple[SlideLayout, bool]:
        """The layout for `kind`, and whether it was found by its name."""
        names, index = KINDS[kind]
        for name in names:
            if (layout := self.by_name.get(_key(name))) is not None:
                return layout, True
        return (self.all[index] if index < len(self.all) else self.all[0]), False

    def __getitem__(self, kind: str) -> SlideLayout:
        return self.found(kind)[0]


def matches(layout_names: list[str]) -> list[tuple[str, str, bool]]:
    """For the template page: each kind of slide, the layout it will use, and whether by name."""
    keys = {_key(name): name for name in reversed(layout_names)}
    result = []
    for kind, (names, index) in KINDS.items():
        by_name = next((keys[_key(name)] for name in names if _key(name) in keys), None)
        if by_name is not None:
            result.append((kind, by_name, True))
        else:
            result.append(
                (kind, layout_names[index] if index < len(layout_names) else layout_names[0], False)
            )
    return result
