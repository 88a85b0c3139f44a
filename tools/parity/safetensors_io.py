"""Writes .safetensors fixtures byte-for-byte like huggingface/safetensors' writer.

The reference writer (safetensors' Rust `prepare`/`serialize`, behind
`safetensors.torch.save_file`) orders tensors by descending dtype rank, then by name; writes
the header as compact JSON with `__metadata__` first and tensors in data order; pads the
header with spaces to a multiple of 8; then appends each tensor's raw little-endian bytes.
The pip module is not installed here, so this script implements that layout itself.

Outputs (packages/tensor/test/fixtures/):
  st_*.safetensors       files to decode (every dtype rnnkit reads)
  safetensors.json       expected values, and which files rnnkit's encoder must reproduce
Run: /usr/bin/python3 tools/parity/safetensors_io.py
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "tensor", "test", "fixtures")

# The reference Dtype enum order (its derived Ord): sorting is by descending rank.
DTYPE_RANK = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
              "I32", "U32", "F32", "F64", "I64", "U64"]
TORCH_TO_ST = {
    torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16",
    torch.float16: "F16", torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32",
    torch.float64: "F64", torch.int64: "I64",
}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        # numpy has no bfloat16: reinterpret the 16-bit pattern.
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.bool:
        return t.numpy().astype("u1").tobytes()
    arr = t.numpy()
    return arr.astype(arr.dtype.newbyteorder("<")).tobytes()


def serialize(tensors, metadata=None):
    entries = sorted(
        tensors.items(),
        key=lambda kv: (-DTYPE_RANK.index(TORCH_TO_ST[kv[1].dtype]), kv[0].encode("utf-8")),
    )
    header = {}
    if metadata is not None:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    offset = 0
    blobs = []
    for name, t in entries:
        b = raw_bytes(t)
        header[name] = {
            "dtype": TORCH_TO_ST[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(b)],
        }
        offset += len(b)
        blobs.append(b)
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(blobs)


def num(v):
    """JSON has no infinities or NaN: they are written as the strings "inf", "-inf", "nan"."""
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return v


def enc(t):
    """A tensor as the fixture JSON form; float16/bfloat16 values as the float32 they widen to."""
    if t.dtype in (torch.float16, torch.bfloat16, torch.float32):
        return {"shape": list(t.shape), "dtype": "float32", "data": [num(v) for v in t.float().reshape(-1).tolist()]}
    if t.dtype == torch.float64:
        return {"shape": list(t.shape), "dtype": "float64", "data": [num(v) for v in t.reshape(-1).tolist()]}
    return {"shape": list(t.shape), "dtype": "int32", "data": t.long().reshape(-1).tolist()}


def main():
    torch.manual_seed(0)
    files = {}

    # 1. A state dict like an LSTM's, float32 only, no metadata: the encoder must match bytes.
    lstm = torch.nn.LSTM(3, 4, num_layers=1)
    files["st_lstm_f32"] = ({k: v.detach().clone() for k, v in lstm.state_dict().items()}, None, True)

    # 2. Mixed F32/I32/F64 with metadata (sorting by dtype then name, odd name lengths).
    files["st_mixed_meta"] = (
        {
            "b": torch.randn(2, 3),
            "a": torch.randn(5),
            "idx": torch.tensor([[3, -1], [2147483647, -2147483648]], dtype=torch.int32),
            "zz.double": torch.randn(2, 2, dtype=torch.float64),
            "scalar": torch.tensor(2.5),
            "empty": torch.zeros(0, 3),
        },
        {"format": "pt", "config": json.dumps({"hiddenSize": 4, "numLayers": 2}), "vocab": "héllo\n\"q\""},
        True,
    )

    # 3. Half precision and bfloat16 (read as float32), with specials.
    half_vals = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1035e-05, 5.96e-08, float("inf"), float("-inf"), 0.333])
    files["st_half"] = (
        {
            "h": half_vals.to(torch.float16),
            "h2": torch.randn(3, 4).to(torch.float16),
            "bf": torch.randn(2, 5).to(torch.bfloat16),
            "bf_special": torch.tensor([1e30, -1e-30, 3.0, float("inf")]).to(torch.bfloat16),
        },
        None,
        False,
    )

    # 4. Int64 in int32 range, and the small int types.
    files["st_ints"] = (
        {
            "long": torch.tensor([[0, 1, -1], [2147483647, -2147483648, 42]], dtype=torch.int64),
            "u8": torch.tensor([0, 7, 255], dtype=torch.uint8),
            "i8": torch.tensor([-128, 0, 127], dtype=torch.int8),
            "i16": torch.tensor([-32768, 5, 32767], dtype=torch.int16),
            "flag": torch.tensor([True, False, True]),
        },
        None,
        False,
    )

    # 5. Int64 beyond int32: decoding must fail loudly.
    files["st_i64_overflow"] = ({"big": torch.tensor([1, 2147483648], dtype=torch.int64)}, None, False)

    # 6. An empty record, with and without metadata.
    files["st_empty"] = ({}, None, True)
    files["st_empty_meta"] = ({}, {"framework": "pt"}, True)

    expected = {}
    for name, (tensors, metadata, must_match) in files.items():
        data = serialize(tensors, metadata)
        with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
            f.write(data)
        expected[name] = {
            "tensors": {k: enc(v) for k, v in tensors.items()},
            "metadata": metadata or {},
            "encoderMatches": must_match,
        }
    with open(os.path.join(OUT, "safetensors.json"), "w") as f:
        json.dump(expected, f, indent=1, allow_nan=False)


if __name__ == "__main__":
    main()
