/** `rnnkit_format.py`: safetensors bytes and rnnkit's `__metadata__` packing in plain Python (no torch, no safetensors package). */
export const RNNKIT_FORMAT_PY = String.raw`"""rnnkit's checkpoint format in plain Python (no torch needed).

A checkpoint is a safetensors file: 8-byte little-endian header length, a JSON header (with
string metadata under "__metadata__"), then the raw little-endian tensor bytes. rnnkit keeps
model tensors under their PyTorch state-dict names and its training state as:

  format, config, vocab (, labels), summary      JSON strings, see apps/cli/README.md
  train.options / progress / data / rng          JSON strings (char-LM resume state)
  train.optim, train.scheduler                   JSON with {"$tensor": name} leaves
  optim.state.<index>.<key>                      the optimizer's state tensors
  train.state.h, train.state.c                   the carried recurrent state (layers, batch, hidden)
"""
import json
import math
import struct

DTYPE_SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
OPTIM_PREFIX = "optim."
TRAIN_PREFIX = "train."


def is_training_state(name):
    """True for tensors that hold training state rather than model parameters."""
    return name.startswith(OPTIM_PREFIX) or name.startswith(TRAIN_PREFIX)


def decode_safetensors(buf, source="checkpoint"):
    """bytes -> ({name: (dtype, shape, raw bytes)}, {key: str}); a short or malformed file raises ValueError naming source."""
    if len(buf) < 8:
        raise ValueError(f"{source}: {len(buf)} bytes is too short for a safetensors file")
    (n,) = struct.unpack("<Q", bytes(buf[:8]))
    if 8 + n > len(buf):
        raise ValueError(f"{source}: the header claims {n} bytes but the file has {len(buf) - 8} after the length")
    try:
        header = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
    except ValueError as e:
        raise ValueError(f"{source}: the header is not JSON ({e})") from None
    metadata = header.pop("__metadata__", None) or {}
    data = memoryview(buf)[8 + n:]
    entries = {}
    for name, info in header.items():
        dtype, shape = info["dtype"], list(info["shape"])
        start, end = info["data_offsets"]
        size = DTYPE_SIZES.get(dtype)
        if size is None:
            raise ValueError(f"{source}: tensor {name!r} has unsupported dtype {dtype}")
        count = 1
        for d in shape:
            count *= d
        if end - start != count * size or end > len(data) or start < 0:
            raise ValueError(f"{source}: tensor {name!r} ({dtype} {shape}) has data offsets [{start}, {end}] that do not fit its size or the file")
        entries[name] = (dtype, shape, bytes(data[start:end]))
    return entries, dict(metadata)


def encode_safetensors(entries, metadata=None):
    """({name: (dtype, shape, raw bytes)}, {key: str}) -> safetensors bytes (header padded to 8 bytes)."""
    header = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(v, str):
                raise TypeError(f"safetensors metadata {k!r} must be a string, got {type(v).__name__}")
        header["__metadata__"] = dict(metadata)
    chunks, offset = [], 0
    for name in sorted(entries):
        dtype, shape, raw = entries[name]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def _number(value):
    # JSON has no Infinity/NaN: rnnkit tags them as {"$number": "Infinity"}.
    if isinstance(value, float) and not math.isfinite(value):
        return {"$number": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    return value


def pack(value, prefix, out, is_tensor, path=""):
    """Splits a nested state (an optimizer state_dict, say) into JSON plus named tensors, as rnnkit does:
    each tensor leaf becomes {"$tensor": prefix + path} and is stored in out under that name.
    Callables (a scheduler's bound methods) are not state and are left out."""
    if is_tensor(value):
        name = prefix + path
        out[name] = value
        return {"$tensor": name}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    join = (lambda k: f"{path}.{k}") if path else str
    if isinstance(value, (list, tuple)):
        return [pack(v, prefix, out, is_tensor, join(i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): pack(v, prefix, out, is_tensor, join(k)) for k, v in value.items() if not callable(v) or is_tensor(v)}
    raise TypeError(f"pack: cannot save a {type(value).__name__} at {prefix}{path}")


def unpack(value, tensors):
    """The inverse of pack: {"$tensor": name} leaves are looked up in tensors."""
    if isinstance(value, list):
        return [unpack(v, tensors) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1 and "$tensor" in value:
        name = value["$tensor"]
        if name not in tensors:
            raise KeyError(f"checkpoint: training state tensor {name!r} is missing")
        return tensors[name]
    if len(value) == 1 and "$number" in value:
        return float(value["$number"])
    if len(value) == 1 and "$map" in value:
        return {(int(k) if k.isdigit() else k): unpack(v, tensors) for k, v in value["$map"].items()}
    return {k: unpack(v, tensors) for k, v in value.items()}


def text_hash(text):
    """rnnkit's train.data hash: UTF-16 length and FNV-1a over the UTF-16 code units ("5543:7eb93c23")."""
    units = text.encode("utf-16-le")
    h = 0x811C9DC5
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return f"{len(units) // 2}:{h:08x}"


def meta_json(metadata, key, source="checkpoint"):
    """The JSON value of metadata key, with an error naming the key when it is absent or not JSON."""
    if key not in metadata:
        raise KeyError(f"{source} has no {key!r} metadata")
    try:
        return json.loads(metadata[key])
    except ValueError:
        raise ValueError(f"{source}: metadata {key!r} is not valid JSON") from None


def dumps(value):
    """JSON as rnnkit writes metadata values (compact)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
`;
