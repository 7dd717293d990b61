"""Korean particles (조사) chosen by how the preceding word is read aloud.

``josa("LSTM", "은/는") == "LSTM은"`` (엠), ``josa("GRU", "은/는") == "GRU는"`` (유),
``josa("8", "이/가") == "8이"`` (팔), ``josa("(8, 32)", "을/를") == "(8, 32)를"`` (삼십이).
Numbers are read as Sino-Korean numerals (1,000 -> 천, 3,200,000,000 -> 삼십이억), Latin
acronyms letter by letter (RNN -> 엔), other Latin words by their final sound (kernel -> 커널).
"""
import re

# pair -> (after a final consonant, after a vowel)
PAIRS = {"은/는": ("은", "는"), "이/가": ("이", "가"), "을/를": ("을", "를"), "와/과": ("과", "와")}

_DIGIT_FINAL = dict(zip("0123456789", (True, True, False, True, False, False, True, True, True, False)))
# 십, 백, 천 (places inside a group of four digits), then 만, 억, 조, 경 (the groups).
_PLACE_FINAL = (None, True, True, True)
_GROUP_FINAL = (None, True, True, False, True)
_LETTER_FINAL = set("LMNR")  # 엘, 엠, 엔, 알; every other letter name ends in a vowel
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3

_TRAILING_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?$")
_TRAILING_LATIN = re.compile(r"[A-Za-z]+$")
_TRAILING_UPPER = re.compile(r"[A-Z]{2,}$")


def _number_final(integer, fraction):
    """Final consonant of a number read in Sino-Korean: '1,672' -> 이 (False), '100' -> 백 (True)."""
    if fraction:
        return _DIGIT_FINAL[fraction[-1]]
    digits = integer.replace(",", "").lstrip("0") or "0"
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped)
    if not stripped:
        return _DIGIT_FINAL["0"]  # 영
    if zeros == 0:
        return _DIGIT_FINAL[stripped[-1]]
    group, place = divmod(zeros, 4)
    if group >= len(_GROUP_FINAL):
        raise ValueError(f"number too large to read: {integer}")
    return _GROUP_FINAL[group] if group else _PLACE_FINAL[place]


def _latin_final(word):
    """Final consonant of a Latin word: acronyms by letter name, other words by final sound."""
    acronym = _TRAILING_UPPER.search(word)
    if acronym or len(word) == 1 or word.isupper():
        return word[-1].upper() in _LETTER_FINAL
    lower = word.lower()
    return lower.endswith("ng") or lower[-1] in "lmn"  # 임베딩, 커널, 토큰; 바이어스, 드롭아웃


def has_final_consonant(word):
    """True when ``word`` as read aloud ends in a consonant (받침). Trailing punctuation is ignored."""
    stripped = re.sub(r"[^0-9A-Za-z\uAC00-\uD7A3]+$", "", str(word))
    if not stripped:
        raise ValueError(f"cannot read a final sound in {word!r}")
    last = stripped[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % 28 != 0
    number = _TRAILING_NUMBER.search(stripped)
    if last.isdigit() and number:
        return _number_final(number.group(1), number.group(2))
    return _latin_final(_TRAILING_LATIN.search(stripped).group(0))


def josa(word, pair):
    """``word`` followed by the right particle of ``pair`` ("은/는", "이/가", "을/를", "와/과")."""
    if pair not in PAIRS:
        raise ValueError(f"unknown particle pair {pair!r}; expected one of {sorted(PAIRS)}")
    after_consonant, after_vowel = PAIRS[pair]
    return f"{word}{after_consonant if has_final_consonant(word) else after_vowel}"
