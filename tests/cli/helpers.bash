# helpers.bash -- shared setup and assertions for the pgz command-line tests.
#
# Every .bats file starts with `load helpers`.  Each test then runs in a
# fresh directory of its own:
#
#   $ROOT      a new temporary directory (removed afterwards)
#   $ROOT/work the current directory of the test; only the test's files live
#              here, so tree snapshots see exactly what pgz did
#   $REF       $ROOT/ref, where pristine copies of inputs are kept
#   $OUT $ERR  where run_pgz puts pgz's standard output and error
#
# The binary under test is $PGZ (an absolute path).  With PGZ_ENGINE set
# (zlib, libdeflate), every test runs pgz with --engine=$PGZ_ENGINE: $PGZ is
# then a wrapper script in $ROOT/bin (pgz itself is $PGZ_REAL), so the
# same tests check both engines.

: "${PGZ:?set PGZ to the absolute path of the pgz binary}"

setup() {
    [ -x "$PGZ" ] || {
        echo "PGZ=$PGZ is not an executable" >&2
        return 1
    }
    ROOT=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/pgz.XXXXXX")
    REF=$ROOT/ref
    OUT=$ROOT/stdout
    ERR=$ROOT/stderr
    mkdir "$ROOT/work" "$REF"
    if [ -n "${PGZ_ENGINE:-}" ]; then
        PGZ_REAL=${PGZ_REAL:-$PGZ}
        mkdir "$ROOT/bin"
        printf '#!/bin/bash\nexec -a "$0" %q --engine=%q "$@"\n' \
            "$PGZ_REAL" "$PGZ_ENGINE" >"$ROOT/bin/pgz"
        chmod 755 "$ROOT/bin/pgz"
        PGZ=$ROOT/bin/pgz
    fi
    cd "$ROOT/work"
}

# engine: the engine the tests run pgz with (--engine's default unless
# PGZ_ENGINE says otherwise).
engine() {
    if [ -n "${PGZ_ENGINE:-}" ]; then
        echo "$PGZ_ENGINE"
    else
        "$PGZ" --version | sed -n 's/^Engines:.* \([a-z]*\) (default).*/\1/p'
    fi
}

teardown() {
    cd /
    # Tests may leave read-only directories behind; make sure they go.
    if [ -n "${ROOT:-}" ] && [ -d "$ROOT" ]; then
        chmod -R u+rwx "$ROOT" 2>/dev/null || true
        rm -rf "$ROOT"
    fi
    if [ -n "${SHARED:-}" ] && [ -d "$SHARED" ]; then
        chmod -R u+rwx "$SHARED" 2>/dev/null || true
        rm -rf "$SHARED"
    fi
}

# ---- running pgz -------------------------------------------------------------

# run_cmd CMD ARG...: run CMD with stdout in $OUT and stderr in $ERR; sets
# $status.  Standard input is inherited, so callers may redirect it.
run_cmd() {
    status=0
    "$@" >"$OUT" 2>"$ERR" || status=$?
}

# run_pgz ARG...: run_cmd for pgz: `run_pgz -c < file`.  A pgz that hangs
# (say, on a FIFO) is killed after a minute: status 124 then.
run_pgz() {
    if command -v timeout >/dev/null; then
        run_cmd timeout -k 5 60 "$PGZ" "$@"
    else
        run_cmd "$PGZ" "$@"
    fi
}

# expect_status N: pgz's exit status was N.
expect_status() {
    [ "$status" -eq "$1" ] && return 0
    echo "exit status $status, expected $1; stderr was:" >&2
    cat "$ERR" >&2
    return 1
}

