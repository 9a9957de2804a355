"""Reading PDFs back as a person would: the text (poppler's pdftotext) and the barcodes (zxing-cpp)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (Debian poppler-utils) is required in CI")
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")


def text(pdf: bytes, layout: bool = True) -> str:
    """The PDF's text, NFKC-normalised (Arabic presentation forms become letters), bidi marks removed."""
    _require("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    out = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    return BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", out))


def pages(pdf: bytes) -> list[str]:
    return text(pdf).split("\f")[:-1]


def barcodes(pdf: bytes, dpi: int = 200, first: int = 1, last: int = 1) -> list[tuple[str, str]]:
    """(format, text) of every barcode found on the given pages."""
    _require("pdftoppm")
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(source), f"{tmp}/page"],
            check=True,
        )
        for image in sorted(Path(tmp).glob("page*.png")):
            for result in zxingcpp.read_barcodes(Image.open(image)):
                found.append((result.format.name, result.text))
    return found
