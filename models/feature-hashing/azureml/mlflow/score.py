# Azure ML online-deployment scoring script (azmlinfsrv: init()/run(raw_data)) serving Feature Hashing with the
# MLflow "input_data" contract Azure ML managed endpoints use (pandas split orientation):
#   request  {"input_data": {"columns": [...], "index": [...], "data": [[...], ...]}, "params": {...}}  (params optional)
#   answer   {"predictions": [[count0, ..., countK-1], ...]}, one row of 2^bits ints per input row.
# "params" takes the classic global parameters "Hashing bitsize" and "N-grams"; text column "Col2" is required.
# Bad requests get a 400 with the classic error body (BadArgument, one detail per offending field).
import json
import os
import sys

# The code directory deployed is models/feature-hashing; the model lives two levels above this script.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from azureml.contrib.services.aml_response import AMLResponse  # noqa: E402
from feature_hashing import ParameterError, feature_hash, parse_parameters  # noqa: E402

TEXT_COLUMN = "Col2"


class BadRequest(Exception):
    def __init__(self, message, details):
        super().__init__(message)
        self.message = message
        self.details = details[:20]


def _detail(code, target, message):
    return {"code": code, "target": target, "message": message}


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN/Infinity; JSON does not


def parse_request(body):
    """Validates a decoded body → (texts, bits, ngrams); raises BadRequest naming the offending fields."""
    invalid = "RequestBodyInvalid"
    if not isinstance(body, dict):
        raise BadRequest("Invalid argument provided.", [_detail(invalid, "body", "must be a JSON object")])
    if "input_data" not in body:
        raise BadRequest("Invalid argument provided.", [_detail(invalid, "input_data", "input_data is required")])
    table = body["input_data"]
    if not isinstance(table, dict):
        raise BadRequest("Invalid argument provided.",
                         [_detail(invalid, "input_data", "must be an object with columns, index and data")])
    problems = []
    for key in ("columns", "index", "data"):
        if key not in table:
            problems.append(_detail(invalid, f"input_data.{key}", f"{key} is required"))
        elif not isinstance(table[key], list):
            problems.append(_detail(invalid, f"input_data.{key}", f"{key} must be an array"))
    if problems:
        raise BadRequest("Invalid argument provided.", problems)
    columns, index, data = table["columns"], table["index"], table["data"]
    problems += [_detail(invalid, f"input_data.columns[{i}]", "must be a string")
                 for i, name in enumerate(columns) if not isinstance(name, str)]
    problems += [_detail(invalid, f"input_data.data[{i}]", "must be an array")
                 for i, row in enumerate(data) if not isinstance(row, list)]
    if problems:
        raise BadRequest("Invalid argument provided.", problems)
    if TEXT_COLUMN not in columns:
        raise BadRequest(f"Input has no column '{TEXT_COLUMN}'.",
                         [_detail("InputParseError", "input_data.columns", f"column '{TEXT_COLUMN}' is required")])
    width = len(columns)
    problems = [_detail("InputParseError", f"input_data.data[{i}]", f"row has {len(row)} values but columns has {width}")
                for i, row in enumerate(data) if len(row) != width]
    if len(index) != len(data):
        problems.append(_detail("InputParseError", "input_data.index",
                                f"index has {len(index)} entries but data has {len(data)} rows"))
    column = columns.index(TEXT_COLUMN)
    problems += [_detail("InputParseError", f"input_data.data[{i}][{column}]", f"'{TEXT_COLUMN}' must be a string or null")
                 for i, row in enumerate(data)
                 if len(row) == width and row[column] is not None and not isinstance(row[column], str)]
    if problems:
        raise BadRequest("Parsing of input vector failed.", problems)

    params = body.get("params")
    if params is not None and not isinstance(params, dict):
        raise BadRequest("Invalid argument provided.", [_detail(invalid, "params", "must be an object")])
    try:
        bits, ngrams = parse_parameters(params)
    except ParameterError as e:
        raise BadRequest("Invalid argument provided.",
                         [_detail("InvalidGlobalParameter", f"params.{name}", msg) for name, msg in e.problems]) from None
    return [row[column] or "" for row in data], bits, ngrams


def init():
    pass  # nothing to load: the model is an algorithm


def run(raw_data):
    try:
        try:
            body = json.loads(raw_data, parse_constant=_reject_constant)
        except ValueError:
            raise BadRequest("The request body is not valid JSON.",
                             [_detail("RequestBodyInvalid", "body", "the body must be a JSON document")]) from None
        texts, bits, ngrams = parse_request(body)
    except BadRequest as e:
        body = {"error": {"code": "BadArgument", "message": e.message, "details": e.details}}
        return AMLResponse(body, 400, json_str=True)
    return {"predictions": [feature_hash(text, bits, ngrams) for text in texts]}