# expect_stderr LINE...: stderr was exactly these lines (none: empty).
expect_stderr() {
    if [ $# -eq 0 ]; then
        [ ! -s "$ERR" ] && return 0
        echo "expected no stderr, got:" >&2
        cat -A "$ERR" >&2
        return 1
    fi
    printf '%s\n' "$@" >"$ROOT/expected.err"
    cmp -s "$ROOT/expected.err" "$ERR" && return 0
    echo "stderr differs (expected, then actual; cat -A shows tabs as ^I):" >&2
    cat -A "$ROOT/expected.err" >&2
    echo "--" >&2
    cat -A "$ERR" >&2
    return 1
}

# expect_result STATUS LINE...: both at once.
expect_result() {
    local want=$1
    shift
    expect_status "$want"
    expect_stderr "$@"
}

# expect_no_stdout: pgz wrote nothing on standard output.
expect_no_stdout() {
    [ ! -s "$OUT" ] && return 0
    echo "expected no stdout, got $(wc -c <"$OUT") bytes" >&2
    return 1
}

# ---- the file tree ----------------------------------------------------------------

# tree_snapshot: every path under the current directory, hidden ones
# included, with type, size, mode and mtime (directories: mode only, since
# their size and time follow their entries).
tree_snapshot() {
    find . -mindepth 1 \( -type d -printf '%p/ d %m\n' \) \
        -o -printf '%p %y %s %m %T@\n' | LC_ALL=C sort
}

# snap: remember the tree, for assert_tree_unchanged.
snap() {
    tree_snapshot >"$ROOT/tree.before"
}

# assert_tree_unchanged: the tree is exactly as at the last snap: no file
# added (no output, no temporary), removed, resized, re-moded or touched.
assert_tree_unchanged() {
    tree_snapshot >"$ROOT/tree.after"
    diff "$ROOT/tree.before" "$ROOT/tree.after" >&2 && return 0
    echo "the file tree changed (< before, > after)" >&2
    return 1
}

# assert_names PATH...: the tree holds exactly these paths (directories
# written with a trailing slash), nothing else; no PATH: an empty tree.
assert_names() {
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi |
        LC_ALL=C sort >"$ROOT/names.expected"
    find . -mindepth 1 \( -type d -printf '%P/\n' \) -o -printf '%P\n' |
        LC_ALL=C sort >"$ROOT/names.actual"
    diff "$ROOT/names.expected" "$ROOT/names.actual" >&2 && return 0
    echo "unexpected file tree (< expected, > actual)" >&2
    return 1
}

# ---- inputs --------------------------------------------------------------------

# keep_ref NAME...: save pristine copies (mode and times too) in $REF.
keep_ref() {
    local name
    for name in "$@"; do
        mkdir -p "$REF/$(dirname -- "$name")"
        cp -p -- "$name" "$REF/$name"
    done
}

# make_input NAME KIND [SIZE]: create NAME (any directories too) and keep a
# reference copy.  KIND: empty, text (SIZE bytes of "y\n"), random (SIZE
# bytes from /dev/urandom), mixed (SIZE bytes, half random half text).
make_input() {
    local name=$1 kind=$2 size=${3:-0}
    mkdir -p -- "$(dirname -- "$name")"
    case $kind in
    empty)  : >"$name" ;;
    text)   yes | head -c "$size" >"$name" ;;
    random) head -c "$size" /dev/urandom >"$name" ;;
    mixed)  { head -c $((size / 2)) /dev/urandom
              yes | head -c $((size - size / 2)); } >"$name" ;;
    *)      echo "make_input: unknown kind $kind" >&2; return 1 ;;
    esac
    keep_ref "$name"
}

# ---- checking gzip output ---------------------------------------------------------

# assert_roundtrip GZ ORIGINAL: the system gzip accepts GZ and decompresses
# it to exactly the bytes of ORIGINAL.
assert_roundtrip() {
    gzip -t -- "$1" || { echo "gzip -t rejects $1" >&2; return 1; }
    cmp -- <(gzip -dc -- "$1") "$2" && return 0
    echo "gzip -dc $1 differs from $2" >&2
    return 1
}

# assert_replaced NAME: pgz NAME did its job: NAME is gone, NAME.gz holds
# NAME's bytes (compared with $REF/NAME), has its mode and mtime, and its
# header stores the base name and the mtime.
assert_replaced() {
    local name=$1 ref=$REF/$1
    [ ! -e "$name" ] && [ ! -L "$name" ] ||
        { echo "$name still exists" >&2; return 1; }
    [ -f "$name.gz" ] || { echo "$name.gz missing" >&2; return 1; }
    assert_roundtrip "$name.gz" "$ref"
    assert_same_mode_mtime "$name.gz" "$ref"
    assert_header_name "$name.gz" "$(basename -- "$name")"
    assert_header_mtime "$name.gz" "$(stat -c %Y -- "$ref")"
}

