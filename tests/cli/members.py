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
"""
import struct
import sys


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
