# MLServer custom runtime serving Feature Hashing (../feature_hashing.py) over the Open Inference Protocol (V2):
# input tensor "Col2" (BYTES, shape [n] or [n, 1], one text per row), request parameters "Hashing bitsize" and
# "N-grams" (the classic global parameters), output tensor "Col2_HashingFeature" (INT32, shape [n, 2^bits]).
# Bad requests raise InferenceError, which MLServer answers with 400 {"error": "..."}.
import os
import sys

from mlserver import MLModel
from mlserver.errors import InferenceError
from mlserver.types import InferenceRequest, InferenceResponse, ResponseOutput

# The model lives one level above this folder (models/feature-hashing/feature_hashing.py).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from feature_hashing import ParameterError, feature_hash, parse_parameters  # noqa: E402

INPUT_NAME = "Col2"
OUTPUT_NAME = "Col2_HashingFeature"


def _flatten(data):
    for item in data:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _texts(request: InferenceRequest) -> list:
    tensors = [t for t in request.inputs if t.name == INPUT_NAME]
    if not tensors:
        names = ", ".join(repr(t.name) for t in request.inputs) or "none"
        raise InferenceError(f"input '{INPUT_NAME}' is required (got {names})")
    if len(tensors) > 1:
        raise InferenceError(f"input '{INPUT_NAME}' is given more than once")
    tensor = tensors[0]
    datatype = getattr(tensor.datatype, "value", tensor.datatype)  # a str: MLServer's models use enum values
    if datatype != "BYTES":
        raise InferenceError(f"input '{INPUT_NAME}' must have datatype BYTES, not {datatype}")
    shape = list(tensor.shape)
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)) or shape[0] < 0:
        raise InferenceError(f"input '{INPUT_NAME}' must have shape [n] or [n, 1], not {shape}")
    raw = tensor.data.root
    items = list(_flatten(raw)) if isinstance(raw, list) else [raw]
    if len(items) != shape[0]:
        raise InferenceError(f"input '{INPUT_NAME}' has {len(items)} elements but its shape {shape} says {shape[0]}")
    texts = []
    for i, item in enumerate(items):
        if isinstance(item, (bytes, bytearray)):
            try:
                item = bytes(item).decode("utf-8")
            except UnicodeDecodeError:
                raise InferenceError(f"input '{INPUT_NAME}' element {i} is not UTF-8") from None
        if not isinstance(item, str):
            raise InferenceError(f"input '{INPUT_NAME}' element {i} must be a string")
        texts.append(item)
    return texts


def _parameters(request: InferenceRequest) -> tuple:
    # Parameters allows extra fields; the declared ones (content_type, headers: MLServer puts the HTTP request
    # headers there) are not ours, the extra ones are the global parameters.
    params = request.parameters
    extra = dict(params.model_extra or {}) if params is not None else {}
    try:
        return parse_parameters(extra)
    except ParameterError as e:
        raise InferenceError(str(e)) from None


class FeatureHashingRuntime(MLModel):
    async def load(self) -> bool:
        return True  # nothing to load: the model is an algorithm

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        bits, ngrams = _parameters(payload)
        texts = _texts(payload)
        data = []
        for text in texts:
            data.extend(feature_hash(text, bits, ngrams))
        output = ResponseOutput(name=OUTPUT_NAME, datatype="INT32", shape=[len(texts), 1 << bits], data=data)
        return InferenceResponse(model_name=self.name, model_version=self.version, id=payload.id, outputs=[output])
