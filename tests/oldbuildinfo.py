#!/usr/bin/env python3
"""oldbuildinfo.py DIR - write small ELF files holding Go build information
laid out as the Go linker does (cmd/link, debug/buildinfo), for the layouts
no Go toolchain on this machine writes any more, and the lines
gobuildinfo-dump must print for them (DIR/expected).

  old64le  ELF64 little-endian, Go 1.13-1.17 layout (two pointers to Go
           string headers), found through the .go.buildinfo section
  old32be  ELF32 big-endian, the same layout with 4-byte pointers, no
           section headers: found in the first writable PT_LOAD segment,
           after a misaligned decoy of the magic
  new64nosh ELF64 little-endian, Go 1.18 inline layout, no section headers
  nomod    old layout, a version but module information without framing

The lines are written from the values put in, not read back; the test also
compares them with `go version -m` where Go 1.19's reader copes (it loops
for ever on the misaligned decoy of old32be).
"""
import os
import struct
import sys

MAGIC = b"\xff Go buildinf:"
START = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
END = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
VADDR = 0x401000
DATA_OFF = 0x1000


def modinfo(path, mod, version):
    text = "path\t%s\nmod\t%s\t%s\th1:abc=\ndep\tgolang.org/x/sys\tv0.1.0\th1:x=\n" % (
        path, mod, version)
    return START + text.encode() + END


def old_blob(end, ptr, version, mod, lead=b""):
    """lead bytes, then the 32-byte header, two string headers, the data."""
    p = "<" if end == "le" else ">"
    w = "I" if ptr == 4 else "Q"
    base = VADDR + len(lead)
    hdr_v = base + 32
    hdr_m = hdr_v + 2 * ptr
    data_v = hdr_m + 2 * ptr
    data_m = data_v + len(version)
    head = MAGIC + bytes([ptr, 0 if end == "le" else 1])
    head += struct.pack(p + w + w, hdr_v, hdr_m)
    head = head.ljust(32, b"\0")
    strs = struct.pack(p + w + w, data_v, len(version))
    strs += struct.pack(p + w + w, data_m, len(mod))
    return lead + head + strs + version + mod


def uvarint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def new_blob(version, mod):
    head = (MAGIC + bytes([8, 2])).ljust(32, b"\0")
    # data follows in a real binary (and debug/buildinfo of Go 1.19 wants it)
    return (head + uvarint(len(version)) + version + uvarint(len(mod)) + mod +
            b"\0" * 16)


def elf(bits, end, data, sections):
    p = "<" if end == "le" else ">"
    ident = b"\x7fELF" + bytes([2 if bits == 64 else 1,
                                 1 if end == "le" else 2, 1]) + b"\0" * 9
    body = bytearray(DATA_OFF)
    body += data
    shoff = shnum = shstrndx = 0
    if sections:
        names = b"\0.shstrtab\0.go.buildinfo\0"
        stroff = len(body)
        body += names
        while len(body) % 8:
            body += b"\0"
        shoff = len(body)
        shnum, shstrndx = 3, 1
        if bits == 64:
            f = p + "IIQQQQIIQQ"
        else:
            f = p + "IIIIIIIIII"
        body += struct.pack(f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        body += struct.pack(f, 1, 3, 0, 0, stroff, len(names), 0, 0, 1, 0)
        body += struct.pack(f, 11, 1, 3, VADDR, DATA_OFF, len(data), 0, 0,
                            16, 0)
    if bits == 64:
        eh = ident + struct.pack(p + "HHIQQQIHHHHHH", 2, 62, 1, 0, 64, shoff,
                                 0, 64, 56, 1, 64, shnum, shstrndx)
        ph = struct.pack(p + "IIQQQQQQ", 1, 6, DATA_OFF, VADDR, VADDR,
                         len(data), len(data), 0x1000)
    else:
        eh = ident + struct.pack(p + "HHIIIIIHHHHHH", 2, 8, 1, 0, 52, shoff,
                                 0, 52, 32, 1, 40, shnum, shstrndx)
        ph = struct.pack(p + "IIIIIIII", 1, DATA_OFF, VADDR, VADDR,
                         len(data), len(data), 6, 0x1000)
    body[0:len(eh)] = eh
    body[len(eh):len(eh) + len(ph)] = ph
    return bytes(body)


def main():
    out = sys.argv[1]
    cases = [
        ("old64le", 64, "le", True,
         old_blob("le", 8, b"go1.16.15", modinfo("example.com/old/cmd/x",
                                                 "example.com/old", "v1.2.3")),
         "go1.16.15", "example.com/old/cmd/x", ("example.com/old", "v1.2.3")),
        ("old32be", 32, "be", False,
         old_blob("be", 4, b"go1.13", modinfo("example.org/tool",
                                              "example.org/tool", "(devel)"),
                  lead=b"\0\0\0" + MAGIC + b"\0" * 15),
         "go1.13", "example.org/tool", ("example.org/tool", "(devel)")),
        ("new64nosh", 64, "le", False,
         new_blob(b"go1.21.0", modinfo("a.b/c", "a.b/c", "v0.0.1")),
         "go1.21.0", "a.b/c", ("a.b/c", "v0.0.1")),
        ("nomod", 64, "le", True,
         old_blob("le", 8, b"go1.14", b"not framed module text"),
         "go1.14", None, None),
    ]
    lines = []
    for name, bits, end, sections, data, ver, path, mod in cases:
        fn = os.path.join(out, name)
        with open(fn, "wb") as f:
            f.write(elf(bits, end, data, sections))
        lines.append("%s: %s" % (fn, ver))
        if path:
            lines.append("\tpath\t%s" % path)
        if mod:
            lines.append("\tmod\t%s\t%s" % mod)
    with open(os.path.join(out, "expected"), "w") as f:
        f.write("\n".join(lines) + "\n")


main()
