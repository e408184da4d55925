# Azure ML online-deployment scoring script (azmlinfsrv: init()/run()) serving Feature Hashing with the classic
# Azure ML Studio RRS contract as is, so the facade can pass a classic Execute body through and relay the answer:
# request {"Inputs": {"input1": table | records}, "GlobalParameters": {...} | null}, answer and errors exactly as the
# reference service's (src/reference/rrs.ts: parseRrsRequest, scoreRrs, outputHeader; errors.ts for the error body).
# @rawhttp gives run() the request itself: the classic query options details= and format=swagger are honoured too.
import json
import math
import os
import sys
import time
from decimal import Decimal

# The code directory deployed is models/feature-hashing; the model lives two levels above this script.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from azureml.contrib.services.aml_request import rawhttp  # noqa: E402
from azureml.contrib.services.aml_response import AMLResponse  # noqa: E402
from feature_hashing import ParameterError, feature_hash, parse_parameters  # noqa: E402

INPUT_NAME = "input1"
OUTPUT_NAME = "output1"
TEXT_COLUMN = "Col2"


class ClassicError(Exception):
    """A classic 400: BadArgument at the top, one detail per offending field."""

    def __init__(self, message, details):
        super().__init__(message)
        self.message = message
        self.details = details[:20] or [{"code": "BadArgument", "message": message}]


def _detail(code, target, message):
    return {"code": code, "target": target, "message": message}


def _error_response(error, status=400):
    body = {"error": {"code": "BadArgument", "message": error.message, "details": error.details}}
    return AMLResponse(body, status, json_str=True)


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN/Infinity; JSON.parse does not


def _js_number_string(value):
    """JavaScript's String(number), the text the reference gives a numeric cell."""
    if isinstance(value, int) and abs(value) < 2**53:
        return str(value)
    x = float(value)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len("".join(map(str, digit_tuple))) - len(digits)
    k = len(digits)
    n = exponent + k  # value = 0.digits × 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _is_cell(cell):
    return cell is None or isinstance(cell, (str, bool, int, float))


def _cell_text(cell):
    if isinstance(cell, str):
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return _js_number_string(cell)


def _table_texts(table):
    root = f"Inputs.{INPUT_NAME}"
    problems = []
    names = table.get("ColumnNames")
    values = table.get("Values")
    if not isinstance(names, list):
        problems.append(_detail("RequestBodyInvalid", f"{root}.ColumnNames", "must be an array of strings"))
    else:
        for i, name in enumerate(names):
            if not isinstance(name, str):
                problems.append(_detail("RequestBodyInvalid", f"{root}.ColumnNames[{i}]", "must be a string"))
    if not isinstance(values, list):
        problems.append(_detail("RequestBodyInvalid", f"{root}.Values", "must be an array of rows"))
    else:
        for i, row in enumerate(values):
            if not isinstance(row, list):
                problems.append(_detail("RequestBodyInvalid", f"{root}.Values[{i}]", "must be an array"))
                continue
            for j, cell in enumerate(row):
                if not _is_cell(cell):
                    target = f"{root}.Values[{i}][{j}]"
                    problems.append(_detail("RequestBodyInvalid", target, "must be a string, number, boolean or null"))
    if problems:
        raise ClassicError("Invalid argument provided.", problems)
    if TEXT_COLUMN not in names:
        raise ClassicError(
            f"Input '{INPUT_NAME}' has no column '{TEXT_COLUMN}'.",
            [_detail("InputParseError", f"{root}.{TEXT_COLUMN}", f"column '{TEXT_COLUMN}' is required")],
        )
    column = names.index(TEXT_COLUMN)
    width = len(names)
    problems = [
        _detail("InputParseError", f"{root}.Values[{i}]", f"row has {len(row)} values but ColumnNames has {width}")
        for i, row in enumerate(values)
        if len(row) != width
    ]
    if problems:
        raise ClassicError("Parsing of input vector failed.", problems)
    return [_cell_text(row[column]) for row in values]


def _record_texts(rows):
    root = f"Inputs.{INPUT_NAME}"
    problems = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append(_detail("RequestBodyInvalid", f"{root}[{i}]", "must be an object"))
            continue
        for key, cell in row.items():
            if not _is_cell(cell):
                problems.append(_detail("RequestBodyInvalid", f"{root}[{i}].{key}", "must be a string, number, boolean or null"))
    if problems:
        raise ClassicError("Invalid argument provided.", problems)
    problems = [
        _detail("InputParseError", f"{root}[{i}].{TEXT_COLUMN}", f"column '{TEXT_COLUMN}' is required")
        for i, row in enumerate(rows)
        if TEXT_COLUMN not in row
    ]
    if problems:
        raise ClassicError("Parsing of input vector failed.", problems)
    return [_cell_text(row[TEXT_COLUMN]) for row in rows]


