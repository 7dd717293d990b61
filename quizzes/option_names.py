"""What item analysis calls each option of a parameterized item in Korean, by its tag (the
English name a key sheet records: ``key``, a misconception's name, ``real row N``).

Data only, without Keras, so that ``python -m quizzes score`` reads it; every tag a copy of
the bank's items can carry is here (tests/quizzes/test_quiz_report.py draws them all).
"""
OPTION_NAMES_KO = {
    "key": "정답",
    # parameter counts (param_count.py)
    "forgot the bias": "절편을 빠뜨림",
    "timesteps instead of features": "특성 개수 대신 타임스텝 길이",
    "no recurrent weights (counted like Dense)": "순환 가중치를 빠뜨림 (Dense 층처럼 셈)",
    "no input weights": "입력 가중치(kernel)를 빠뜨림",
    "three gates for LSTM": "LSTM 가중치 묶음을 셋으로 셈",
    "one block like SimpleRNN": "SimpleRNN처럼 한 묶음으로 셈",
    "no second GRU bias / reset_after mixed up": "GRU의 두 번째 절편 (reset_after) 혼동",
    "four blocks like LSTM": "LSTM처럼 네 묶음으로 셈",
    # recurrent_kernel shapes (recurrent_kernel.py)
    "kernel instead of recurrent_kernel": "recurrent_kernel 대신 kernel",
    "timesteps instead of units": "뉴런 개수 대신 타임스텝 길이",
    "bias shape": "절편(bias)의 크기와 혼동",
    "gates not stacked": "게이트 가중치를 이어 붙이지 않음",
    # one-hot byte size (one_hot_nbytes.py)
    "float32 itemsize": "원소를 float32(4바이트)로 봄",
    "elements, not bytes": "바이트 대신 원소 개수",
    "forgot the one-hot axis": "원-핫 축을 빠뜨림",
    # pad_sequences rows (pad_sequences.py): the rows Keras does produce
    **{f"real row {n}": f"{n}번째 시퀀스의 실제 출력 행" for n in (1, 2, 3)},
}
