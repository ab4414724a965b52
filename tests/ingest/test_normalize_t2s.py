"""The t2s conversion that hands OpenCC only the stretches with dictionary entries gives OpenCC's result."""

from __future__ import annotations

import random

import pytest

from checker.ingest.normalize import _t2s, _t2s_convert, _t2s_keys, is_traditional, to_simplified

SIMPLIFIED = ("本机关2024年共收到政府信息公开申请12件，其中自然人申请10件；予以公开8件，"
              "部分公开1件，不予公开（属于国家秘密）0件。统计期限自2024年1月1日起至2024年12月31日止。")
TRADITIONAL = ("本機關2024年共收到政府資訊公開申請12件，其中自然人申請10件；予以公開8件，"
               "部分公開1件，不予公開（屬於國家秘密）0件。一目瞭然，不瞭解情況的請諮詢。")


def test_dictionary_keys_are_read() -> None:
    keys = _t2s_keys()
    assert keys is not None
    assert "一目瞭然" in keys.keys and "國" in keys.keys
    assert "一目" in keys.prefixes and "一" in keys.first_chars


@pytest.mark.parametrize("text", [
    "", "abc 123", SIMPLIFIED, TRADITIONAL, SIMPLIFIED + TRADITIONAL, TRADITIONAL.replace("，", ""),
    "瞭瞭然一目瞭然然", "一目瞭一目瞭然", "　國 家\t秘密—關於、", "\u4e00" * 50,
])
def test_same_as_opencc(text: str) -> None:
    assert _t2s_convert(text) == _t2s().convert(text)


def test_same_as_opencc_on_overlapping_entries() -> None:
    """Random strings made of dictionary entries, their fragments and plain characters."""
    keys = _t2s_keys()
    assert keys is not None
    entries = sorted(keys.keys)
    phrases = [key for key in entries if len(key) > 1]
    plain = list("的一是在不了有和人中大为上个国我以要他时来们生到作地于出就分对成会可主发年动同工也能下过子说产种面而")
    rng = random.Random(20240101)
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 10)):
            pick = rng.random()
            if pick < 0.4:
                phrase = rng.choice(phrases)
                cut = rng.randint(0, len(phrase) - 1)
                parts.append(phrase if pick < 0.2 else phrase[cut:] if pick < 0.3 else phrase[:cut + 1])
            elif pick < 0.6:
                parts.append(rng.choice(entries))
            else:
                parts.append("".join(rng.choice(plain) for _ in range(rng.randint(1, 4))))
        text = "".join(parts)
        assert _t2s_convert(text) == _t2s().convert(text), text


def test_to_simplified_and_is_traditional() -> None:
    assert to_simplified(TRADITIONAL) == _t2s().convert(TRADITIONAL)
    assert is_traditional(TRADITIONAL)
    assert not is_traditional(SIMPLIFIED)
