"""Text in terminal columns: ``display_width("학생") == 4`` (a Hangul syllable, like every wide
character, takes two columns), and ``pad``/``clip`` align and cut by those columns, where
str.format counts characters (a table with Korean in it shifts every cell after it).
"""
from wcwidth import wcswidth, wcwidth


def display_width(text):
    """Terminal columns ``text`` takes: 2 for each Hangul syllable and other wide character
    (wcwidth, Unicode's East Asian Width), 0 for combining marks; str.format counts 1 each."""
    width = wcswidth(str(text))
    return width if width >= 0 else len(str(text))  # control characters: one column each, as printed


def pad(text, width, align="<"):
    """``text`` padded with spaces to ``width`` terminal columns: align "<" left, ">" right."""
    text = str(text)
    fill = " " * max(0, width - display_width(text))
    return text + fill if align == "<" else fill + text


def clip(text, width):
    """``text`` cut to at most ``width`` terminal columns (a wide character is never halved)."""
    text, out, used = str(text), [], 0
    for char in text:
        used += max(0, wcwidth(char))
        if used > width:
            break
        out.append(char)
    return "".join(out)