# assert_same_mode_mtime A B: A and B have the same mode bits and mtime
# (to the nanosecond, as gzip copies it).
assert_same_mode_mtime() {
    local a b
    a=$(stat -c '%a %.9Y' -- "$1")
    b=$(stat -c '%a %.9Y' -- "$2")
    [ "$a" = "$b" ] && return 0
    echo "mode/mtime of $1 is '$a', of $2 is '$b'" >&2
    return 1
}

# gz_byte FILE OFFSET: the unsigned value of one byte.
gz_byte() {
    od -An -tu1 -j "$2" -N1 -- "$1" | tr -d ' '
}

# gz_flags FILE, gz_xfl FILE: the FLG (offset 3) and XFL (offset 8) bytes.
gz_flags() { gz_byte "$1" 3; }
gz_xfl() { gz_byte "$1" 8; }

# gz_mtime FILE: the header's MTIME (bytes 4-7, little-endian).
gz_mtime() {
    local b0 b1 b2 b3
    read -r b0 b1 b2 b3 < <(od -An -tu1 -j4 -N4 -- "$1")
    echo $((b0 | b1 << 8 | b2 << 16 | b3 << 24))
}

# assert_gzip_magic FILE: FILE starts like a deflate gzip member.
assert_gzip_magic() {
    local magic
    magic=$(od -An -tx1 -N3 -- "$1" | tr -d ' ')
    [ "$magic" = 1f8b08 ] && return 0
    echo "$1 does not start with 1f 8b 08 (got $magic)" >&2
    return 1
}

# assert_header_name GZ NAME: FLG has FNAME (0x08) and the header stores
# NAME, NUL-terminated, from offset 10 (after the FEXTRA field, if any).
assert_header_name() {
    local flags at=11 xlen
    flags=$(gz_flags "$1")
    ((flags & 8)) || { echo "$1: FNAME flag not set (FLG=$flags)" >&2; return 1; }
    if ((flags & 4)); then
        xlen=$(od -An -tu2 -j10 -N2 -- "$1" | tr -d ' ')
        at=$((13 + xlen))
    fi
    local len=$(($(printf '%s' "$2" | wc -c) + 1))
    cmp -- <(tail -c +$at -- "$1" | head -c "$len") <(printf '%s\0' "$2") &&
        return 0
    echo "$1 does not store the name '$2'" >&2
    return 1
}

# assert_no_name_no_time GZ: what -n and stdin give: no FNAME, MTIME 0.
assert_no_name_no_time() {
    local flags
    flags=$(gz_flags "$1")
    ((flags & 8)) && { echo "$1: FNAME flag set (FLG=$flags)" >&2; return 1; }
    assert_header_mtime "$1" 0
}

# assert_header_mtime GZ SECONDS
assert_header_mtime() {
    local t
    t=$(gz_mtime "$1")
    [ "$t" = "$2" ] && return 0
    echo "$1: header MTIME is $t, expected $2" >&2
    return 1
}

# ---- privileges ------------------------------------------------------------------

# as_nobody CMD...: run CMD without root's power to ignore permissions, or
# return 125 if there is no way to drop privileges.  Non-root: run as is.
as_nobody() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v setpriv >/dev/null &&
        setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        return 125
    fi
}

# shared_dir: a directory every user may enter (a test's $ROOT lives under
# bats' private temporary directory, which others cannot reach), holding a
# copy of pgz as $SHARED/pgz.  Sets $SHARED; teardown removes it.
shared_dir() {
    SHARED=$(mktemp -d /tmp/pgz-shared.XXXXXX)
    chmod 755 "$SHARED"
    cp "$PGZ" "$SHARED/pgz"
    chmod 755 "$SHARED/pgz"
}

# ---- terminals -----------------------------------------------------------------

