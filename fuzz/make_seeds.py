#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/: small valid inputs of every format the harnesses read,
written from the format descriptions (sw/checkpoint_reader.h, sw/tokenizer.h, traces/axi_trace_format.h,
traces/axi_trace_text.h), not by the code under test. Run from anywhere; rewrites the seed files."""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    path = os.path.join(HERE, "corpus", target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def floats(count, start=0):
    # Distinct, finite, small values; deterministic.
    return struct.pack("<%df" % count, *[((i * 37 + start) % 101 - 50) / 64.0 for i in range(count)])


def layer_matrix_shapes(dim, hidden, kv_dim):
    return [(dim, dim), (kv_dim, dim), (kv_dim, dim), (dim, dim), (hidden, dim), (dim, hidden), (hidden, dim)]


def fp32_checkpoint(dim, hidden, layers, heads, kv_heads, vocab, seq, shared):
    hs = dim // heads
    kv_dim = hs * kv_heads
    out = struct.pack("<7i", dim, hidden, layers, heads, kv_heads, vocab if shared else -vocab, seq)
    out += floats(vocab * dim, 1)
    out += floats(layers * dim, 2)
    shapes = layer_matrix_shapes(dim, hidden, kv_dim)
    for i, (r, c) in enumerate(shapes[:4]):
        out += floats(layers * r * c, 10 + i)
    out += floats(layers * dim, 3)
    for i, (r, c) in enumerate(shapes[4:]):
        out += floats(layers * r * c, 20 + i)
    out += floats(dim, 4)
    out += floats(seq * hs // 2, 5) + floats(seq * hs // 2, 6)  # freq_cis_real, freq_cis_imag
    if not shared:
        out += floats(vocab * dim, 7)
    return out


def q8_tensor(rows, cols, gs, start):
    q = bytes(((i * 29 + start) % 255) - 127 & 0xFF for i in range(rows * cols))
    return q + floats(rows * cols // gs, start)


def q8_checkpoint(dim, hidden, layers, heads, kv_heads, vocab, seq, shared, gs):
    hs = dim // heads
    kv_dim = hs * kv_heads
    header = struct.pack("<Ii7iBi", 0x616B3432, 2, dim, hidden, layers, heads, kv_heads, vocab, seq, 1 if shared else 0, gs)
    out = header + bytes(256 - len(header))
    out += floats(layers * dim, 1) + floats(layers * dim, 2) + floats(dim, 3)
    out += q8_tensor(vocab, dim, gs, 4)
    for i, (r, c) in enumerate(layer_matrix_shapes(dim, hidden, kv_dim)):
        for layer in range(layers):
            out += q8_tensor(r, c, gs, 10 * i + layer)
    if not shared:
        out += q8_tensor(vocab, dim, gs, 99)
    return out


def tokenizer_file(pieces):
    max_len = max(len(p) for p in pieces)
    out = struct.pack("<I", max_len)
    for i, p in enumerate(pieces):
        out += struct.pack("<fi", -float(i % 17), len(p)) + p
    return out


def tokenizer_input(pieces, prompt):
    # fuzz_targets.h tokenizer(): u16 vocab_size - 1, u8 prompt length, prompt, tokenizer file.
    return struct.pack("<HB", len(pieces) - 1, len(prompt)) + prompt + tokenizer_file(pieces)


def axi_trace_binary(description, end_ps, masters, channels, records):
    out = b"VPAXITRC" + struct.pack("<IIQQIIII", 1, 40, len(records), end_ps, len(masters), len(channels),
                                    len(description), 0)
    out += description
    for name, home in masters:
        out += struct.pack("<IH", home, len(name)) + name
    for name, base, size in channels:
        out += struct.pack("<QQH", base, size, len(name)) + name
    for address, arrival, completion, length, master, channel, write, status in records:
        out += struct.pack("<QQQIHHBBHI", address, arrival, completion, length, master, channel, write, status, 0, 0)
    return out + struct.pack("<I", zlib.crc32(out) & 0xFFFFFFFF)


def axi_trace_text(description, end_ps, masters, channels, records):
    lines = ["vp-axi-trace 1", "description " + description.decode(), "end_ps %d" % end_ps,
             "records %d" % len(records)]
    for i, (name, home) in enumerate(masters):
        lines.append("master %d %s %s" % (i, name.decode(), "-" if home == 0xFFFFFFFF else str(home)))
    for i, (name, base, size) in enumerate(channels):
        lines.append("channel %d %s 0x%x 0x%x" % (i, name.decode(), base, size))
    status_names = ["ok", "decode_error", "error_response"]
    for address, arrival, completion, length, master, channel, write, status in records:
        lines.append("%d %d %s %s 0x%x %d %s %s" % (arrival, completion, masters[master][0].decode(), "W" if write else "R",
                                                   address, length,
                                                   "-" if channel == 0xFFFF else channels[channel][0].decode(),
                                                   status_names[status]))
    lines.append("end")
    return ("\n".join(lines) + "\n").encode()


def main():
    # dim 8, hidden 16, 1-2 layers, 2 heads (head_size 4), 1 kv head (grouped-query), vocab 8, seq_len 4.
    put("checkpoint_fp32", "shared_classifier.bin", fp32_checkpoint(8, 16, 1, 2, 1, 8, 4, True))
    put("checkpoint_fp32", "unshared_classifier.bin", fp32_checkpoint(8, 16, 2, 2, 1, 8, 4, False))
    put("checkpoint_fp32", "hidden_not_power_of_two.bin", fp32_checkpoint(8, 12, 1, 2, 2, 6, 2, True))
    put("checkpoint_q8", "shared_gs8.bin", q8_checkpoint(8, 16, 1, 2, 1, 8, 4, True, 8))
    put("checkpoint_q8", "unshared_gs4.bin", q8_checkpoint(8, 16, 2, 2, 1, 8, 4, False, 4))
    put("checkpoint_q8", "hidden_12_gs4.bin", q8_checkpoint(8, 12, 1, 2, 2, 6, 2, True, 4))

    byte_pieces = [b"<unk>", b"<s>", b"</s>"] + [b"<0x%02X>" % b for b in range(256)]
    words = [b" ", b"a", b"b", b" a", b"ab", b" ab", b"\xc3\xa9", b" \xc3\xa9t\xc3\xa9"]
    put("tokenizer", "bytes_and_merges.bin", tokenizer_input(byte_pieces + words, b"ab a\xc3\xa9 b"))
    put("tokenizer", "few_pieces.bin", tokenizer_input([b"<unk>", b"<s>", b"</s>", b" ", b"x", b" x"], b"xx x"))

    presets = os.path.join(HERE, "..", "platform")
    for cfg, args in [("u280.cfg", b"--run.steps=4\n--kernel.weight_ports=2"),
                      ("u50.cfg", b"--run.model_shape=tiny\n--stats=out.json"),
                      ("vu9p_f1.cfg", b"--kernel.clock_mhz=250\n--run.temperature=0.8"),
                      ("kernels/hbm_streaming.cfg", b"--kernel.timeout_cycles=1000")]:
        with open(os.path.join(presets, cfg), "rb") as f:
            put("sim_config", cfg.replace("/", "_") + ".seed", f.read() + b"\0" + args)
    put("sim_config", "small_ini.seed", b"[run]\nsteps = 3\n[kernel]\nweight_ports = 4\n\0--board.hbm_channels=8")

    masters = [(b"m_axi_w0", 0), (b"m_axi_kv", 1), (b"pcie", 0xFFFFFFFF)]
    channels = [(b"HBM[0]", 0x0, 0x10000000), (b"HBM[1]", 0x10000000, 0x10000000)]
    records = [(0x1000, 100, 250, 64, 2, 0, 1, 0), (0x1000, 300, 420, 4096, 0, 0, 0, 0),
               (0x10000040, 310, 500, 128, 1, 1, 1, 0), (0x40000000, 600, 610, 64, 0, 0xFFFF, 0, 1)]
    put("axi_trace", "small.vpt", axi_trace_binary(b"u280 seed", 1000, masters, channels, records))
    put("axi_trace", "small.txt", axi_trace_text(b"u280 seed", 1000, masters, channels, records))


if __name__ == "__main__":
    main()
