#!/usr/bin/env python3
"""cli_prop.py -- property tests of pgz's command line.

Each case, built from one seed alone, makes a random file tree (files of
0 to 600 KiB, compressible or not, nested directories, gzip files whole,
multi-member, padded, damaged or fake, and files pgz must refuse:
symbolic links, hard links, set-ID and sticky files, FIFOs, existing
outputs, odd time stamps), picks random options and operands (existing,
missing, empty, "-", duplicated), runs pgz in the tree and checks what it
did against invariants that hold whatever the options:

  - the exit status is 0, 1 or 2; every line on stderr is a "pgz: "
    message, or with -v a verbose line; status 1 comes with an error
    message, 2 with warnings only (unless -q), 0 with neither;
  - no temporary (".pgz.*") is left;
  - every file that existed is still there, byte-identical, with its
    mode and times, or it was an input that pgz removed after writing
    its output: a .gz that the system gzip decodes to its exact bytes
    (compressing), a file holding its decoded data (decompressing);
  - a file that existed is changed only if it is an output replaced with
    -f, and then it is a complete, correct output; every new file is one;
    outputs carry the input's permission bits and no set-ID or sticky bit;
  - with -c, -t or -l the tree is untouched;
  - when the status is 0: every file the operands name was handled; -c
    output decodes (with gzip, and with pgz -d) to the inputs in argument
    order (-r: sorted depth first); -d -c gives the decoded inputs; -t
    accepted only sound files; -l lists every file with its true sizes;
    new .gz files decode with pgz -dc too (the round trip).

In interrupt mode (--interrupts: every other case, chosen by the seed)
pgz is killed with SIGTERM, SIGINT, SIGHUP or SIGKILL after a random
delay, and the tree must still hold: inputs intact or properly replaced,
no output under a final name that is partial, no temporary left, except
hidden ".pgz.*" ones after SIGKILL (a named temporary where O_TMPFILE is
not used, PGZ_NO_O_TMPFILE=1; an output linked in before its rename
under -f; an input renamed aside on its way out, its output complete).

A failure prints the seed, the command line and the reasons; rerun one
case with --seed SEED --cases 1 (and --interrupts if it was given),
--keep to keep its tree.

Usage: cli_prop.py [--pgz PATH] [--seed N] [--cases N] [--time SECONDS]
                   [--interrupts] [--keep] [--verbose]
"""

import argparse
import gzip
import hashlib
import io
import os
import random
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zlib

KNOWN_SUFFIXES = [".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z"]
TEMP_PREFIX = ".pgz."
RUN_TIMEOUT = 120
MAX_CHAIN = 8       # -f -r over a directory named N times: N levels of .gz
WORDS = (b"the quick brown fox jumps over lazy dog gzip deflate block "
         b"member header trailer crc length worker channel planner "
         b"0 1 2 3 4 5 6 7 8 9 alpha beta gamma delta\n").split(b" ")


# ---- gzip helpers --------------------------------------------------------

def gunzip(data, lenient):
    """The members of `data` decoded and joined, as pgz -d would give
    them; zero bytes after the last member are ignored, other trailing
    bytes too when `lenient` (pgz's trailing-garbage warning).  None if
    `data` is not gzip, or is damaged."""
    out = []
    pos = 0
    first = True
    while pos < len(data) or first:
        if data[pos:pos + 2] != b"\x1f\x8b":
            if first:
                return None
            rest = data[pos:]
            if rest.strip(b"\0") == b"" or lenient:
                break
            return None
        d = zlib.decompressobj(31)
        try:
            chunk = d.decompress(data[pos:])
        except zlib.error:
            return None
        if not d.eof:
            return None
        out.append(chunk)
        pos = len(data) - len(d.unused_data)
        first = False
    return b"".join(out)


def zcat_f(data):
    """What gzip -cdf gives for `data`: its members decoded, and whatever
    is not a member (at the start, or after a member) copied as it is;
    None if a member is damaged."""
    out = []
    pos = 0
    while pos < len(data):
        if data[pos:pos + 2] != b"\x1f\x8b":
            out.append(data[pos:])
            break
        d = zlib.decompressobj(31)
        try:
            chunk = d.decompress(data[pos:])
        except zlib.error:
            return None
        if not d.eof:
            return None
        out.append(chunk)
        pos = len(data) - len(d.unused_data)
    return b"".join(out)


def stored_name(data):
    """FNAME of the first member's header, or None."""
    if len(data) < 10 or data[:3] != b"\x1f\x8b\x08":
        return None
    flg = data[3]
    pos = 10
    if flg & 4:
        if len(data) < pos + 2:
            return None
        pos += 2 + data[pos] + 256 * data[pos + 1]
    if not flg & 8:
        return None
    end = data.find(b"\0", pos)
    if end < 0:
        return None
    return data[pos:end].decode("latin-1")


