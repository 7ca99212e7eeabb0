#!/usr/bin/env bats
# Big files are cut into blocks that every worker compresses at once: the
# output must be one standard gzip member, the same bytes whatever -j, and
# exactly the single-stream output for a file of at most one block.

load helpers

B=$((32 * 1024))    # the block size these tests use: -b 32 (the minimum)

# Levels to try.  The level is zlib's business, not pgz's code paths, so
# the sanitized runs (whose every process start is slow) try one.
LEVELS="1 6 9"
[ -z "${SANITIZE:-}" ] || LEVELS=6

# compress_both NAME ARGS...: NAME through the file path (-c -n) and
# through stdin (a pipe, so no time stamp either), with ARGS; the two
# outputs must be identical and valid.
compress_both() {
    local name=$1
    shift
    "$PGZ" -c -n "$@" -- "$name" >"$ROOT/file.gz"
    cat -- "$name" | "$PGZ" "$@" >"$ROOT/stdin.gz"
    cmp "$ROOT/file.gz" "$ROOT/stdin.gz"
    assert_roundtrip "$ROOT/file.gz" "$name"
}

@test "sizes around the block size round-trip, file and stdin alike" {
    for size in 0 1 $((B - 1)) $B $((B + 1)) $((2 * B)) $((7 * B + 123)); do
        make_input "m$size" mixed "$size"
        for level in $LEVELS; do
            compress_both "m$size" -b 32 -$level
        done
    done
}

@test "a file of at most one block is exactly the single-stream output" {
    # The file path compresses such a file whole, in one stream; stdin
    # always goes through blocks.  Same bytes means same format.
    make_input one mixed $B
    compress_both one -b 32
    make_input small text 1000
    compress_both small
}

@test "the output depends on level and block size only, not on -j" {
    make_input big mixed $((40 * B + 17))
    for level in ${LEVELS% 9}; do
        "$PGZ" -c -b 32 -$level -j1 big >"$ROOT/j1.gz"
        for j in 2 3 8 64; do
            "$PGZ" -c -b 32 -$level -j$j big >"$ROOT/jn.gz"
            cmp "$ROOT/j1.gz" "$ROOT/jn.gz"
        done
        assert_roundtrip "$ROOT/j1.gz" big
    done
}

@test "a big file replaced in place keeps name, mode, times and header" {
    make_input big random $((10 * B))
    chmod 640 big
    touch -d '2020-02-02 02:02:02.123456789' big
    keep_ref big
    run_pgz -b 32 -j2 big
    expect_result 0
    assert_replaced big
}

@test "blocks are primed with the data before them (zlib)" {
    # Text that repeats across block boundaries compresses much better
    # with the dictionary than with -i.
    yes 'the quick brown fox jumps over the lazy dog' | head -c $((20 * B)) >t
    "$PGZ" --engine=zlib -c -b 32 t >"$ROOT/primed.gz"
    "$PGZ" --engine=zlib -c -b 32 -i t >"$ROOT/indep.gz"
    assert_roundtrip "$ROOT/primed.gz" t
    assert_roundtrip "$ROOT/indep.gz" t
    [ "$(wc -c <"$ROOT/primed.gz")" -lt "$(wc -c <"$ROOT/indep.gz")" ]
}

@test "-i/--independent output decompresses and differs from primed (zlib)" {
    make_input big mixed $((9 * B + 5))
    "$PGZ" --engine=zlib -c -b 32 --independent big >"$ROOT/i.gz"
    assert_roundtrip "$ROOT/i.gz" big
    "$PGZ" --engine=zlib -c -b 32 big >"$ROOT/p.gz"
    run cmp -s "$ROOT/i.gz" "$ROOT/p.gz"
    [ "$status" -eq 1 ]
}

@test "-c with big and small files keeps argument order" {
    make_input a mixed $((5 * B + 1))
    make_input b text 10
    make_input c mixed $((3 * B))
    make_input d empty
    run_pgz -c -b 32 -j4 a b c d
    expect_result 0
    cat a b c d >"$ROOT/all"
    assert_roundtrip "$OUT" "$ROOT/all"
}

@test "stdin in several pieces (a slow pipe) gives the same bytes" {
    make_input big mixed $((6 * B + 99))
    cat big | "$PGZ" -b 32 >"$ROOT/direct.gz"
    { head -c 1000 big; sleep 0.2; tail -c +1001 big; } |
        "$PGZ" -b 32 >"$ROOT/piped.gz"
    cmp "$ROOT/direct.gz" "$ROOT/piped.gz"
}

@test "bad block sizes are refused with a hint" {
    make_input f text 10
    snap
    for bad in 0 31 65537 abc ''; do
        run_pgz -b "$bad" f
        expect_status 1
        grep -q "^pgz: invalid block size: '$bad' (32 to 65536 KiB)\$" "$ERR"
        grep -q "^Try \`pgz --help' for more information.\$" "$ERR"
        assert_tree_unchanged
    done
}

@test "--blocksize=K is -b K" {
    make_input big mixed $((4 * B))
    "$PGZ" -c -b 64 big >"$ROOT/short.gz"
    "$PGZ" -c --blocksize=64 big >"$ROOT/long.gz"
    cmp "$ROOT/short.gz" "$ROOT/long.gz"
}
