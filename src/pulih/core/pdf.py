"""PDF documents: the one place fonts, QR codes and tables are set up for ReportLab.

Fonts are the bundled DejaVu Sans (`data/fonts`, see its LICENSE.md), embedded in every
document, so a PDF reads the same on any machine and carries "Rp", "≥" and every
Indonesian letter. QR codes are drawn as vectors from segno's matrix, so they stay sharp
at any print size.
"""

import io
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from PIL import Image as PILImage
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.graphics.shapes import Path as VectorPath
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def fonts_register():
    pdfmetrics.registerFont(TTFont(FONT, FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
    return FONT


@lru_cache(maxsize=1)
def styles():
    """Paragraph styles: title, heading, body, small, right (numbers)."""
    fonts_register()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=6
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


def qr_drawing(data, size):
    """A QR code of `data` (a URL, usually) as a vector drawing `size` points wide. Each
    row's run of dark modules is one rectangle of a single path: a booklet of hundreds of
    codes stays quick to draw."""
    code = segno.make(data, error="m", micro=False)
    matrix = list(code.matrix_iter(border=2))
    cell = size / len(matrix)
    dark = VectorPath(fillColor=colors.black, strokeColor=None, strokeWidth=0)
    for y, row in enumerate(matrix):
        top = size - y * cell
        x = 0
        for is_dark, run in groupby(row):
            length = len(list(run))
            if is_dark:
                left, right = x * cell, (x + length) * cell
                dark.moveTo(left, top - cell)
                dark.lineTo(right, top - cell)
                dark.lineTo(right, top)
                dark.lineTo(left, top)
                dark.closePath()
            x += length
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    drawing.add(dark)
    return drawing


def table(header, rows, *, col_widths=None, numeric=()):
    """A table with a repeated bold header row; `numeric` columns are right-aligned."""
    fonts_register()
    data = [list(header), *[list(r) for r in rows]]
    result = Table(data, colWidths=col_widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in numeric]
    result.setStyle(TableStyle(style))
    return result


def pdf_bytes(story, *, title, pagesize=A4, margin=15 * mm, on_page=None):
    """Render platypus flowables to PDF bytes, with `title` in the document's metadata."""
    fonts_register()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        author="pulih",
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )
    callbacks = {"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}
    document.build(list(story), **callbacks)
    return buffer.getvalue()


def paragraph(text, style="body"):
    """A paragraph of plain text (escaped: user data never becomes markup); `style` is the
    name of one of `styles()` or a ParagraphStyle."""
    return Paragraph(escape(str(text)), styles()[style] if isinstance(style, str) else style)


def image(source, *, width, height, dpi=200):
    """A photo (a path or an open file) fitted inside `width` × `height` points, or None
    when it cannot be read. It is re-encoded as a JPEG of no more pixels than `dpi` needs
    at that size, so a phone's 12-megapixel photo does not make a 5 MB page."""
    pixels = round(max(width, height) / 72 * dpi)
    try:
        with PILImage.open(source) as photo:
            photo.draft("RGB", (pixels, pixels))
            photo = photo.convert("RGB")
            photo.thumbnail((pixels, pixels))
            buffer = io.BytesIO()
            photo.save(buffer, format="JPEG", quality=85)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None
    scale = min(width / photo.width, height / photo.height)
    buffer.seek(0)
    return Image(buffer, width=photo.width * scale, height=photo.height * scale)
