#!/usr/bin/env bats
# Issue 10, section 1: -r never acts outside the directories it opened.
# A subdirectory of the tree is exchanged for a symlink to a victim
# directory while pgz works, at chosen moments (pgz is stopped there, so
# the moment is exact) and, as an unprivileged user would, in a tight loop
# while root runs pgz again and again.  Whatever pgz then reports, the
# victim's names and bytes never change, no temporary is left, and nothing
# of the tree is lost.  A name replaced while its file was read is never
# removed.  Each case runs with O_TMPFILE and with named temporaries.
#
# tests/cli/swapper.c (compiled here) stops pgz and swaps the names.

load helpers

setup_file() {
    [ "$(id -u)" = 0 ] || skip "these races need root (pgz run by root)"
    command -v cc >/dev/null || skip "cc is needed to build the swapper"
    cc -O2 -o "$BATS_FILE_TMPDIR/swapper" "$BATS_TEST_DIRNAME/swapper.c"
    # A file big enough that pgz is caught in the middle of it, and a
    # smaller one for the many runs of the loop.
    head -c 12M /dev/urandom >"$BATS_FILE_TMPDIR/big"
    gzip -1 -c "$BATS_FILE_TMPDIR/big" >"$BATS_FILE_TMPDIR/big.gz"
    head -c 3M "$BATS_FILE_TMPDIR/big" >"$BATS_FILE_TMPDIR/mid"
    gzip -1 -c "$BATS_FILE_TMPDIR/mid" >"$BATS_FILE_TMPDIR/mid.gz"
}

eval "helpers_$(declare -f teardown)"

teardown() {
    if [ -n "${LOOPER:-}" ]; then
        kill "$LOOPER" 2>/dev/null || true
        wait "$LOOPER" 2>/dev/null || true
    fi
    helpers_teardown
}

SWAPPER=${BATS_FILE_TMPDIR:-}/swapper
BIG=${BATS_FILE_TMPDIR:-}/big
MID=${BATS_FILE_TMPDIR:-}/mid
MODES=(tmpfile named)

# in_mode MODE CMD...: CMD with O_TMPFILE outputs (tmpfile) or named
# temporaries (named).
in_mode() {
    if [ "$1" = named ]; then
        PGZ_NO_O_TMPFILE=1 "${@:2}"
    else
        "${@:2}"
    fi
}

# dir_state DIR: names, types, sizes and modes under DIR (DIR itself
# included), then the sha256 of every file.
dir_state() {
    (cd "$1" && find . -printf '%p %y %s %m\n' | LC_ALL=C sort &&
        find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# assert_victim_untouched DIR: DIR is as dir_state saw it in $ROOT/victim.before.
assert_victim_untouched() {
    dir_state "$1" >"$ROOT/victim.after"
    diff "$ROOT/victim.before" "$ROOT/victim.after" >&2 && return 0
    echo "pgz changed the victim directory $1 (< before, > after); it said:" >&2
    cat "$ERR" >&2
    return 1
}

# assert_no_temporaries DIR...: no .pgz.* anywhere under DIR...
assert_no_temporaries() {
    local left
    left=$(find "$@" -name '.pgz.*')
    [ -z "$left" ] && return 0
    echo "temporaries left: $left" >&2
    return 1
}

# assert_kept DIR NAME ORIGINAL: the tree's file NAME is not lost: DIR/NAME
# still holds ORIGINAL's bytes, or DIR/NAME.gz decompresses to them
# (compressing), or DIR/NAME without .gz does (decompressing).
assert_kept() {
    local dir=$1 name=$2 orig=$3
    if [ -f "$dir/$name" ] && cmp -s "$dir/$name" "$orig"; then return 0; fi
    case $name in
    *.gz) [ -f "$dir/${name%.gz}" ] && cmp -s "$dir/${name%.gz}" <(gzip -dc "$orig") &&
              return 0 ;;
    *)    [ -f "$dir/$name.gz" ] && cmp -s <(gzip -dc "$dir/$name.gz") "$orig" &&
              return 0 ;;
    esac
    echo "$name of the tree is lost: neither it nor its output is in $dir:" >&2
    ls -la "$dir" >&2
    return 1
}

# ---- swapped at one moment ---------------------------------------------------

