"""The installed Korean font files (Debian's ``fonts-nanum``), found through fontconfig.

Handouts (WeasyPrint) and the score report (matplotlib) are given the font FILE: a family name
is looked up in each library's own font cache, which may predate the font's install (matplotlib
then draws every Hangul syllable as an empty box).
"""
import subprocess
from pathlib import Path

KOREAN = "NanumGothic:style=Regular"


class FontNotInstalledError(RuntimeError):
    """A Korean font the handouts need is not installed (apt-get install fonts-nanum)."""


def font_file(pattern=KOREAN):
    """Path of the installed font file for a fontconfig pattern such as "NanumGothic:style=Bold"."""
    family = pattern.split(":")[0]
    try:
        out = subprocess.run(["fc-match", "--format=%{family}\n%{file}", pattern],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    except FileNotFoundError:
        raise FontNotInstalledError("fc-match not found (Debian package fontconfig)") from None
    if len(out) < 2 or family not in out[0].split(","):
        raise FontNotInstalledError(f"font {family} is not installed (Debian package fonts-nanum)")
    return Path(out[1])
