"""Reading the CSV files people bring (rosters, answer sheets, key sheets), as Korean Excel saves
them: UTF-8 with or without BOM, or cp949. Every unusable file is one InputError naming the file."""
import csv
import io
from pathlib import Path

from quizzes.errors import InputError

ENCODINGS = ("utf-8-sig", "cp949")
SAVE_AS_UTF8 = ("엑셀에서 [다른 이름으로 저장] → 파일 형식 'CSV UTF-8(쉼표로 분리)'로 다시 저장하세요 "
                "(save it as \"CSV UTF-8\")")


def read_text(path, what):
    """The text of the CSV file ``path`` (``what`` it is, e.g. "명단 roster"), decoded as UTF-8
    (BOM or not) or cp949; InputError when it is missing, a folder, or in another encoding."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: {what} 파일이 아니라 폴더입니다 (a folder, not a CSV file)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: {what} 파일이 없습니다 (no such file)") from None
    except OSError as exc:
        raise InputError(f"{path}: {what} 파일을 읽을 수 없습니다 ({exc.strerror})") from None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InputError(f"{path}: {what} 파일이 UTF-8도 cp949도 아닙니다. {SAVE_AS_UTF8}")


def read_rows(path, what):
    """(header with spaces trimmed, csv reader over the remaining lines) of a CSV file."""
    reader = csv.reader(io.StringIO(read_text(path, what), newline=""))
    header = [h.strip() for h in next(reader, None) or []]
    return header, reader


def column(header, names, path):
    """The first of ``names`` in ``header``; InputError naming the file when none is."""
    for name in names:
        if name in header:
            return name
    raise InputError(f"{path}: 머리행에 {' 또는 '.join(names)} 열이 없습니다 "
                     f"(no {' or '.join(names)} column in the header {header})")
