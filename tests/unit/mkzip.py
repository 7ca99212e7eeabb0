#!/usr/bin/env python3
"""Write a zip file to standard output whose first entry holds standard
input, for the unzip tests (test_unzip.c).  Usage: mkzip.py VARIANT

  stored, deflated, bzip2         one entry, written to a seekable file:
                                  sizes and CRC in the local header
  stored-stream, deflated-stream  one entry, written to a non-seekable
                                  file: a data descriptor after the data
  two-stored, two-deflated        the entry, then a second one
"""
import io
import sys
import zipfile

METHODS = {"stored": zipfile.ZIP_STORED, "deflated": zipfile.ZIP_DEFLATED,
           "bzip2": zipfile.ZIP_BZIP2}


class Unseekable(io.RawIOBase):
    """A file object that cannot seek, as a pipe: zipfile streams."""

    def __init__(self, out):
        self.out = out

    def writable(self):
        return True

    def seekable(self):
        return False

    def write(self, b):
        return self.out.write(b)


def main():
    variant = sys.argv[1]
    data = sys.stdin.buffer.read()
    name = "a-rather-long-entry-name-" + "x" * 40 + ".txt"
    base = variant.replace("two-", "").replace("-stream", "")
    method = METHODS[base]
    if variant.endswith("-stream"):
        with zipfile.ZipFile(Unseekable(sys.stdout.buffer), "w", method) as z:
            with z.open(name, "w") as w:
                w.write(data)
        return
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr(name, data)
        if variant.startswith("two-"):
            z.writestr("second.txt", b"the second entry")
    sys.stdout.buffer.write(buf.getvalue())


if __name__ == "__main__":
    main()