# race MODE SETUP WATCH PGZ-ARG...: SETUP (a function) fills tree/ (with
# tree/sub), victim/ and $ROOT/orig/ (pristine copies of tree/sub's
# files); then pgz PGZ-ARG... runs and, once it is in the middle of reading
# WATCH, tree/sub is exchanged with `lnk`, a symlink to victim/.  Retried
# when pgz was caught too late.  Then: the victim is untouched, no
# temporary is left, and every file of tree/sub (now at lnk) is kept.
race() {
    local mode=$1 setup=$2 watch=$3 try
    shift 3
    for try in 1 2 3 4 5; do
        rm -rf tree victim lnk "$ROOT/orig"
        mkdir -p tree/sub victim "$ROOT/orig"
        "$setup"
        ln -s "$PWD/victim" lnk
        dir_state victim >"$ROOT/victim.before"
        status=0
        in_mode "$mode" "$SWAPPER" at "$watch" xchg tree/sub lnk -- \
            "$PGZ" "$@" >"$OUT" 2>"$ERR" || status=$?
        [ "$status" -eq 200 ] || [ "$status" -eq 201 ] || break
    done
    echo "[$mode] pgz $* (try $try): status $status; stderr:"
    cat "$ERR"
    if [ "$status" -ge 200 ] && [ "$status" -le 202 ]; then
        echo "the swapper could not stop pgz in the middle of $watch" >&2
        return 1
    fi
    # Whatever it reports, pgz ends by itself (no crash, no hang).
    [ "$status" -lt 128 ]
    [ -L tree/sub ]     # the swap happened
    [ ! -L lnk ]
    assert_victim_untouched victim
    assert_no_temporaries .
    local f
    for f in "$ROOT"/orig/*; do
        assert_kept lnk "$(basename "$f")" "$f"
    done
}

# The walk has listed tree/ and is reading tree/a (a big file, read by the
# planner itself) when tree/sub becomes the symlink: the walk must not go
# into it.
walk_setup() {
    cp "$BIG" tree/a
    echo "the tree's s" >tree/sub/s
    echo "the victim's s" >victim/s
    cp tree/sub/* "$ROOT/orig/"
}

@test "-r: a subdirectory swapped for a symlink before the walk enters it" {
    for mode in "${MODES[@]}"; do
        race "$mode" walk_setup tree/a -r tree
    done
}

# tree/sub/a is being compressed when tree/sub becomes the symlink: its
# output must not be linked, nor its input removed, in the victim; and
# tree/sub/b, opened after, must not be the victim's b.
file_setup() {
    cp "$BIG" tree/sub/a
    echo "the tree's b" >tree/sub/b
    echo "the victim's a" >victim/a
    echo "the victim's b" >victim/b
    cp tree/sub/* "$ROOT/orig/"
}

@test "-r: a subdirectory swapped for a symlink while one of its files is compressed" {
    for mode in "${MODES[@]}"; do
        race "$mode" file_setup tree/sub/a -r tree
    done
}

@test "-r -j1: the same with one worker" {
    for mode in "${MODES[@]}"; do
        race "$mode" file_setup tree/sub/a -r -j1 tree
    done
}

# tree/sub/f.gz is being decompressed under -f when tree/sub becomes the
# symlink; the victim holds a file of the output's name (and one of the
# input's): neither may be replaced, removed or renamed.
decompress_setup() {
    cp "$BIG.gz" tree/sub/f.gz
    echo "the victim's f, never to be overwritten" >victim/f
    echo "the victim's f.gz" >victim/f.gz
    echo "the victim's g" >victim/g
    cp tree/sub/* "$ROOT/orig/"
}

@test "-d -r -f: a subdirectory swapped for a symlink while one of its files is decompressed" {
    for mode in "${MODES[@]}"; do
        race "$mode" decompress_setup tree/sub/f.gz -d -r -f tree
    done
}

# ---- swapped in a loop by an unprivileged user --------------------------------

# loop_race SETUP PGZ-ARG...: $SHARED/t, a tree owned by nobody, holds
# sub/; nobody exchanges $SHARED/t/sub and $SHARED/att/sub, a symlink to
# the root-owned $SHARED/victim, as fast as it can, while root runs pgz
# PGZ-ARG... $SHARED/t 20 times (both temporary modes in turn; SETUP fills
# t/sub and the victim anew each time).  The victim never changes.
loop_race() {
    local setup=$1 run mode
    shift
    command -v setpriv >/dev/null || skip "setpriv is needed"
    id nobody >/dev/null 2>&1 || skip "no user nobody"
    shared_dir
    cp "$SWAPPER" "$SHARED/swapper"
    chmod 755 "$SHARED/swapper"
    for run in $(seq 1 20); do
        rm -rf "$SHARED/t" "$SHARED/att" "$SHARED/victim"
        mkdir -p "$SHARED/t/sub" "$SHARED/att" "$SHARED/victim"
        "$setup"
        ln -s "$SHARED/victim" "$SHARED/att/sub"
        chown -hR nobody:nogroup "$SHARED/t" "$SHARED/att"
        dir_state "$SHARED/victim" >"$ROOT/victim.before"
        setpriv --reuid=nobody --regid=nogroup --clear-groups \
            "$SHARED/swapper" loop "$SHARED/t/sub" "$SHARED/att/sub" &
        LOOPER=$!
        mode=${MODES[run % 2]}
        in_mode "$mode" run_pgz "$@" "$SHARED/t"
        kill "$LOOPER"
        wait "$LOOPER" || true
        LOOPER=
        echo "run $run [$mode]: pgz status $status"
        [ "$status" -lt 124 ]               # no hang, no crash
        assert_victim_untouched "$SHARED/victim"
        assert_no_temporaries "$SHARED"
    done
}

compress_loop_setup() {
    cp "$MID" "$SHARED/t/sub/f"
    echo "nobody's g" >"$SHARED/t/sub/g"
    echo "root's f" >"$SHARED/victim/f"
    echo "root's g" >"$SHARED/victim/g"
}

@test "-rq as root: an unprivileged user swapping a subdirectory in a loop never reaches root's directory" {
    loop_race compress_loop_setup -rq
}

decompress_loop_setup() {
    cp "$MID.gz" "$SHARED/t/sub/f.gz"
    echo "nobody's g" | gzip >"$SHARED/t/sub/g.gz"
    # The outputs' names, never to be overwritten (no .gz here: a symlink
    # followed under -f finds nothing to decompress).
    echo "root's f" >"$SHARED/victim/f"
    echo "root's g" >"$SHARED/victim/g"
}

@test "-drqf as root: an unprivileged user swapping a subdirectory in a loop never reaches root's directory" {
    loop_race decompress_loop_setup -drqf
}

# ---- a name replaced while its file is read -------------------------------------

# replaced MODE SETUP INPUT PGZ-ARG...: SETUP (a function) makes INPUT;
# while pgz reads it, a new file is renamed over it.  The new file is kept,
# with gzip's words for it, status 2.  Retried when pgz was caught too late.
replaced() {
    local mode=$1 setup=$2 input=$3 try
    shift 3
    for try in 1 2 3 4 5; do
        rm -rf ./* ./.pgz.*
        "$setup"
        echo "a new file, not to be removed" >"$input.new"
        keep_ref "$input.new"
        status=0
        in_mode "$mode" "$SWAPPER" at "$input" mv "$input.new" "$input" -- \
            "$PGZ" "$@" >"$OUT" 2>"$ERR" || status=$?
        [ "$status" -eq 200 ] || [ "$status" -eq 201 ] || break
    done
    echo "[$mode] pgz $* (try $try): status $status"
    if [ "$status" -ge 200 ] && [ "$status" -le 202 ]; then
        echo "the swapper could not stop pgz in the middle of $input" >&2
        return 1
    fi
    expect_result 2 "pgz: $input: replaced while it was read -- not removed"
    cmp "$input" "$REF/$input.new"
    assert_no_temporaries .
}

plain_setup() { cp "$BIG" a; }
gz_setup() { cp "$BIG.gz" a.gz; }

@test "compressing: a file renamed over the input while it is read is kept (no -f)" {
    for mode in "${MODES[@]}"; do
        replaced "$mode" plain_setup a a
        cmp <(gzip -dc a.gz) "$BIG"
        assert_names a a.gz
    done
}

@test "decompressing: a file renamed over the input while it is read is kept (no -f)" {
    for mode in "${MODES[@]}"; do
        replaced "$mode" gz_setup a.gz -d a.gz
        cmp a "$BIG"
        assert_names a a.gz
    done
}
