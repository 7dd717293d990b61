"""Particles chosen by the final sound of the word as read in Korean."""
import pytest

from quizzes.korean import has_final_consonant, josa


@pytest.mark.parametrize("word, pair, expected", [
    ("LSTM", "은/는", "LSTM은"),          # 엠
    ("GRU", "은/는", "GRU는"),            # 유
    ("SimpleRNN", "이/가", "SimpleRNN이"),  # 엔
    ("RNN", "을/를", "RNN을"),
    ("Conv2D", "은/는", "Conv2D는"),      # 디
    ("8", "은/는", "8은"),                # 팔
    ("16", "은/는", "16은"),              # 육
    ("2", "이/가", "2가"),                # 이
    ("9", "을/를", "9를"),                # 구
    ("10", "은/는", "10은"),              # 십
    ("100", "와/과", "100과"),            # 백
    ("1,672", "은/는", "1,672는"),        # 이
    ("3,200,000,000", "이/가", "3,200,000,000이"),  # 삼십이억
    ("1000000000000", "은/는", "1000000000000는"),  # 일조
    ("0", "이/가", "0이"),                # 영
    ("0.5", "은/는", "0.5는"),            # 영점오
    ("(8, 32)", "은/는", "(8, 32)는"),    # 삼십이
    ("(16, 64)", "을/를", "(16, 64)를"),  # 육십사
    ("[0, 0, 5, 1]", "은/는", "[0, 0, 5, 1]은"),  # 일
    ("`recurrent_kernel`", "은/는", "`recurrent_kernel`은"),  # 커널
    ("Embedding", "이/가", "Embedding이"),  # 임베딩
    ("Dense", "와/과", "Dense와"),        # 덴스
    ("모델", "을/를", "모델을"),
    ("게이트", "와/과", "게이트와"),
    ("셀", "이/가", "셀이"),
])
def test_particle(word, pair, expected):
    assert josa(word, pair) == expected


def test_unknown_pair_and_unreadable_word():
    with pytest.raises(ValueError):
        josa("LSTM", "으로/로")
    with pytest.raises(ValueError):
        has_final_consonant("()")
