#!/usr/bin/python3
"""Writes the state-dict fixtures that org.rcnn4j.io.torch's tests read.

Run from anywhere with Debian's torch (python3-torch 1.13):
    /usr/bin/python3 rcnn4j-core/src/test/resources/torch/make_fixtures.py
Every value is known in closed form (see state_dict() below), so StateDictTest asserts exact values
and shapes without a second reference file. safetensors is not installed, so its file is written by
hand (an 8-byte little-endian header length, a JSON header, then the raw little-endian data).

Determinism: the zip files come out byte-identical on each run (torch 1.13 stamps every entry
1980-01-01 and names the archive after the file). The legacy format names each storage by its
memory address (str(storage._cdata)), which changes from run to run and orders the data by it;
rename_legacy_keys() renames them "0", "1", ... and reorders the data to match, and the script
checks that torch still loads the result. Everything else is seeded or constant.
"""
import io
import json
import os
import pickle
import random
import struct
import sys
import zipfile
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def state_dict():
    """Every storage type torch 1.13 pickles, 0-d and empty tensors, views and shared storages."""
    sd = OrderedDict()
    sd["f32"] = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4
    sd["f16"] = torch.tensor([-1.5, 0, 0.5, 65504, 2.0**-14, 2.0**-24, float("inf")], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -2.5, 3.140625, 2.0**100, float("-inf")], dtype=torch.bfloat16)
    sd["f64"] = torch.tensor([[0.25, -1.0, 1 / 3]], dtype=torch.float64)
    sd["i64"] = torch.tensor([-3, 0, 2**40, 2**62], dtype=torch.int64)
    sd["i32"] = torch.tensor([-(2**31), -1, 7, 2**31 - 1], dtype=torch.int32)
    sd["i16"] = torch.tensor([-32768, 5, 32767], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 0, 127], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["bn.num_batches_tracked"] = torch.tensor(7)  # 0-d int64, as BatchNorm keeps it
    sd["scalar"] = torch.tensor(2.5)  # 0-d float32
    base = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    sd["base"] = base
    sd["base_t"] = base.t()  # shape (3, 2), stride (1, 3), same storage as "base"
    # Only the window is saved, but with its whole 20-element storage: offset 7, stride (5, 1).
    sd["window"] = torch.arange(20, dtype=torch.float32).reshape(4, 5)[1:3, 2:4]
    shared = torch.arange(8, dtype=torch.float32) + 100
    sd["shared_a"] = shared
    sd["shared_b"] = shared[4:].view(2, 2)  # offset 4 into shared_a's storage
    sd["empty"] = torch.zeros(0, 3)
    sd["param"] = torch.nn.Parameter(torch.tensor([0.5, -0.5]))  # pickled via _rebuild_parameter
    # What Module.state_dict() attaches; pickled as a BUILD of the OrderedDict's attributes.
    sd._metadata = OrderedDict([("", {"version": 1}), ("bn", {"version": 2})])
    return sd


def save_zip(obj, name):
    torch.save(obj, os.path.join(HERE, name))


def save_legacy(obj, name):
    path = os.path.join(HERE, name)
    torch.save(obj, path, _use_new_zipfile_serialization=False)
    rename_legacy_keys(path)
    loaded = torch.load(path)
    for key, value in obj.items():
        assert torch.equal(loaded[key], value), key


ELEMENT_SIZES = {"FloatStorage": 4, "HalfStorage": 2, "BFloat16Storage": 2, "DoubleStorage": 8,
                 "LongStorage": 8, "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1,
                 "ByteStorage": 1, "BoolStorage": 1}


def binunicode(text):
    return b"X" + struct.pack("<I", len(text)) + text.encode()