def parse_request(body):
    """Validates a decoded classic body as the reference does → (texts, bits, ngrams); raises ClassicError."""
    if not isinstance(body, dict):
        raise ClassicError("Invalid argument provided.", [_detail("RequestBodyInvalid", "body", "must be a JSON object")])
    inputs = body.get("Inputs")
    globals_ = body.get("GlobalParameters")
    problems = []
    if not isinstance(inputs, dict):
        problems.append(_detail("RequestBodyInvalid", "Inputs", "must be an object of named inputs"))
    if globals_ is not None and not isinstance(globals_, dict):
        problems.append(_detail("RequestBodyInvalid", "GlobalParameters", "must be an object or null"))
    if problems:
        raise ClassicError("Invalid argument provided.", problems)

    names = list(inputs)
    wrong = [name for name in names if name != INPUT_NAME]
    if wrong or not names:
        details = [
            _detail("InvalidInputNames", f"Inputs.{name}", f"unknown input '{name}'; the only input is '{INPUT_NAME}'")
            for name in wrong
        ]
        if INPUT_NAME not in inputs:
            details.append(_detail("InvalidInputNames", f"Inputs.{INPUT_NAME}", f"input '{INPUT_NAME}' is required"))
        raise ClassicError("Invalid input names.", details)

    try:
        bits, ngrams = parse_parameters(globals_)
    except ParameterError as e:
        unknown = any(message.startswith("unknown") for _, message in e.problems)
        message = "Unknown global parameters." if unknown else "Invalid argument provided."
        details = [_detail("InvalidGlobalParameter", f"GlobalParameters.{name}", msg) for name, msg in e.problems]
        raise ClassicError(message, details) from None

    table = inputs[INPUT_NAME]
    if isinstance(table, dict):
        texts = _table_texts(table)
    elif isinstance(table, list):
        texts = _record_texts(table)
    else:
        raise ClassicError(
            "Invalid argument provided.",
            [_detail("RequestBodyInvalid", f"Inputs.{INPUT_NAME}", "must be a table {ColumnNames, Values} or an array of records")],
        )
    return texts, bits, ngrams


def output_header(bits):
    names = [TEXT_COLUMN] + [f"{TEXT_COLUMN}_HashingFeature.{i}" for i in range(1 << bits)]
    types = ["String"] + ["Int32"] * (1 << bits)
    return names, types


def score(texts, bits, ngrams, details=True, swagger=False, started=None):
    """The classic 200 body (values as strings, as the classic service returned them)."""
    started = time.perf_counter() if started is None else started
    names, types = output_header(bits)
    rows = [[text] + [str(count) for count in feature_hash(text, bits, ngrams)] for text in texts]
    if swagger:
        output = [dict(zip(names, row)) for row in rows]
    elif details:
        output = {"type": "table", "value": {"ColumnNames": names, "ColumnTypes": types, "Values": rows}}
    else:
        output = {"type": "table", "value": {"ColumnNames": names, "Values": rows}}
    return {
        "Results": {OUTPUT_NAME: output},
        "ContainerAllocationDurationMs": 0,
        "ExecutionDurationMs": round((time.perf_counter() - started) * 1000),
        "IsWarmContainer": True,
    }


def _query_options(args):
    """The reference's parseRrsQuery: details=true|false (default true), format=swagger or absent."""
    lowered = {key.lower(): value for key, value in args.items()}
    details = lowered.get("details")
    fmt = lowered.get("format")
    problems = []
    if details is not None and details.lower() not in ("true", "false"):
        problems.append(_detail("InvalidQueryParameter", "details", "details must be true or false"))
    if fmt is not None and fmt.lower() != "swagger":
        problems.append(_detail("InvalidQueryParameter", "format", "format must be swagger when given"))
    if problems:
        raise ClassicError("Invalid query parameter.", problems)
    return details is None or details.lower() == "true", fmt is not None


def init():
    pass  # nothing to load: the model is an algorithm


@rawhttp
def run(request):
    started = time.perf_counter()
    if request.method != "POST":
        return AMLResponse({"error": {"code": "MethodNotAllowed", "message": "Use POST.",
                                      "details": [{"code": "MethodNotAllowed", "message": "Use POST."}]}}, 405, json_str=True)
    try:
        details, swagger = _query_options(request.args)
        raw = request.get_data()
        if not raw.strip():
            raise ClassicError("The request body is empty.", [_detail("RequestBodyInvalid", "body", "a JSON body is required")])
        try:
            body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
            raise ClassicError(
                "The request body is not valid JSON.", [_detail("RequestBodyInvalid", "body", "the body must be a JSON document")]
            ) from None
        texts, bits, ngrams = parse_request(body)
    except ClassicError as e:
        return _error_response(e)
    return AMLResponse(score(texts, bits, ngrams, details, swagger, started), 200, json_str=True)