# on_tty COMMAND: run the shell COMMAND with a terminal as its standard
# input, output and error (through script(1)); what reached the terminal
# goes to $OUT with carriage returns removed; sets $status.
on_tty() {
    command -v script >/dev/null || skip "script(1) is needed to get a terminal"
    status=0
    script -qec "$1" /dev/null </dev/null >"$ROOT/tty.raw" || status=$?
    tr -d '\r' <"$ROOT/tty.raw" >"$OUT"
}

# ---- background processes ---------------------------------------------------------

# start_watchdog PID SECONDS [FD...]: kill PID if it still runs after
# SECONDS, so that a hung pgz fails its test instead of hanging the suite.
# Sets $WATCHDOG; stop it with stop_watchdog.  It sleeps in a shell builtin
# (no child process to leave behind) and holds neither bats' fd 3 nor the
# descriptors FD... (say, the writing end of a FIFO pgz must see closed).
start_watchdog() {
    local pid=$1 seconds=$2
    shift 2
    mkfifo "$ROOT/watchdog"
    (
        for fd in 3 "$@"; do
            eval "exec $fd>&-"
        done
        read -rt "$seconds" <>"$ROOT/watchdog" || kill "$pid" 2>/dev/null
    ) >/dev/null 2>&1 &
    WATCHDOG=$!
}

stop_watchdog() {
    kill "$WATCHDOG" 2>/dev/null || true
    wait "$WATCHDOG" 2>/dev/null || true
}

# ---- side by side with the system gzip -------------------------------------------

# files_and_sums: every file under the current directory with its MD5.
files_and_sums() {
    find . -type f | LC_ALL=C sort | xargs -r md5sum
}

# vs_gzip ARG...: run the system gzip and pgz with ARG..., each in a copy
# of the current directory, with $ROOT/stdin (if there is one) on standard
# input, and check that they exit with the same status, print the same
# stderr (gzip's name replaced by pgz's, without the empty lines gzip
# prints before some messages: a difference the man page lists), write the
# same stdout and leave the same files with the same contents.  pgz's -v
# summary line ("pgz: 2 files, ...") is left out.  With VS_PREFIX=1, one
# stdout need only be a prefix of the other: what a decoder writes before
# it finds damage (gzip's inflate holds back more than zlib's).
vs_gzip() {
    local gs=0 ps=0 in=/dev/null
    [ -e "$ROOT/stdin" ] && in=$ROOT/stdin
    rm -rf "$ROOT/g" "$ROOT/p"
    cp -a . "$ROOT/g" && cp -a . "$ROOT/p"
    (cd "$ROOT/g" && gzip "$@" <"$in" >"$ROOT/g.out" 2>"$ROOT/g.err") || gs=$?
    (cd "$ROOT/p" && "$PGZ" "$@" <"$in" >"$ROOT/p.out" 2>"$ROOT/p.err.all") ||
        ps=$?
    sed '/^$/d; s/^gzip: /pgz: /' "$ROOT/g.err" >"$ROOT/g.err.pgz"
    grep -Ev '^pgz: [0-9]+ files' "$ROOT/p.err.all" >"$ROOT/p.err" || true
    diff "$ROOT/g.err.pgz" "$ROOT/p.err" >&2 ||
        { echo "stderr of $* differs (< gzip, > pgz)" >&2; return 1; }
    [ "$gs" = "$ps" ] ||
        { echo "exit status of $*: gzip $gs, pgz $ps" >&2; return 1; }
    if [ -n "${VS_PREFIX:-}" ]; then
        local g p
        g=$(stat -c %s "$ROOT/g.out") p=$(stat -c %s "$ROOT/p.out")
        [ "$g" -le "$p" ] || g=$p
        cmp -n "$g" "$ROOT/g.out" "$ROOT/p.out" >&2 ||
            { echo "stdout of $* differs before its end" >&2; return 1; }
    else
        cmp "$ROOT/g.out" "$ROOT/p.out" >&2 ||
            { echo "stdout of $* differs" >&2; return 1; }
    fi
    diff <(cd "$ROOT/g" && files_and_sums) <(cd "$ROOT/p" && files_and_sums) >&2 ||
        { echo "files after $* differ (< gzip, > pgz)" >&2; return 1; }
}