def rename_legacy_keys(path):
    """Renames the address-named storages "0", "1", ... in the order the object's pickle meets them.

    A legacy file is five pickles (magic number, protocol version, sys_info, the object, the sorted
    list of storage keys) and then, per key in that order, an int64 element count and the raw bytes.
    The keys appear in the object's pickle only as BINUNICODE strings; the key list and the data
    blocks are written again in the sorted order of the new names, as torch would have.
    """
    with open(path, "rb") as f:
        data = f.read()
    stream = io.BytesIO(data)
    for _ in range(3):
        pickle.load(stream)
    start = stream.tell()
    order, types = [], {}

    class Walk(pickle.Unpickler):
        """Records each storage's key and type; builds nothing of torch."""

        def persistent_load(self, pid):
            key, storage_type = pid[2], pid[1]
            if key not in types:
                order.append(key)
                types[key] = storage_type

        def find_class(self, module, name):
            if (module, name) == ("collections", "OrderedDict"):
                return OrderedDict
            if name.endswith("Storage"):
                return name
            return lambda *args: None

    Walk(stream).load()
    end = stream.tell()
    keys = pickle.load(stream)
    blocks = {}
    for key in keys:
        count = struct.unpack("<q", stream.read(8))[0]
        blocks[key] = struct.pack("<q", count) + stream.read(count * ELEMENT_SIZES[types[key]])
    assert stream.read() == b""
    names = {key: str(i) for i, key in enumerate(order)}
    obj = data[start:end]
    for key, name in names.items():
        obj = obj.replace(binunicode(key), binunicode(name))
    by_name = sorted(keys, key=names.get)
    tail = pickle.dumps([names[k] for k in by_name], protocol=2) + b"".join(blocks[k] for k in by_name)
    with open(path, "wb") as f:
        f.write(data[:start] + obj + tail)


SAFETENSORS_DTYPES = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def raw_bytes(t):
    """The tensor's values, contiguous and little-endian (numpy has no bfloat16: go through int16)."""
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    assert sys.byteorder == "little"
    return t.numpy().tobytes()


def save_safetensors(sd, name):
    header, blobs, offset = OrderedDict(), [], 0
    for key, t in sd.items():
        blob = raw_bytes(t)
        header[key] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the reference writer pads the header to 8 bytes with spaces
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def checkpoint():
    """A training checkpoint: the weights one level down under "model", beside other state."""
    model = OrderedDict()
    model["conv.weight"] = torch.arange(8, dtype=torch.float32).reshape(2, 1, 2, 2)
    model["conv.bias"] = torch.tensor([0.5, -0.5])
    model["bn.num_batches_tracked"] = torch.tensor(7)
    optimizer = {"state": {0: {"momentum_buffer": torch.tensor([1.0, 2.0])}},
                 "param_groups": [{"lr": 0.02, "momentum": 0.9, "nesterov": False,
                                   "params": [0, 1], "name": None}]}
    return {"model": model, "epoch": 3, "optimizer": optimizer, "best": 0.75}


def pickle_os_system():
    """A protocol-2 pickle of {"x": os.system("echo pwned")}: GLOBAL os system, a tuple, REDUCE."""
    p = b"\x80\x02"                                   # PROTO 2
    p += b"ccollections\nOrderedDict\n)R"             # GLOBAL, EMPTY_TUPLE, REDUCE
    p += b"X" + struct.pack("<I", 1) + b"x"           # BINUNICODE 'x'
    p += b"cos\nsystem\n"                             # GLOBAL os system
    cmd = b"echo pwned"
    p += b"X" + struct.pack("<I", len(cmd)) + cmd     # BINUNICODE
    p += b"\x85R"                                     # TUPLE1, REDUCE
    p += b"s."                                        # SETITEM, STOP
    return p


def write_zip(name, entries):
    """A zip laid out as torch.save's: stored entries under one top folder, fixed timestamps."""
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_STORED) as z:
        for entry, data in entries:
            info = zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)


def truncate(source, name, keep):
    with open(os.path.join(HERE, source), "rb") as f:
        data = f.read()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data[:keep(len(data))])


def main():
    sd = state_dict()
    save_zip(sd, "state_dict.pth")
    save_legacy(sd, "state_dict_legacy.pth")
    save_safetensors(sd, "state_dict.safetensors")
    save_zip(checkpoint(), "checkpoint.pth")

    write_zip("os_system.pth", [("os_system/data.pkl", pickle_os_system()), ("os_system/version", b"3\n")])
    truncate("state_dict.pth", "truncated.pth", lambda n: n * 2 // 3)  # loses the central directory
    truncate("state_dict_legacy.pth", "truncated_legacy.pth", lambda n: n - 6)  # the last storage is short
    noise = random.Random(18).randbytes(512)
    assert noise[0] != 0x80 and noise[:2] != b"PK" and noise[8] != ord("{")
    with open(os.path.join(HERE, "random.bin"), "wb") as f:
        f.write(noise)


if __name__ == "__main__":
    main()