def system_gunzip(data):
    """What the system gzip -dc gives for `data`, or None if it fails."""
    p = subprocess.run(["gzip", "-dc"], input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.stdout if p.returncode == 0 and not p.stderr else None


def make_gz(rng, data, fname):
    buf = io.BytesIO()
    with gzip.GzipFile(filename=fname or "", mode="wb", fileobj=buf,
                       compresslevel=rng.randint(1, 9),
                       mtime=rng.choice([0, 1600000000, 1234567890])) as g:
        g.write(data)
    return buf.getvalue()


def compressed_suffix(name, suffix):
    """pgz's (and gzip's) test: the compressed suffix `name` ends with
    (case-insensitively), or None."""
    for s in [suffix] + KNOWN_SUFFIXES:
        if (len(name) > len(s) and name[-len(s) - 1] != "/"
                and name[-len(s):].lower() == s.lower()):
            return name[-len(s):]
    return None


# ---- the random tree -----------------------------------------------------

def content(rng, size=None):
    if size is None:
        r = rng.random()
        if r < 0.08:
            size = 0
        elif r < 0.6:
            size = rng.randint(1, 4096)
        elif r < 0.9:
            size = rng.randint(4096, 100 * 1024)
        else:
            size = rng.randint(100 * 1024, 600 * 1024)
    kind = rng.choice(["random", "text", "text", "zeros", "mixed"])
    if kind == "random":
        return rng.randbytes(size)
    if kind == "zeros":
        return bytes(size)
    words = []
    n = 0
    while n < size:
        w = rng.choice(WORDS)
        words.append(w)
        n += len(w) + 1
    text = b" ".join(words)[:size]
    if kind == "mixed":
        half = size // 2
        return rng.randbytes(half) + text[:size - half]
    return text


STEMS = ["a", "b", "c", "d", "x", "y", "data", "log", "notes.txt", "img.bin",
         "x.tar", "archive", "f1", "f2", "f10", "README", "Z", "m-n", "u_v"]


class Tree:
    """Builds the tree under `root` and remembers facts for operands."""

    def __init__(self, rng, root):
        self.rng = rng
        self.root = root
        self.paths = []          # relative paths of everything created
        self.dirs = []
        self.gz = []             # relative paths of gzip-named files
        self.good_gz = []        # ... that hold sound gzip data
        self.chmod_later = []    # directories made read-only at the end

    def name(self, used):
        rng = self.rng
        for _ in range(100):
            r = rng.random()
            stem = rng.choice(STEMS)
            if r < 0.03:
                stem = "-" + stem            # needs "--" as an operand
            elif r < 0.06:
                stem = "." + stem
            elif r < 0.3:
                stem = "%s%d" % (stem, rng.randint(0, 99))
            if stem not in used:
                used.add(stem)
                return stem
        raise RuntimeError("no free name")

    def write(self, rel, data, mode=0o644):
        path = os.path.join(self.root, rel)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        self.paths.append(rel)

    def gz_variant(self, rel_stem, used, data):
        """A gzip-named file next to the stem: whole, multi-member, padded,
        damaged or fake."""
        rng = self.rng
        sfx = rng.choice([".gz", ".gz", ".gz", ".z", "-gz", "_z", ".tgz",
                          ".GZ", ".zz"])
        base = os.path.basename(rel_stem) + sfx
        if base in used:
            return
        used.add(base)
        rel = os.path.join(os.path.dirname(rel_stem), base)
        r = rng.random()
        if r < 0.68 or 0.86 <= r < 0.92:
            self.good_gz.append(rel)
        fname = rng.choice([None, os.path.basename(rel_stem),
                            os.path.basename(rel_stem),
                            "renamed", base])
        gz = make_gz(rng, data, fname)
        if r < 0.45:
            pass
        elif r < 0.55:
            gz = gz + make_gz(rng, b"", None) + make_gz(rng, content(rng, 3000), None)
        elif r < 0.62:
            gz = gz + bytes(rng.randint(1, 600))
        elif r < 0.68:
            gz = gz + b"garbage after the member\n"
        elif r < 0.74:
            gz = gz[:rng.randint(0, len(gz) - 1)]
        elif r < 0.80:
            i = len(gz) - 8 + rng.randint(0, 3)
            gz = gz[:i] + bytes([gz[i] ^ 0x5a]) + gz[i + 1:]
        elif r < 0.86:
            gz = b"this is not gzip data\n" * rng.randint(0, 5)
        elif r < 0.92:
            gz = make_gz(rng, gz, None)           # gzip of gzip
        self.write(rel, gz, rng.choice([0o644, 0o644, 0o600, 0o755]))
        self.gz.append(rel)

    def add_file(self, reldir, used):
        rng = self.rng
        stem = self.name(used)
        rel = os.path.join(reldir, stem) if reldir else stem
        data = content(rng)
        r = rng.random()
        if r < 0.65:
            self.write(rel, data, rng.choice([0o644, 0o644, 0o600, 0o640, 0o755]))
            if rng.random() < 0.35:
                self.gz_variant(rel, used, data)
        elif r < 0.85:
            # Only the compressed file: what -d works on.
            self.gz_variant(rel, used, data)
            used.discard(stem)
        else:
            self.special(rel, reldir, used, data)

    def special(self, rel, reldir, used, data):
        rng = self.rng
        path = os.path.join(self.root, rel)
        kind = rng.choice(["symlink", "symlink", "dangling", "loop",
                           "dirlink", "hardlink", "setuid", "sticky",
                           "fifo", "oldtime", "hugetime", "unreadable"])
        if kind in ("symlink", "hardlink"):
            target = self.name(used)
            trel = os.path.join(reldir, target) if reldir else target
            self.write(trel, data)
            if kind == "symlink":
                os.symlink(target, path)
                self.paths.append(rel)
            else:
                os.link(os.path.join(self.root, trel), path)
                self.paths.append(rel)
        elif kind == "dangling":
            os.symlink("nowhere", path)
            self.paths.append(rel)
        elif kind == "loop":
            os.symlink(os.path.basename(rel), path)
            self.paths.append(rel)
        elif kind == "dirlink":
            os.symlink(".", path)
            self.paths.append(rel)
        elif kind == "setuid":
            self.write(rel, data, rng.choice([0o4755, 0o2755]))
        elif kind == "sticky":
            self.write(rel, data, 0o1644)
        elif kind == "fifo":
            os.mkfifo(path)
            self.paths.append(rel)
        elif kind == "oldtime":
            self.write(rel, data)
            os.utime(path, (0, rng.choice([0, -86400 * 365])))
        elif kind == "hugetime":
            self.write(rel, data)
            os.utime(path, (0, 2 ** 32 + 12345))
        elif kind == "unreadable":
            self.write(rel, data, 0o000 if os.geteuid() != 0 else 0o644)

    def add_dir(self, reldir, depth):
        rng = self.rng
        used = set()
        for _ in range(rng.randint(0, 7 if depth == 0 else 4)):
            self.add_file(reldir, used)
        if depth < 2:
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                sub = self.name(used)
                rel = os.path.join(reldir, sub) if reldir else sub
                os.mkdir(os.path.join(self.root, rel))
                self.dirs.append(rel)
                self.paths.append(rel)
                self.add_dir(rel, depth + 1)
                if os.geteuid() != 0 and rng.random() < 0.04:
                    self.chmod_later.append(rel)

    def build(self):
        self.add_dir("", 0)
        for rel in self.chmod_later:
            os.chmod(os.path.join(self.root, rel), 0o555)


# ---- snapshots -----------------------------------------------------------

class Entry:
    __slots__ = ("kind", "mode", "mtime", "ino", "data", "target")


def read_all(path, st):
    try:
        with open(path, "rb") as f:
            return f.read()
    except PermissionError:
        os.chmod(path, 0o600)
        try:
            with open(path, "rb") as f:
                return f.read()
        finally:
            os.chmod(path, stat.S_IMODE(st.st_mode))


def snapshot(root):
    """Every path under `root` (relative, without following symlinks), and
    "." for `root` itself."""
    snap = {}
    top = Entry()
    top.kind, top.mode, top.mtime, top.ino, top.data, top.target = "d", 0, 0, 0, None, None
    snap["."] = top
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            e = Entry()
            e.mode = stat.S_IMODE(st.st_mode)
            e.mtime = st.st_mtime_ns
            e.ino = st.st_ino
            e.data = None
            e.target = None
            if stat.S_ISDIR(st.st_mode):
                e.kind = "d"
            elif stat.S_ISLNK(st.st_mode):
                e.kind = "l"
                e.target = os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                e.kind = "f"
                e.data = read_all(path, st)
            elif stat.S_ISFIFO(st.st_mode):
                e.kind = "p"
            else:
                e.kind = "o"
            snap[rel] = e
        # os.walk does not descend into symlinks to directories: good.
    return snap


# ---- options and operands ------------------------------------------------

class Case:
    pass


def pick_case(seed, interrupts):
    rng = random.Random(seed)
    c = Case()
    c.seed = seed
    c.rng = rng
    c.interrupt = interrupts and rng.random() < 0.5
    r = rng.random()
    c.mode = ("compress" if r < 0.5 else "decompress" if r < 0.78
              else "test" if r < 0.89 else "list")
    c.stdout = c.mode in ("compress", "decompress") and rng.random() < 0.3
    c.force = rng.random() < 0.35
    c.keep = rng.random() < 0.4
    c.recursive = rng.random() < 0.5
    c.quiet = c.verbose = False
    c.suffix = ".gz"
    c.info_only = False
    c.usage_error = False
    c.no_tmpfile = rng.random() < 0.25
    flags = []          # one list per option, with its argument
    if c.mode == "decompress":
        flags.append([rng.choice(["-d", "--decompress", "--uncompress"])])
    elif c.mode == "test":
        flags.append([rng.choice(["-t", "--test"])])
        if rng.random() < 0.2:
            flags.append(["-d"])
    elif c.mode == "list":
        flags.append([rng.choice(["-l", "--list"])])
        if rng.random() < 0.2:
            flags.append([rng.choice(["-d", "-t"])])
    if c.stdout:
        flags.append([rng.choice(["-c", "--stdout", "--to-stdout"])])
    if c.force:
        flags.append([rng.choice(["-f", "--force"])])
    if c.keep:
        flags.append([rng.choice(["-k", "--keep"])])
    if c.recursive:
        flags.append([rng.choice(["-r", "--recursive"])])
    if rng.random() < 0.5:
        flags.append([rng.choice(["-%d" % rng.randint(1, 9), "--fast", "--best"])])
    if rng.random() < 0.6:
        n = str(rng.randint(1, 4))
        flags.append(rng.choice([["-j", n], ["-j" + n], ["--jobs=" + n], ["-p", n]]))
    if rng.random() < 0.35:
        k = str(rng.choice([32, 32, 64, 100, 128, 256]))
        flags.append(rng.choice([["-b", k], ["--blocksize=" + k]]))
    if rng.random() < 0.15:
        flags.append([rng.choice(["-i", "--independent"])])
    if rng.random() < 0.3:      # the other engine than the default, often
        flags.append(["--engine=zlib"])
    if rng.random() < 0.25:
        flags.append([rng.choice(["-n", "-N", "--name", "--no-name"])])
    if rng.random() < 0.15:
        c.suffix = rng.choice([".gz", ".z", "_z", ".zz", "-x", ".pgz"])
        flags.append(rng.choice([["-S", c.suffix], ["--suffix=" + c.suffix]]))
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        if rng.random() < 0.5:
            c.quiet, c.verbose = True, False
            flags.append([rng.choice(["-q", "--quiet", "--silent"])])
        else:
            c.quiet, c.verbose = False, True
            flags.append([rng.choice(["-v", "--verbose"])])
    if rng.random() < 0.05:
        flags.append(["--synchronous"])
    r = rng.random()
    if r < 0.02:
        flags.append([rng.choice(["-V", "--version", "-h", "--help", "-L"])])
        c.info_only = True
    elif r < 0.05:
        bad = rng.choice([["-j", "0"], ["-b", "7"], ["-S", ""], ["-S", "a/b"],
                          ["--bogus"], ["-y"]])
        if bad[0] == "-S":      # the last -S wins: leave no valid one
            flags = [g for g in flags if g[0] != "-S" and not g[0].startswith("--suffix")]
        flags.append(bad)
        c.usage_error = True
    rng.shuffle(flags)
    # Options bundled behind one dash now and then: "-k -f" as "-kf".
    short = [g for g in flags if len(g) == 1 and re.fullmatch(r"-[a-zA-Z1-9]", g[0])]
    if len(short) >= 2 and rng.random() < 0.3:
        flags = [g for g in flags if g not in short] + [["-" + "".join(g[0][1] for g in short)]]
    flags = [f for g in flags for f in g]
    c.flags = flags
    # -q and -v: the last one wins.
    takes_arg = False
    for tok in flags:
        if takes_arg:
            takes_arg = False
        elif tok in ("--quiet", "--silent"):
            c.quiet, c.verbose = True, False
        elif tok == "--verbose":
            c.quiet, c.verbose = False, True
        elif re.fullmatch(r"-[a-zA-Z1-9]+", tok):
            for ch in tok[1:]:
                if ch == "q":
                    c.quiet, c.verbose = True, False
                elif ch == "v":
                    c.quiet, c.verbose = False, True
            takes_arg = tok in ("-j", "-p", "-b", "-S")
    return c


def pick_operands(c, tree):
    """Operands: most cases name existing files and directories only; the
    rest mix in missing names, "", "-", FILE for FILE.gz and repeats."""
    rng = c.rng
    ops = []
    if rng.random() < 0.06:
        c.operands = []                         # stdin
        return
    plain = [p for p in tree.paths if os.path.isdir(os.path.join(tree.root, p)) or
             os.path.isfile(os.path.join(tree.root, p))]
    top = [p for p in tree.paths if "/" not in p]
    if rng.random() < 0.45:
        pool = plain if rng.random() < 0.5 else [p for p in plain if "/" not in p]
        if c.mode != "compress":
            r = rng.random()
            if r < 0.5 and tree.good_gz:
                pool = tree.good_gz
            elif r < 0.8 and tree.gz:
                pool = tree.gz              # damaged ones too
        pool = pool or plain
        if pool:
            c.operands = rng.sample(pool, min(len(pool), rng.randint(1, 6)))
            return
    for _ in range(rng.randint(1, 7)):
        r = rng.random()
        if r < 0.45 and top:
            ops.append(rng.choice(top))
        elif r < 0.75 and tree.paths:
            ops.append(rng.choice(tree.paths))
        elif r < 0.83 and tree.gz:
            g = rng.choice(tree.gz)
            s = compressed_suffix(g, c.suffix)
            ops.append(g[:-len(s)] if s else g)   # FILE for FILE.gz
        elif r < 0.89:
            ops.append("missing%d" % rng.randint(0, 9))
        elif r < 0.91:
            ops.append("")
        elif r < 0.94 and "-" not in ops:
            ops.append("-")
        elif r < 0.97 and tree.dirs:
            ops.append(rng.choice(tree.dirs) + "/")
        elif [o for o in ops if o != "-"]:
            ops.append(rng.choice([o for o in ops if o != "-"]))  # twice
    c.operands = ops


def command(c, pgz):
    ops = c.operands
    if any(o.startswith("-") and o != "-" for o in ops):
        return [pgz] + c.flags + ["--"] + ops
    return [pgz] + c.flags + ops


# ---- pgz's walk over the operands, for the checks ------------------------

def walk(c, snap):
    """The files pgz visits, in order ("-" for stdin), in the tree as it
    was before the run (walk.c: operands in order; under -r a directory's
    entries sorted by name in byte order, depth first; symlinks to
    directories walked only with -f; no directory twice on one path)."""
    out = []

    def is_dir(rel, follow):
        e = resolve(snap, rel) if follow else snap.get(norm(rel))
        return e is not None and e.kind == "d"

    def walk_dir(rel, seen):
        real = resolve_path(snap, rel)
        if real in seen:
            return
        seen = seen | {real}
        names = sorted((os.path.basename(p) for p in snap
                        if p != "." and parent(p) == real), key=lambda n: n.encode())
        for n in names:
            child = rel + n if rel.endswith("/") else rel + "/" + n
            e = snap[n if real == "." else real + "/" + n]
            if e.kind == "d" or (e.kind == "l" and c.force and is_dir(child, True)):
                walk_dir(child, seen)
            else:
                out.append(child)

    ops = c.operands if c.operands else ["-"]
    for op in ops:
        if op == "-":
            out.append("-")
        elif c.recursive and is_dir(op, c.force):
            walk_dir(op, frozenset())
        else:
            out.append(op)
    return out


def parent(rel):
    return os.path.dirname(rel) or "."


def norm(rel):
    """A snapshot key for the path `rel` (no symlink followed), or None."""
    if not rel or rel.startswith("/"):
        return None
    n = os.path.normpath(rel)
    return None if n.startswith("..") else n


def resolve_path(snap, rel, depth=0):
    """The snapshot key of what `rel` names, every symbolic link followed
    ("." for the top of the tree), or None if it names nothing."""
    if not rel or rel.startswith("/") or depth > 8:
        return None
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    cur = "."
    for part in parts:
        if part == "..":
            if cur == ".":
                return None
            cur = parent(cur)
            continue
        nxt = part if cur == "." else cur + "/" + part
        e = snap.get(nxt)
        if e is None:
            return None
        if e.kind == "l":
            target = e.target if cur == "." else cur + "/" + e.target
            cur = resolve_path(snap, target, depth + 1)
            if cur is None:
                return None
        else:
            cur = nxt
    return cur


def lkey(snap, rel):
    """The snapshot key of the path `rel` as lstat() sees it: symbolic
    links followed on the way, not at the end (None if its directory is
    not there)."""
    if not rel or rel.startswith("/"):
        return None
    rel = rel.rstrip("/") or "."
    head, base = os.path.split(rel)
    if base in (".", ".."):
        return resolve_path(snap, rel)
    d = resolve_path(snap, head) if head else "."
    if d is None:
        return None
    return base if d == "." else d + "/" + base


def resolve(snap, rel):
    """The entry `rel` names, following symbolic links (None if none)."""
    key = resolve_path(snap, rel)
    return None if key is None else snap.get(key)


# ---- the checks ----------------------------------------------------------

WARNINGS = [
    r" is a directory -- ignored$",
    r" is not a directory or a regular file - ignored$",
    r" is set-(user|group)-ID on execution - ignored$",
    r" has the sticky bit set - file ignored$",
    r" has \d+ other links? -- file ignored$",
    r" already exists;\tnot overwritten$",
    r": warning: file timestamp out of range for gzip format$",
    r": file size changed while zipping$",
    r": replaced while it was read -- not removed$",
    r": unknown suffix -- ignored$",
    r": decompression OK, trailing garbage ignored$",
    r": decompression OK, trailing zero bytes ignored$",
]
INFOS = [r" already has \S+ suffix -- unchanged$"]
VERBOSE = [
    r"^.*:\t OK$",
    r"^ *-?\d+\.\d%$",
    r"^.*:\t *-?\d+\.\d% -- (created|replaced with) .*$",
]
USAGE_HINT = "Try `pgz --help' for more information."
# -v's last line with several files: "N files (E errors, W warnings), ..."
SUMMARY = re.compile(r"^([\d,]+) files(?: \((?:([\d,]+) errors?)?(?:, )?"
                     r"(?:([\d,]+) warnings?)?\))?, \d+(?:\.\d)? [kMGTPE]?B -> "
                     r"\d+(?:\.\d)? [kMGTPE]?B \(\d+\.\d%\), \d+\.\d\d s, "
                     r"\d+(?:\.\d)? [kMGTPE]?B/s$")


class Checker:
    def __init__(self, c, before, after, stdin, pgz, cwd):
        self.c = c
        self.cwd = cwd
        self.before = before
        self.after = after
        self.stdin = stdin
        self.pgz = pgz
        self.problems = []
        self.chains = {}

    def fail(self, msg):
        self.problems.append(msg)

    # -- contents

    def content_of(self, rel):
        """What reading `rel` before the run gave (symlinks followed),
        or None for what is not a readable file."""
        e = resolve(self.before, rel)
        if e is None:
            return None
        if e.kind == "f":
            return e.data
        if e.kind == "p" and (self.c.stdout or self.c.mode in ("test", "list")):
            return b""      # read as a stream, as gzip does
        return None

    def meta_of(self, rel):
        return resolve(self.before, rel)

    def chain(self, data):
        """[decode(data), decode(decode(data)), ...] (lenient)."""
        key = hashlib.sha1(data).digest()
        if key not in self.chains:
            out = []
            d = data
            for _ in range(MAX_CHAIN):
                d = gunzip(d, True)
                if d is None:
                    break
                out.append(d)
            self.chains[key] = out
        return self.chains[key]

    def unzip_levels(self, data, levels):
        """`data` decoded `levels` times, the first by the system gzip."""
        d = system_gunzip(data)
        for _ in range(levels - 1):
            if d is None:
                return None
            d = gunzip(d, False)
        return d

    # -- outputs

    def valid_compressed(self, rel):
        """The inputs whose output of compression `rel` may be: NAME for
        NAME + SUFFIX that decodes to what NAME held (or NAME for NAME +
        SUFFIX + SUFFIX ..., when -f had pgz compress its own output
        again).  Empty if none."""
        S = self.c.suffix
        data = self.after[rel].data
        d = system_gunzip(data)
        k = 1
        while d is not None and k <= MAX_CHAIN:
            if rel.endswith(S * k):
                src = rel[:-len(S) * k]
                if os.path.basename(src) and self.content_of(src) == d:
                    return [src]
            d = gunzip(d, False)
            k += 1
        return []

    def valid_decompressed(self, rel):
        """The inputs whose output of decompression `rel` may be: files of
        the same directory whose decoded data it holds."""
        data = self.after[rel].data
        d = os.path.dirname(rel)
        found = []
        for src in self.before:
            if src == "." or os.path.dirname(src) != d or src == rel:
                continue
            cd = self.content_of(src)
            if cd is not None and data in self.chain(cd):
                found.append(src)
        return found

    def valid_output(self, rel):
        e = self.after[rel]
        if e.kind != "f":
            self.fail("%s: a %s where only a regular output may appear" % (rel, e.kind))
            return False
        srcs = (self.valid_compressed(rel) if self.c.mode == "compress"
                else self.valid_decompressed(rel))
        if not srcs:
            what = "gzip of" if self.c.mode == "compress" else "decoded data of"
            self.fail("%s: not the %s any input (partial or wrong output)" % (rel, what))
            return False
        modes = set(m.mode & 0o777 for m in map(self.meta_of, srcs) if m is not None)
        if e.mode & 0o7000:
            self.fail("%s: output has mode %o (set-ID or sticky bit)" % (rel, e.mode))
        elif modes and e.mode not in modes:
            self.fail("%s: mode %o, but its input %s has %s" % (
                rel, e.mode, " or ".join(srcs), " or ".join("%o" % m for m in sorted(modes))))
        return True

    def potential_output(self, rel):
        """Whether `rel` is a name that an output may take, and so a file
        that -f may replace (and pgz then take as an input again)."""
        c = self.c
        if c.mode == "compress":
            S = c.suffix
            return rel.endswith(S) and rel[:-len(S)] in self.before
        base = os.path.basename(rel)
        d = os.path.dirname(rel)
        for src in self.before:
            if os.path.dirname(src) != d or src == rel:
                continue
            s = compressed_suffix(src, c.suffix)
            if s and src[:-len(s)] + (".tar" if s.lower() in (".tgz", ".taz") else "") == rel:
                return True
            data = self.content_of(src)
            if data is not None:
                name = stored_name(data)
                if name and os.path.basename(name) == base:
                    return True
        return False

    def recoverable(self, rel):
        """An input that is gone left its data in an output."""
        c = self.c
        data = self.content_of(rel)
        if data is None:
            return False
        if c.mode == "compress":
            for j in range(1, MAX_CHAIN + 1):
                out = rel + c.suffix * j
                if out in self.after and self.after[out].kind == "f":
                    if self.unzip_levels(self.after[out].data, j) == data:
                        return True
            return False
        chain = self.chain(data)
        d = os.path.dirname(rel)
        for other, e in self.after.items():
            if e.kind == "f" and os.path.dirname(other) == d and e.data in chain:
                return True
        if c.force:
            # Two inputs with one output name (b.gz and b.GZ, or the same
            # stored name under -N): -f lets the last one win.
            s = compressed_suffix(rel, c.suffix)
            names = []
            if s:
                names.append(rel[:-len(s)] + (".tar" if s.lower() in (".tgz", ".taz") else ""))
            name = stored_name(data)
            if name and os.path.basename(name):
                names.append(os.path.join(d, os.path.basename(name)))
            if any(n in self.after and n not in (rel,) for n in names):
                return True
        return False

    # -- the tree

    def check_tree(self, temps_allowed):
        c = self.c
        writes = c.mode in ("compress", "decompress") and not c.stdout
        for rel, e in self.before.items():
            if rel == ".":
                continue
            a = self.after.get(rel)
            if a is None:
                if not writes:
                    self.fail("%s: removed by a run that writes no file" % rel)
                elif e.kind == "d":
                    self.fail("%s/: directory removed" % rel)
                elif c.keep:
                    self.fail("%s: removed despite -k" % rel)
                elif not self.recoverable(rel) and not (c.force and self.potential_output(rel)):
                    self.fail("%s: removed, and no output holds its data" % rel)
                continue
            if e.kind == "d":
                if a.kind != "d" or a.mode != e.mode:
                    self.fail("%s/: directory changed" % rel)
                continue
            same = (a.kind == e.kind and a.mode == e.mode and a.mtime == e.mtime
                    and a.ino == e.ino and a.data == e.data and a.target == e.target)
            if same:
                continue
            if not writes:
                self.fail("%s: changed by a run that writes no file" % rel)
            elif not c.force:
                self.fail("%s: changed without -f (kind %s->%s, mode %o->%o, "
                          "%s bytes->%s)" % (rel, e.kind, a.kind, e.mode, a.mode,
                                             len(e.data or b""), len(a.data or b"")))
            else:
                self.valid_output(rel)
        for rel, a in self.after.items():
            if rel in self.before:
                continue
            if os.path.basename(rel).startswith(TEMP_PREFIX):
                if not temps_allowed:
                    self.fail("%s: temporary left behind" % rel)
                continue
            if not writes:
                self.fail("%s: created by a run that writes no file" % rel)
            elif a.kind == "d":
                self.fail("%s/: directory created" % rel)
            else:
                self.valid_output(rel)

    # -- messages and status

    def check_messages(self, status, err, walked):
        c = self.c
        if status not in (0, 1, 2):
            self.fail("exit status %d" % status)
            return
        # A file named twice may be compressed by two jobs at once; the one
        # that comes second to remove it finds it gone, and says so with a
        # warning in the words of gzip's error for a missing file.
        seen = set()
        twice = set()
        for w in walked:
            k = lkey(self.before, self.input_of(w))
            (twice if k in seen else seen).add(k)
        errors = warnings = 0
        for line in err.decode("utf-8", "replace").splitlines():
            summary = SUMMARY.match(line[5:]) if line.startswith("pgz: ") else None
            if summary and c.verbose and c.mode != "list":
                # It agrees with the status: errors make it 1, warnings 2.
                if summary.group(2) and status != 1:
                    self.fail("summary counts errors, status %d" % status)
                if not summary.group(2) and summary.group(3) and status != 2:
                    self.fail("summary counts warnings only, status %d" % status)
                if not summary.group(2) and not summary.group(3) and status != 0:
                    self.fail("summary counts no problem, status %d" % status)
            elif line.startswith("pgz: "):
                body = line[5:]
                if any(re.search(p, body) for p in WARNINGS):
                    warnings += 1
                elif any(re.search(p, body) for p in INFOS):
                    pass
                elif body.endswith(": No such file or directory") and \
                        lkey(self.before, body[:-len(": No such file or directory")]) in twice:
                    if status == 0:
                        self.fail("status 0 with the line %r" % line)
                    warnings += status == 2
                    errors += status == 1
                else:
                    errors += 1
            elif c.verbose and any(re.match(p, line) for p in VERBOSE):
                pass
            elif line == USAGE_HINT and status == 1:
                pass
            else:
                self.fail("stray line on stderr: %r" % line)
        if status == 0 and (errors or warnings):
            self.fail("status 0 with %d error and %d warning lines" % (errors, warnings))
        if status == 1 and not errors:
            self.fail("status 1 without an error line")
        if status == 2 and errors:
            self.fail("status 2 with %d error lines" % errors)
        if status == 2 and not warnings and not c.quiet:
            self.fail("status 2 without a warning line")
        if c.usage_error and status != 1:
            self.fail("usage error, but status %d" % status)

    # -- what status 0 promises

    def input_of(self, w):
        """The file pgz reads for the operand-or-walked name `w` (-d looks
        for FILE.gz ... when FILE is missing)."""
        c = self.c
        if c.mode == "compress" or self.meta_entry(w) is not None:
            return w
        if compressed_suffix(w, c.suffix):
            return w
        for s in [c.suffix, ".gz", ".z", "-gz", "-z", "_z"]:
            if self.meta_entry(w + s) is not None:
                return w + s
        return w + c.suffix

    def meta_entry(self, rel):
        key = lkey(self.before, rel)
        return None if key is None or key == "." else self.before.get(key)

    def check_success(self, walked, out):
        c = self.c
        files = [w for w in walked if w != "-"]
        if c.mode == "compress" and c.stdout:
            want = b"".join(self.stdin if w == "-" else (self.content_of(w) or b"")
                            for w in walked)
            bad = [w for w in files if self.content_of(w) is None]
            if bad:
                self.fail("status 0, but %s cannot be compressed" % bad)
            elif not walked:
                if out:
                    self.fail("-c wrote %d bytes for no file" % len(out))
            elif system_gunzip(out) != want:
                self.fail("-c output does not decode (gzip) to the inputs in order")
            elif self.pgz_dc(out) != want:
                self.fail("-c output does not decode (pgz -d) to the inputs in order")
            return
        if c.mode in ("decompress", "test", "list") and (c.stdout or c.mode != "decompress"):
            decoded = []
            for w in walked:
                data = self.stdin if w == "-" else self.content_of(self.input_of(w))
                if data is not None and c.force and c.mode in ("decompress", "test"):
                    d = zcat_f(data)    # -cdf and -tf: what is not gzip passes
                else:
                    d = None if data is None else gunzip(data, False)
                if d is None:
                    self.fail("status 0, but %s is not sound gzip" % w)
                    return
                decoded.append((w, data, d))
            if c.mode == "decompress" and out != b"".join(d for _, _, d in decoded):
                self.fail("-dc output is not the decoded inputs in order")
            if c.mode == "test" and out:
                self.fail("-t wrote %d bytes on stdout" % len(out))
            if c.mode == "list" and "-v" not in c.flags and not c.verbose:
                self.check_listing(decoded, out)
            return
        # compress or decompress into files
        if "-" in walked:
            want = (self.stdin if c.mode == "compress"
                    else zcat_f(self.stdin) if c.force     # stdin counts as -c
                    else gunzip(self.stdin, False))
            got = system_gunzip(out) if c.mode == "compress" else out
            if got != want:
                self.fail("stdin's output on stdout is wrong")
        elif out:
            self.fail("%d bytes on stdout without -c or -" % len(out))
        for w in files:
            src = lkey(self.before, self.input_of(w))
            e = self.before.get(src) if src else None
            data = self.content_of(src) if src else None
            if data is None or e is None:
                continue
            if c.mode == "compress":
                if not c.force and compressed_suffix(src, c.suffix):
                    continue
                # With -f, what src held may have been replaced by another
                # output (pgz -f x x.gz) before src was read.
                replaced = c.force and self.potential_output(src)
                if not any(src + c.suffix * j in self.after and
                           (replaced or self.unzip_levels(
                               self.after[src + c.suffix * j].data, j) == data)
                           for j in range(1, MAX_CHAIN + 1)):
                    self.fail("status 0, but no %s%s holds %s" % (src, c.suffix, src))
            else:
                if not compressed_suffix(src, c.suffix):
                    continue
                if not self.recoverable(src):
                    self.fail("status 0, but %s was not decompressed" % src)
            if not c.keep and src in self.after and \
                    not (c.force and self.potential_output(src)):
                self.fail("status 0, but input %s is still there" % src)
        if c.mode == "compress":
            # The round trip: pgz -d gives back what the system gzip does.
            outs = []
            want = []
            for w in files:
                src = lkey(self.before, w)
                o = src and src + c.suffix
                if o and o in self.after and o not in self.before and \
                        self.content_of(src) is not None and \
                        system_gunzip(self.after[o].data) == self.content_of(src):
                    outs.append(o)
                    want.append(self.content_of(src))
            if outs:
                p = subprocess.run([self.pgz, "-dc", "--"] + outs, cwd=self.cwd,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if p.returncode != 0 or p.stdout != b"".join(want):
                    self.fail("pgz -dc on the new outputs does not give the inputs back "
                              "(status %d)" % p.returncode)

    def check_listing(self, decoded, out):
        lines = out.decode("utf-8", "replace").splitlines()
        n = len(decoded)
        quiet = self.c.quiet            # -q: no title, no totals (as gzip)
        want_lines = n if quiet or n == 0 else 1 + n + (1 if n > 1 else 0)
        if len(lines) != want_lines:
            self.fail("-l printed %d lines for %d files" % (len(lines), n))
            return
        for (w, data, d), line in zip(decoded, lines[0 if quiet else 1:]):
            f = line.split()
            if len(f) < 3 or f[0] != str(len(data)) or f[1] != str(len(d)):
                self.fail("-l line %r for %s: want %d and %d bytes" % (line, w, len(data), len(d)))

    def pgz_dc(self, data):
        p = subprocess.run([self.pgz, "-dc"], input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        return p.stdout if p.returncode == 0 else None


# ---- one case ------------------------------------------------------------

def rmtree(top):
    """Remove `top`, read-only directories included."""
    for dirpath, dirnames, _ in os.walk(top):
        for d in dirnames:
            path = os.path.join(dirpath, d)
            if not os.path.islink(path):
                os.chmod(path, 0o700)
    shutil.rmtree(top, ignore_errors=True)


def run_case(seed, args, base):
    c = pick_case(seed, args.interrupts)
    rng = c.rng
    root = os.path.join(base, "case%d" % seed)
    os.mkdir(root)
    tree = Tree(rng, os.path.join(root, "t"))
    os.mkdir(tree.root)
    tree.build()
    pick_operands(c, tree)
    if c.mode == "compress":
        stdin = content(rng)
    else:
        stdin = make_gz(rng, content(rng), None) if rng.random() < 0.85 else content(rng, 100)
    cmd = command(c, args.pgz)
    env = dict(os.environ)
    env.pop("PGZ_NO_O_TMPFILE", None)
    if c.no_tmpfile:
        env["PGZ_NO_O_TMPFILE"] = "1"
    sig = None
    if c.interrupt:
        sig = rng.choice([signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL])
        r = rng.random()
        # Most runs take 3 to 20 ms (a few up to half a second).
        delay = (rng.uniform(0, 0.004) if r < 0.6 else rng.uniform(0.004, 0.015)
                 if r < 0.9 else rng.uniform(0.015, 0.1))
    before = snapshot(tree.root)
    with open(os.path.join(root, "stdin"), "wb") as f:
        f.write(stdin)
    with open(os.path.join(root, "stdin"), "rb") as fin, \
            open(os.path.join(root, "stdout"), "wb+") as fout, \
            open(os.path.join(root, "stderr"), "wb+") as ferr:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=tree.root, env=env, stdin=fin, stdout=fout,
                             stderr=ferr)
        killed = False
        try:
            if sig is not None:
                time.sleep(delay)
                if p.poll() is None:
                    p.send_signal(sig)
                    killed = True
            status = p.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            status = None
        except BaseException:           # ^C, or make soak stopped
            p.kill()
            p.wait()
            raise
        elapsed = time.monotonic() - t0
        fout.seek(0)
        out = fout.read()
        ferr.seek(0)
        err = ferr.read()
    after = snapshot(tree.root)
    ch = Checker(c, before, after, stdin, args.pgz, tree.root)
    if status is None:
        ch.fail("pgz did not finish in %d s" % RUN_TIMEOUT)
    elif killed and status in (-sig, 128 + sig):
        # After SIGKILL: a named temporary, or an input renamed aside on its
        # way out (its output complete) under a hidden .pgz.PID.N name.
        temps = sig == signal.SIGKILL
        ch.check_tree(temps)
    else:
        if killed and status not in (0, 1, 2):
            ch.fail("killed with %s, but exit status %d" % (signal.Signals(sig).name, status))
        walked = walk(c, before)
        ch.check_messages(status, err, walked)
        ch.check_tree(False)
        if status == 0 and not c.info_only and not c.usage_error and not ch.problems:
            ch.check_success(walked, out)
    what = "%s%s, %.0f ms" % ("interrupted by %s, " % signal.Signals(sig).name if killed else "",
                             "status %s" % status, elapsed * 1000)
    if ch.problems:
        env_s = "PGZ_NO_O_TMPFILE=1 " if c.no_tmpfile else ""
        print("FAIL seed %d (%s)" % (seed, what))
        print("  command: cd %s && %s%s" % (tree.root, env_s,
                                            " ".join(shlex.quote(a) for a in cmd)))
        for line in ch.problems[:20]:
            print("  - " + line)
        if err:
            print("  stderr: " + err.decode("utf-8", "replace")[:2000].replace("\n", "\n          "))
        print("  rerun: %s %s --pgz %s --seed %d --cases 1%s --keep" % (
            sys.executable, os.path.relpath(__file__), args.pgz, seed,
            " --interrupts" if args.interrupts else ""))
        sys.stdout.flush()
    elif args.verbose:
        print("ok seed %d (%s): %s" % (seed, what, " ".join(shlex.quote(a) for a in cmd[1:])))
    if not args.keep:
        rmtree(root)
    mode = {"compress": "-c" if c.stdout else "compress",
            "decompress": "-dc" if c.stdout else "-d",
            "test": "-t", "list": "-l"}[c.mode]
    outcome = ("SIG" + signal.Signals(sig).name[3:] if killed and status in (-sig, 128 + sig)
               else "status %s" % status)
    return not ch.problems, killed, mode, outcome


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pgz", default=os.environ.get("PGZ", "./pgz"))
    ap.add_argument("--seed", type=int, default=None,
                    help="first seed (default: from the clock); case i uses SEED+i")
    ap.add_argument("--cases", type=int, default=None, help="number of cases")
    ap.add_argument("--time", type=float, default=None,
                    help="stop starting cases after this many seconds")
    ap.add_argument("--interrupts", action="store_true",
                    help="kill pgz with a random signal in every other case")
    ap.add_argument("--keep", action="store_true", help="keep the trees")
    ap.add_argument("--verbose", action="store_true", help="print every case")
    args = ap.parse_args()
    args.pgz = os.path.abspath(args.pgz)
    if args.cases is None and args.time is None:
        args.cases = 100
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 10**9
    # Stopped by SIGTERM or SIGHUP: clean up as after ^C.
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, lambda signum, frame: sys.exit(128 + signum))
    base = tempfile.mkdtemp(prefix="pgz-prop.", dir=os.environ.get("TMPDIR") or "/tmp")
    start = time.monotonic()
    n = failed = interrupted = 0
    modes = {}
    outcomes = {}
    print("seeds from %d%s" % (seed, ", with interrupts" if args.interrupts else ""))
    sys.stdout.flush()
    stopped = None
    try:
        while True:
            if args.cases is not None and n >= args.cases:
                break
            if args.time is not None and time.monotonic() - start >= args.time:
                break
            ok, killed, mode, outcome = run_case(seed + n, args, base)
            n += 1
            failed += not ok
            interrupted += killed
            modes[mode] = modes.get(mode, 0) + 1
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    except (KeyboardInterrupt, SystemExit) as e:
        stopped = e
    finally:
        if args.keep:
            print("trees kept in %s" % base)
        else:
            rmtree(base)

    def counts(d):
        return ", ".join("%s %d" % kv for kv in sorted(d.items()))
    print("modes: %s; ended by: %s" % (counts(modes), counts(outcomes)))
    print("%d cases (%d interrupted), %d failed, %.0f s%s" % (
        n, interrupted, failed, time.monotonic() - start,
        " (stopped early)" if stopped is not None else ""))
    if stopped is not None:
        return 130
    return 1 if failed or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
