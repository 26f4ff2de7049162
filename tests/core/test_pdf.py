import io
import shutil
import subprocess

import pytest
from django.conf import settings
from django.template import Context, Template
from pypdf import PdfReader

from core import pdf

LETTER = Template(
    '{% extends "pdf/base.html" %}'
    "{% block content %}<h1>{{ title }}</h1><p>{{ text }}</p>"
    "<p>Адресат: {{ addressee }}</p>{% endblock %}"
)


def render_letter() -> bytes:
    html = LETTER.render(
        Context(
            {
                "agency_name": settings.AGENCY_NAME,
                "title": "Vastus teabenõudele nr 1-2/26-021",
                "text": "Õunapuu Šiškin Žanna küsis: kas öö ja äär ühtivad?",
                "addressee": "Ольга Петрова",
            }
        )
    )
    return pdf.html_to_pdf(html)


def page_text(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_pdf_contains_estonian_and_cyrillic_text():
    data = render_letter()
    assert data.startswith(b"%PDF-")
    text = page_text(data)
    assert "Vastus teabenõudele nr 1-2/26-021" in text
    assert "Õunapuu Šiškin Žanna" in text
    assert "öö ja äär" in text
    assert "Ольга Петрова" in text
    assert "Näidisamet" in text  # the letterhead of pdf/base.html


def test_render_pdf_renders_a_template_by_name_with_the_agency_name():
    text = page_text(pdf.render_pdf("pdf/base.html", {}))
    assert settings.AGENCY_NAME.split(" ")[0] in text


def test_pdf_uses_the_fonts_shipped_in_static(monkeypatch):
    fetched = []
    fetcher_class = pdf._fetcher_class()
    original = fetcher_class.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_class, "fetch", spy)
    reader = PdfReader(io.BytesIO(render_letter()))
    fonts = {
        str(font["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].get_object().values()
    }
    assert any(url.endswith("/static/fonts/DejaVuSans.ttf") for url in fetched), fetched
    assert any("Kantselei-Sans" in name for name in fonts), fonts


def test_pdf_fetcher_refuses_the_network_and_files_outside_static():
    with pytest.raises(pdf.ForbiddenResource):
        pdf.fetcher().fetch("https://example.com/tracker.png")
    with pytest.raises(pdf.ForbiddenResource):
        pdf.fetcher().fetch("file:///etc/passwd")


def test_pdf_with_a_remote_image_fails_instead_of_calling_out():
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        pdf.html_to_pdf('<img src="http://127.0.0.1:9/x.png" alt="x">')


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) not installed")
def test_pdf_renders_to_an_image(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_letter())
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))
