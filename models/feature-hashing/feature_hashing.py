# Feature Hashing, the project's reference model (Azure ML Studio classic's module, i.e. Vowpal Wabbit's scheme), in
# Python for the real model servers (azmlinfsrv, MLServer). It must agree bit for bit with the TypeScript reference,
# src/reference/feature-hashing.ts and murmurhash3.ts; test/integration/python-models.test.ts checks that it does.
from __future__ import annotations

import re
from typing import Any, Mapping

DEFAULT_BITS = 3
DEFAULT_NGRAMS = 2
MIN_BITS = 1
MAX_BITS = 16
MIN_NGRAMS = 1
MAX_NGRAMS = 10

BITS_PARAM = "Hashing bitsize"
NGRAMS_PARAM = "N-grams"

# Vowpal Wabbit's quadratic_constant, used to fold the hashes of an n-gram's tokens.
NGRAM_FOLD_CONSTANT = 27942141

_MASK32 = 0xFFFFFFFF
_C1 = 0xCC9E2D51
_C2 = 0x1B873593

# Exactly JavaScript's \s (ECMAScript WhiteSpace + LineTerminator). Python's str.split() and re's \s differ
# (they include \x1c-\x1f and \x85 and exclude \ufeff), so the class is spelled out.
_JS_WHITESPACE = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)
_ASCII_DIGITS = re.compile("[0-9]+")
_JS_WS_CHARS = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def _rotl32(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _MASK32


def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 x86 32-bit of `data` (unsigned result), Austin Appleby's reference algorithm."""
    h = seed & _MASK32
    length = len(data)
    blocks = length & ~3
    for i in range(0, blocks, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _C1) & _MASK32
        k = _rotl32(k, 15)
        k = (k * _C2) & _MASK32
        h ^= k
        h = _rotl32(h, 13)
        h = (h * 5 + 0xE6546B64) & _MASK32
    tail = length & 3
    if tail:
        k = 0
        if tail == 3:
            k ^= data[blocks + 2] << 16
        if tail >= 2:
            k ^= data[blocks + 1] << 8
        k ^= data[blocks]
        k = (k * _C1) & _MASK32
        k = _rotl32(k, 15)
        k = (k * _C2) & _MASK32
        h ^= k
    h ^= length
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK32
    h ^= h >> 16
    return h


def tokenize(text: str) -> list[str]:
    """Splits on runs of (JavaScript) whitespace; tokens kept as written, empty ends dropped."""
    parts = _JS_WHITESPACE.split(text)
    start, end = 0, len(parts)
    if end > 0 and parts[0] == "":
        start = 1
    if end > start and parts[end - 1] == "":
        end -= 1
    return parts[start:end]


def token_hash(token: str) -> int:
    """A token's numeric value mod 2^32 when it is only ASCII digits, else MurmurHash3 of its UTF-8 bytes."""
    if token and _ASCII_DIGITS.fullmatch(token):
        return int(token) & _MASK32
    try:
        data = token.encode("utf-8")
    except UnicodeEncodeError:
        # A lone UTF-16 surrogate (JSON may escape one: "\ud800"). JavaScript's TextEncoder encodes it as U+FFFD;
        # round-tripping through UTF-16 does the same (a paired surrogate is already one code point here).
        data = token.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace").encode("utf-8")
    return murmurhash3_32(data, 0)


def _check_integer(name: str, value: Any, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or value > hi:
        raise ValueError(f"{name} must be an integer from {lo} to {hi}")


def feature_hash(text: str, bits: int = DEFAULT_BITS, ngrams: int = DEFAULT_NGRAMS) -> list[int]:
    """Counts of the text's 1..N-grams per bucket: a list of 2^bits integers."""
    _check_integer("bits", bits, MIN_BITS, MAX_BITS)
    _check_integer("ngrams", ngrams, MIN_NGRAMS, MAX_NGRAMS)
    mask = (1 << bits) - 1
    counts = [0] * (mask + 1)
    hashes = [token_hash(t) for t in tokenize(text)]
    k = len(hashes)
    for i in range(k):
        h = hashes[i]
        counts[h & mask] += 1
        for j in range(i + 1, min(k, i + ngrams)):
            h = (h * NGRAM_FOLD_CONSTANT + hashes[j]) & _MASK32
            counts[h & mask] += 1
    return counts


_JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# The reference's /^\s*\d+\s*$/ (JavaScript's \s, ASCII digits only).
_DIGIT_STRING = re.compile(f"[{_JS_WS}]*[0-9]+[{_JS_WS}]*")


class ParameterError(ValueError):
    """Bad global parameters; `problems` lists (parameter name, message), one per offending parameter."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def _integer_parameter(name: str, value: Any, lo: int, hi: int) -> int:
    # Classic clients send global parameters as strings as often as numbers (the reference accepts both).
    if isinstance(value, str) and _DIGIT_STRING.fullmatch(value):
        value = int(value.strip(_JS_WS_CHARS))
    elif isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON 3.0 is the number 3 in JavaScript
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or value > hi:
        raise ValueError(f"'{name}' must be an integer from {lo} to {hi}")
    return value


def parse_parameters(params: Mapping[str, Any] | None) -> tuple[int, int]:
    """The classic global parameters "Hashing bitsize" and "N-grams" → (bits, ngrams), defaults filled in.

    Raises ParameterError (a ValueError) whose message names each unknown or invalid parameter."""
    given = dict(params or {})
    unknown = [name for name in given if name not in (BITS_PARAM, NGRAMS_PARAM)]
    if unknown:
        raise ParameterError([(name, f"unknown global parameter '{name}'") for name in unknown])
    values = {BITS_PARAM: DEFAULT_BITS, NGRAMS_PARAM: DEFAULT_NGRAMS}
    problems: list[tuple[str, str]] = []
    for name, lo, hi in ((BITS_PARAM, MIN_BITS, MAX_BITS), (NGRAMS_PARAM, MIN_NGRAMS, MAX_NGRAMS)):
        if name in given:  # as the reference: absent means the default, null is an error
            try:
                values[name] = _integer_parameter(name, given[name], lo, hi)
            except ValueError as e:
                problems.append((name, str(e)))
    if problems:
        raise ParameterError(problems)
    return values[BITS_PARAM], values[NGRAMS_PARAM]
