# Azure ML batch-deployment scoring script (init()/run(mini_batch), "Author scoring scripts for batch deployments")
# running Feature Hashing over CSV files, for classic BES jobs run on an Azure ML batch endpoint.
#
# Input: each file of the mini-batch is a UTF-8 CSV (RFC 4180 quoting: texts may hold commas, quotes, CR/LF,
# non-ASCII, emoji; a leading BOM is dropped) with a header row that has a `Col2` column; other columns are allowed
# and ignored. Every record must have as many fields as the header; a line with nothing on it is skipped, as the
# classic service skipped it (an empty text is written as "" and is a record; so a
# one-column file may hold empty texts).
#
# Parameters: environment variables of the deployment (model deployments take no literal inputs):
#   HASHING_BITSIZE         1..16, default 3        ("Hashing bitsize" of the classic module)
#   NGRAMS                  1..10, default 2        ("N-grams")
#   FEATURE_HASHING_OUTPUT  predictions (default) | rows
#   FEATURE_HASHING_DELAY_MS  optional, a pause per file (tests use it to cancel a job while it runs)
#
# Output: run() returns a LIST OF STRINGS, one per input row, in input order, files in mini-batch order. The docs
# say append_row writes each element of a returned list as one row of the output file, as is, with no header, and
# that the file "may not be a regular CSV"; they do not say which delimiter joins the columns of a DataFrame row.
# A string element is written as itself whatever that delimiter is, so every line here is one JSON value made with
# ensure_ascii (no raw newline or non-ASCII can reach the file) and the output parses back unambiguously:
#   predictions:  ["<input file name>", [f0, f1, ..., f(2^bits - 1)]]     (like MLflow batch deployments: the
#                 row's file and its prediction, nothing else; the file name is the input's base name)
#   rows:         ["<Col2 text>", f0, f1, ..., f(2^bits - 1)]             (the whole classic output row)
# i.e. the output file is JSON Lines: split on "\n", JSON.parse each non-empty line.
import csv
import json
import os
import sys
import time

# The code directory deployed is models/feature-hashing; the model lives three levels above this script.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from feature_hashing import (  # noqa: E402
    DEFAULT_BITS,
    DEFAULT_NGRAMS,
    MAX_BITS,
    MAX_NGRAMS,
    MIN_BITS,
    MIN_NGRAMS,
    feature_hash,
)

TEXT_COLUMN = "Col2"
OUTPUT_MODES = ("predictions", "rows")

# Texts of one cell may be long; the csv module's default limit (128 KiB) would refuse them.
csv.field_size_limit(64 * 1024 * 1024)

_settings = {}


def _integer_setting(name, default, lo, hi):
    text = os.environ.get(name, "").strip()
    if text == "":
        return default
    if not text.isdigit() or not lo <= int(text) <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}, got {text[:20]!r}")
    return int(text)


def init():
    """Reads and checks the deployment's settings once; a bad one fails the job before any file is read."""
    mode = os.environ.get("FEATURE_HASHING_OUTPUT", "").strip() or "predictions"
    if mode not in OUTPUT_MODES:
        raise ValueError(f"FEATURE_HASHING_OUTPUT must be one of {', '.join(OUTPUT_MODES)}, got {mode[:20]!r}")
    _settings.update(
        bits=_integer_setting("HASHING_BITSIZE", DEFAULT_BITS, MIN_BITS, MAX_BITS),
        ngrams=_integer_setting("NGRAMS", DEFAULT_NGRAMS, MIN_NGRAMS, MAX_NGRAMS),
        mode=mode,
        delay=_integer_setting("FEATURE_HASHING_DELAY_MS", 0, 0, 600_000) / 1000,
    )


def _texts(path):
    """The Col2 texts of one CSV file, in order. Raises ValueError naming the file and the record."""
    name = os.path.basename(path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise ValueError(f"{name}: the file is empty (a header row with '{TEXT_COLUMN}' is required)") from None
        if TEXT_COLUMN not in header:
            raise ValueError(f"{name}: the header has no column '{TEXT_COLUMN}'")
        column = header.index(TEXT_COLUMN)
        width = len(header)
        texts = []
        for record in reader:
            if not record:
                continue  # a line with nothing on it is skipped, as the classic service and pandas skip it
            if len(record) != width:
                raise ValueError(f"{name}: record {len(texts) + 1} has {len(record)} fields but the header has {width}")
            texts.append(record[column])
        return texts


def run(mini_batch):
    if not _settings:
        init()
    bits, ngrams, mode = _settings["bits"], _settings["ngrams"], _settings["mode"]
    lines = []
    for path in mini_batch:
        if _settings["delay"]:
            time.sleep(_settings["delay"])
        name = os.path.basename(path)
        for text in _texts(path):
            features = feature_hash(text, bits, ngrams)
            row = [name, features] if mode == "predictions" else [text, *features]
            lines.append(json.dumps(row, ensure_ascii=True, separators=(",", ":")))
    return lines
