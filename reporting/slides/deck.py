"""Drawing slides: a title, native tables, native charts and text boxes, placed below the title of the
layout in use and within the slide, whatever the template's size.

Charts are PowerPoint's own (`add_chart`), tables are PowerPoint tables: the reader edits them in
PowerPoint, restyles them with the organisation's theme, and copies a figure without retyping it. The
text is what the caller gives, already in the report's language; nothing here formats a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from reporting.slides.layouts import Layouts, presentation

MARGIN = Inches(0.5)
GAP = Inches(0.2)
# The RAG and confidence colours of the PDFs and the dashboard.
COLOURS = {
    "green": RGBColor(0x2E, 0x7D, 0x32),
    "amber_green": RGBColor(0x9E, 0x9D, 0x24),
    "amber": RGBColor(0xF9, 0xA8, 0x25),
    "amber_red": RGBColor(0xEF, 0x6C, 0x00),
    "red": RGBColor(0xC6, 0x28, 0x28),
    "": RGBColor(0x9E, 0x9E, 0x9E),
}
MUTED = RGBColor(0x61, 0x61, 0x61)
DARK_TEXT_ON = ("amber", "amber_green")  # white on yellow does not read
LONG_TITLES = ((55, 26), (30, 32))  # characters, then the size in points


def shorten(text: str, limit: int) -> str:
    """A narrative cut to what its part of a slide holds; the PDF and the project's page have it all."""
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


class Box:
    """A rectangle on the slide, in EMU."""

    def __init__(self, left: int, top: int, width: int, height: int) -> None:
        self.left, self.top, self.width, self.height = int(left), int(top), int(width), int(height)

    def columns(self, count: int, gap: int = GAP) -> list[Box]:
        width = (self.width - gap * (count - 1)) // count
        return [Box(self.left + n * (width + gap), self.top, width, self.height) for n in range(count)]

    def split(self, top_height: int, gap: int = GAP) -> tuple[Box, Box]:
        top_height = min(int(top_height), self.height)
        upper = Box(self.left, self.top, self.width, top_height)
        lower = Box(
            self.left, self.top + top_height + gap, self.width, max(self.height - top_height - gap, 0)
        )
        return upper, lower


