#!/usr/bin/env python3
"""span.py -- helpers for tests/cli/rsyncable.bats (and for measuring).

  span.py span A B     the differing span of two gzip files: "FIRST LAST
                       SPAN", FIRST the offset of the first differing byte,
                       LAST that of the last one (in the longer file),
                       SPAN = LAST - FIRST + 1; the last 8 bytes of each
                       file (the trailer) are left out; "0 0 0" when the
                       rest is equal.
  span.py cuts GZ      the input offset after each member of a pgz file
                       (hopping by the PG lengths; a file without them is
                       one member), one a line: where the blocks were cut.
  span.py largest GZ   the summed length of its two largest members.
  span.py edit IN OUT HOW POS
                       OUT is IN with, at offset POS: HOW insert, 100
                       bytes 'X' inserted; delete, 100 bytes deleted; change,
                       the byte there changed.
  span.py data KIND N SEED
                       N bytes of deterministic data on stdout: KIND
                       random, or text (words, lines).
"""
import random
import struct
import sys


def common_prefix(a, b):
    n, i, step = min(len(a), len(b)), 0, 65536
    while i < n and a[i:i + step] == b[i:i + step]:
        i += step
    while i < n and a[i] == b[i]:
        i += 1
    return min(i, n)


def span(path_a, path_b):
    a = open(path_a, 'rb').read()[:-8]
    b = open(path_b, 'rb').read()[:-8]
    if a == b:
        print(0, 0, 0)
        return
    first = common_prefix(a, b)
    same_end = common_prefix(a[first:][::-1], b[first:][::-1])
    last = max(len(a), len(b)) - same_end - 1
    print(first, last, last - first + 1)


def members(path):
    """(length, ISIZE) of each member."""
    data = open(path, 'rb').read()
    off, found = 0, []
    while off < len(data):
        assert data[off:off + 3] == b'\x1f\x8b\x08', 'no member at %d' % off
        length = len(data) - off
        if data[off + 3] & 4:
            xlen, = struct.unpack_from('<H', data, off + 10)
            if xlen == 8 and data[off + 12:off + 14] == b'PG':
                length, = struct.unpack_from('<I', data, off + 16)
        found.append((length,
                      struct.unpack_from('<I', data, off + length - 4)[0]))
        off += length
    return found


def cuts(path):
    total = 0
    for _, isize in members(path):
        total += isize
        print(total)


def largest(path):
    lengths = sorted(length for length, _ in members(path))
    print(sum(lengths[-2:]))


def edit(path_in, path_out, how, pos):
    d = open(path_in, 'rb').read()
    if how == 'insert':
        d = d[:pos] + b'X' * 100 + d[pos:]
    elif how == 'delete':
        d = d[:pos] + d[pos + 100:]
    else:
        d = d[:pos] + bytes([d[pos] ^ 0x55]) + d[pos + 1:]
    open(path_out, 'wb').write(d)


def data(kind, n, seed):
    rng = random.Random(seed)
    if kind == 'random':
        sys.stdout.buffer.write(rng.randbytes(n))
        return
    words = [''.join(rng.choice('etaoinshrdlucmfwyp') for _ in
                     range(rng.randint(1, 9))) for _ in range(3000)]
    out, size = [], 0
    while size < n:
        line = ' '.join(rng.choice(words) for _ in range(rng.randint(3, 14)))
        out.append(line + '\n')
        size += len(line) + 1
    sys.stdout.buffer.write(''.join(out).encode()[:n])


if __name__ == '__main__':
    if sys.argv[1] == 'span':
        span(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'cuts':
        cuts(sys.argv[2])
    elif sys.argv[1] == 'largest':
        largest(sys.argv[2])
    elif sys.argv[1] == 'edit':
        edit(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        data(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
