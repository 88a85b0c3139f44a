/** `checkpoint.py`: reads and writes rnnkit checkpoints as torch tensors, with the safetensors package when present. */
export const CHECKPOINT_PY = String.raw`"""Reading and writing rnnkit checkpoints (safetensors) with torch tensors.

Uses the safetensors package when it is installed and the plain-Python reader/writer of
rnnkit_format.py otherwise (Debian's python3-torch has no safetensors). Writes are atomic:
a temporary file in the same directory, fsync, rename.
"""
import os
import tempfile

import torch

import rnnkit_format as rf

try:
    from safetensors import safe_open
    from safetensors.torch import save as _save_bytes
    HAVE_SAFETENSORS = True
except ImportError:
    HAVE_SAFETENSORS = False

TORCH_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool,
}
DTYPE_NAMES = {v: k for k, v in TORCH_DTYPES.items()}


def _to_tensor(dtype, shape, raw):
    if len(raw) == 0:
        return torch.empty(shape, dtype=TORCH_DTYPES[dtype])
    return torch.frombuffer(bytearray(raw), dtype=TORCH_DTYPES[dtype]).reshape(shape).clone()


def _to_entry(name, t):
    if t.dtype not in DTYPE_NAMES:
        raise TypeError(f"checkpoint: tensor {name!r} has dtype {t.dtype}, which safetensors cannot hold")
    flat = t.reshape(-1)
    if t.dtype == torch.bfloat16:
        flat = flat.view(torch.int16)
    return DTYPE_NAMES[t.dtype], list(t.shape), flat.numpy().tobytes()


def read_checkpoint(path):
    """path -> ({name: tensor}, {key: str}); errors name the file."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    if HAVE_SAFETENSORS:
        with safe_open(path, framework="pt") as f:
            return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})
    with open(path, "rb") as fh:
        buf = fh.read()
    entries, metadata = rf.decode_safetensors(buf, path)
    return {name: _to_tensor(*e) for name, e in entries.items()}, metadata


def write_checkpoint(path, tensors, metadata):
    """Writes tensors (moved to the CPU, contiguous) and string metadata to path, atomically."""
    tensors = {k: v.detach().to("cpu").contiguous().clone() for k, v in tensors.items()}
    if HAVE_SAFETENSORS:
        data = _save_bytes(tensors, metadata=metadata)
    else:
        data = rf.encode_safetensors({k: _to_entry(k, v) for k, v in tensors.items()}, metadata)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".safetensors")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def model_tensors(tensors):
    """The parameters of a checkpoint, without the optimizer and carried-state tensors."""
    return {k: v.float() if v.is_floating_point() else v for k, v in tensors.items() if not rf.is_training_state(k)}


def optimizer_state(metadata, tensors, source):
    """The optimizer state_dict saved in train.optim, in torch's layout (integer state keys)."""
    sd = rf.unpack(rf.meta_json(metadata, rf.TRAIN_PREFIX + "optim", source), tensors)
    sd["state"] = {int(k): v for k, v in sd["state"].items()}
    return sd


def pack_state(value, prefix, tensors):
    """rnnkit's packing of an optimizer or scheduler state_dict: JSON with tensors stored under prefix."""
    return rf.pack(value, prefix, tensors, lambda v: isinstance(v, torch.Tensor))
`;