class Deck:
    """A presentation being built from the template's bytes (None: the default)."""

    def __init__(self, template: bytes | None) -> None:
        self.prs = presentation(template)
        self.layouts = Layouts(self.prs)
        self.width, self.height = self.prs.slide_width, self.prs.slide_height

    def save(self) -> bytes:
        out = BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # --- Slides ------------------------------------------------------------------------------------

    def title_slide(self, title: str, lines: Sequence[str]) -> Slide:
        """The cover: the title, and the lines (scope, period, as-at) in the subtitle placeholder."""
        slide = self.prs.slides.add_slide(self.layouts["title"])
        self._title(slide, title, fit=False)  # the cover's title has the room
        subtitle = next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)
        text = "\n".join(line for line in lines if line)
        if subtitle is not None:
            subtitle.text_frame.text = text
        else:
            box = Box(MARGIN, self.height // 2, self.width - 2 * MARGIN, self.height // 3)
            self.text(slide, box, [text])
        self._clear_empty(slide)
        return slide

    def slide(self, title: str) -> tuple[Slide, Box]:
        """A slide with a title (the "Title Only" layout) and the free area beneath it."""
        slide = self.prs.slides.add_slide(self.layouts["title_only"])
        shape = self._title(slide, title)
        self._clear_empty(slide)
        width = self.width - 2 * MARGIN
        if shape.top > self.height // 2:  # a layout with its title low: the content goes above it
            return slide, Box(MARGIN, MARGIN, width, shape.top - GAP - MARGIN)
        top = shape.top + shape.height + GAP
        return slide, Box(MARGIN, top, width, self.height - top - MARGIN)

    def _title(self, slide: Slide, title: str, *, fit: bool = True):
        shape = slide.shapes.title
        if shape is None:  # a layout without a title placeholder
            shape = slide.shapes.add_textbox(MARGIN, MARGIN, self.width - 2 * MARGIN, Inches(0.9))
            shape.text_frame.word_wrap = True
            shape.text_frame.text = title
            shape.text_frame.paragraphs[0].font.size = Pt(28)
            return shape
        shape.text_frame.text = title
        # A long title (a project's name) on two lines at the template's size would run into the content.
        for length, size in LONG_TITLES if fit else ():
            if len(title) > length:
                shape.text_frame.paragraphs[0].font.size = Pt(size)
                break
        return shape

    @staticmethod
    def _clear_empty(slide: Slide) -> None:
        """Remove the placeholders left empty (they would show "Click to add text" in PowerPoint)."""
        for placeholder in list(slide.placeholders):
            if placeholder.has_text_frame and not placeholder.text_frame.text.strip():
                placeholder._element.getparent().remove(placeholder._element)

    # --- Content -----------------------------------------------------------------------------------

    def text(
        self, slide: Slide, box: Box, paragraphs: Sequence[str], *, heading: str = "", size: int = 14
    ) -> None:
        """A text box: an optional bold heading, then the paragraphs (bullets when several)."""
        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        first = True
        if heading:
            paragraph = frame.paragraphs[0]
            paragraph.text = heading
            paragraph.font.bold = True
            paragraph.font.size = Pt(size + 2)
            first = False
        for text in paragraphs:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            paragraph.text = ("• " + text) if len(paragraphs) > 1 else text
            paragraph.font.size = Pt(size)
            paragraph.space_after = Pt(6)

    def note(self, slide: Slide, box: Box, text: str) -> None:
        """A small grey line under the content (what the reader must know to read it)."""
        shape = slide.shapes.add_textbox(box.left, box.top + box.height - Inches(0.4), box.width, Inches(0.4))
        shape.text_frame.word_wrap = True
        shape.text_frame.text = text
        paragraph = shape.text_frame.paragraphs[0]
        paragraph.font.size, paragraph.font.color.rgb, paragraph.font.italic = Pt(11), MUTED, True

    def table(
        self,
        slide: Slide,
        box: Box,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float] | None = None,
        colours: dict[tuple[int, int], str] | None = None,
        size: int = 12,
    ):
        """A native table: the header row, then the rows; `colours` fills cells (row, column) with the
        RAG colour named (rows counted from 0, the header excluded)."""
        row_height = Pt(size * 2.1)
        height = min(box.height, row_height * (len(rows) + 1))
        shape = slide.shapes.add_table(len(rows) + 1, len(headers), box.left, box.top, box.width, height)
        table = shape.table
        if widths:
            total = sum(widths)
            for n, width in enumerate(widths):
                table.columns[n].width = Emu(int(box.width * width / total))
        for column, header in enumerate(headers):
            self._cell(table.cell(0, column), header, size=size, bold=True)
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                self._cell(table.cell(row_number, column), value, size=size)
        for (row_number, column), rag in (colours or {}).items():
            cell = table.cell(row_number + 1, column)
            cell.fill.solid()
            cell.fill.fore_color.rgb = COLOURS.get(rag, COLOURS[""])
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.color.rgb = (
                    RGBColor(0, 0, 0) if rag in DARK_TEXT_ON else RGBColor(0xFF, 0xFF, 0xFF)
                )
        return table

    @staticmethod
    def _cell(cell, value: str, *, size: int, bold: bool = False) -> None:
        cell.text = str(value)
        cell.margin_top = cell.margin_bottom = Pt(2)
        for paragraph in cell.text_frame.paragraphs:
            paragraph.font.size = Pt(size)
            paragraph.font.bold = bold or None

    def bar_chart(
        self,
        slide: Slide,
        box: Box,
        categories: Sequence[str],
        series: str,
        values: Sequence[int],
        *,
        colours: Sequence[str],
    ):
        """A native clustered bar chart of one series, each bar in the colour named (RAG or confidence),
        its value written on it."""
        data = CategoryChartData()
        data.categories = list(categories)
        data.add_series(series, list(values), number_format="0")
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, box.left, box.top, box.width, box.height, data
        )
        chart = frame.chart
        chart.has_legend = chart.has_title = False  # the slide's title says what it shows
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "0", False
        plot.data_labels.font.size = Pt(14)
        plot.gap_width = 60
        chart.value_axis.has_major_gridlines = False
        chart.value_axis.visible = False
        chart.category_axis.tick_labels.font.size = Pt(14)
        for point, colour in zip(plot.series[0].points, colours, strict=False):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = COLOURS.get(colour, COLOURS[""])
        return chart

    def doughnut(self, slide: Slide, box: Box, categories: Sequence[str], series: str, values, *, colours):
        """A native doughnut of one series, each slice's count written on it, with a legend (for a
        distribution read as shares)."""
        data = CategoryChartData()
        data.categories = list(categories)
        data.add_series(series, list(values), number_format="0")
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.DOUGHNUT, box.left, box.top, box.width, box.height, data
        ).chart
        chart.has_title, chart.has_legend = False, True
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.RIGHT, False
        chart.legend.font.size = Pt(14)
        plot = chart.plots[0]
        plot.has_data_labels = True  # python-pptx's doughnut labels show nothing until told to show the value
        plot.data_labels.show_value = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "0", False
        plot.data_labels.font.size = Pt(14)
        for point, colour in zip(plot.series[0].points, colours, strict=False):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = COLOURS.get(colour, COLOURS[""])
        return chart
