#!/usr/bin/env python3
"""Look at and damage the sized members of a .gz file (pardec.bats).

  members.py list FILE              one line per member: OFFSET LENGTH KIND
                                    (walking the PG or BC subfields)
  members.py setlen FILE I N        member I says its length is N
  members.py poke FILE OFFSET HEX   the byte at OFFSET becomes HEX
  members.py flip FILE OFFSET       every bit of the byte at OFFSET flips
                                    (damage that is certain: a poke may
                                    write the byte that was there)
  members.py le32 FILE OFFSET N     4 bytes at OFFSET become N (little-endian)
  members.py build IN OUT PAD COMMENT SIZE...
                                    OUT: IN in PG members of the SIZEs given
                                    (in turn, again until IN ends), each
                                    header padded with a PAD-byte subfield
                                    and a COMMENT-byte comment (0: none)
"""
import struct
import sys
import zlib


def member(data, pad, comment):
    """One gzip member of `data` that says its whole length (PG)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    extra = b'PG' + struct.pack('<H', 4) + b'\0\0\0\0'
    if pad:
        extra += b'XX' + struct.pack('<H', pad) + bytes(pad)
    flags = 4 | (16 if comment else 0)
    header = b'\x1f\x8b\x08' + bytes([flags]) + bytes(4) + b'\x00\x03'
    header += struct.pack('<H', len(extra)) + extra
    if comment:
        header += b'c' * comment + b'\0'
    whole = bytearray(header + body + struct.pack(
        '<II', zlib.crc32(data), len(data) & 0xffffffff))
    struct.pack_into('<I', whole, 16, len(whole))
    return bytes(whole)


def build(src, dst, pad, comment, sizes):
    data = open(src, 'rb').read()
    out, at, i = [], 0, 0
    while at < len(data):
        n = sizes[i % len(sizes)]
        out.append(member(data[at:at + n], pad, comment))
        at, i = at + n, i + 1
    open(dst, 'wb').write(b''.join(out))


def walk(data):
    at = 0
    while at + 12 <= len(data) and data[at:at + 2] == b'\x1f\x8b':
        flags = data[at + 3]
        if not flags & 4:
            return
        xlen = struct.unpack_from('<H', data, at + 10)[0]
        x, found = at + 12, None
        while x + 4 <= at + 12 + xlen:
            si, sub = data[x:x + 2], struct.unpack_from('<H', data, x + 2)[0]
            if si == b'PG':
                found = (struct.unpack_from('<I', data, x + 4)[0], 'PG', x + 4)
            elif si == b'BC':
                found = (struct.unpack_from('<H', data, x + 4)[0] + 1, 'BC',
                         x + 4)
            x += 4 + sub
        if found is None:
            return
        yield at, found[0], found[1], found[2]
        at += found[0]


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == 'build':
        build(path, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
              [int(n) for n in sys.argv[6:]])
        return
    data = bytearray(open(path, 'rb').read())
    if cmd == 'list':
        for at, length, kind, _ in walk(data):
            print(at, length, kind)
        return
    if cmd == 'setlen':
        i, n = int(sys.argv[3]), int(sys.argv[4])
        at, _, kind, field = list(walk(data))[i]
        if kind == 'PG':
            struct.pack_into('<I', data, field, n)
        else:
            struct.pack_into('<H', data, field, n - 1)
    elif cmd == 'poke':
        data[int(sys.argv[3])] = int(sys.argv[4], 16)
    elif cmd == 'flip':
        data[int(sys.argv[3])] ^= 0xff
    elif cmd == 'le32':
        struct.pack_into('<I', data, int(sys.argv[3]), int(sys.argv[4]))
    open(path, 'wb').write(data)


main()
