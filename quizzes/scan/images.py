"""Page images of scan files: PDF pages rasterised by PDFium (pypdfium2), photos and scans
decoded by OpenCV (EXIF orientation applied), multi-page TIFFs page by page. Every image comes
back in grayscale (uint8, H x W) no larger than a phone photo needs; a file that cannot be read
raises ImageError, which costs only that file."""
from pathlib import Path

import cv2
import numpy as np

PDF_DPI = 150  # PDF pages are rendered at this resolution whatever the scanner used
MAX_SIDE = 2600  # longer photos are scaled down to this many pixels on their long side
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")


class ImageError(Exception):
    """A scan file, or one of its pages, that cannot be read as an image."""


def _fit(gray):
    """``gray`` scaled down (area interpolation) so its long side is at most MAX_SIDE."""
    side = max(gray.shape)
    if side <= MAX_SIDE:
        return gray
    f = MAX_SIDE / side
    return cv2.resize(gray, (round(gray.shape[1] * f), round(gray.shape[0] * f)), interpolation=cv2.INTER_AREA)


def _pdf_pages(path):
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ImageError(f"PDF를 열 수 없습니다 ({exc})") from None
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                pixels = page.render(scale=PDF_DPI / 72, grayscale=True).to_numpy()
                yield index + 1, _fit(np.ascontiguousarray(pixels[..., 0] if pixels.ndim == 3 else pixels))
            except pdfium.PdfiumError as exc:
                yield index + 1, ImageError(f"{index + 1}쪽을 그릴 수 없습니다 ({exc})")
            finally:
                page.close()
    finally:
        document.close()


def _image_pages(path):
    data = np.fromfile(str(path), dtype=np.uint8)
    if path.suffix.lower() in (".tif", ".tiff"):
        ok, pages = cv2.imdecodemulti(data, cv2.IMREAD_GRAYSCALE)
        if not ok or not pages:
            raise ImageError("이미지로 읽을 수 없습니다 (not a readable TIFF)")
        for index, page in enumerate(pages, 1):
            yield index, _fit(page)
        return
    gray = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if gray is None:
        raise ImageError("이미지로 읽을 수 없습니다 (not a readable image)")
    yield 1, _fit(gray)


def pages(path):
    """(page number from 1, grayscale image or ImageError) for every page of a scan file; raises
    ImageError when the file as a whole cannot be read."""
    path = Path(path)
    if path.is_dir():
        raise ImageError("파일이 아니라 폴더입니다 (a folder)")
    if not path.exists():
        raise ImageError("파일이 없습니다 (no such file)")
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return _image_pages(path)
    raise ImageError(f"PDF나 이미지({', '.join(IMAGE_SUFFIXES)})가 아닙니다 (not a PDF or an image)")


def scan_files(paths):
    """The files named by ``paths``, a folder standing for the PDFs and images in it, sorted."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in (".pdf",) + IMAGE_SUFFIXES)
        else:
            files.append(path)
    return files
