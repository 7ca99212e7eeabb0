#!/usr/bin/env bats
# Standard output: -c, several members in argument order, standard input.

load helpers

@test "-c writes the member on stdout and keeps the input" {
    make_input a random 10000
    snap
    run_pgz -c a
    expect_result 0
    assert_tree_unchanged
    assert_roundtrip "$OUT" a
    assert_header_name "$OUT" a
    assert_header_mtime "$OUT" "$(stat -c %Y a)"
}

@test "--stdout and --to-stdout are -c" {
    make_input a text 1000
    snap
    "$PGZ" -c a >"$ROOT/c.gz"
    local opt
    for opt in --stdout --to-stdout; do
        run_pgz "$opt" a
        expect_result 0
        cmp "$OUT" "$ROOT/c.gz"
    done
    assert_tree_unchanged
}

@test "-c with several files: one stream, members in argument order" {
    # The first file is the slowest, so later members are ready first.
    make_input big mixed 6000000
    make_input e empty
    make_input small text 10
    make_input mid random 300000
    snap
    run_pgz -c -j4 big e small mid small
    expect_result 0
    assert_tree_unchanged
    cmp <(gzip -dc "$OUT") <(cat big e small mid small)
    gzip -t "$OUT"
}

@test "-c: each file is its own member, with its own header" {
    make_input one text 100
    make_input two text 200
    run_pgz -c one two
    expect_result 0
    "$PGZ" -c one >"$ROOT/one.gz"
    "$PGZ" -c two >"$ROOT/two.gz"
    cmp "$OUT" <(cat "$ROOT/one.gz" "$ROOT/two.gz")
}

@test "-c: megabytes of output from several workers stay in order" {
    local i
    for i in 1 2 3 4; do
        make_input "r$i" random 3500000
    done
    run_pgz -c -j4 r4 r1 r3 r2
    expect_result 0
    cmp <(gzip -dc "$OUT") <(cat r4 r1 r3 r2)
}

@test "no file: standard input to standard output, no name, mtime 0" {
    printf 'some data\n' >"$ROOT/in"
    run_pgz < <(cat "$ROOT/in")
    expect_result 0
    assert_roundtrip "$OUT" "$ROOT/in"
    assert_no_name_no_time "$OUT"
    assert_names
}

@test "a pipe into pgz and out to gzip -dc" {
    [ "$(printf data | "$PGZ" | gzip -dc)" = data ]
    [ "$(printf '' | "$PGZ" | gzip -dc | wc -c)" = 0 ]
    make_input r random 1000000
    cat r | "$PGZ" -9 | gzip -dc | cmp - r
}

@test "\"-\" is standard input, with or without -c" {
    printf 'from stdin\n' >"$ROOT/in"
    run_pgz - <"$ROOT/in"
    expect_result 0
    assert_roundtrip "$OUT" "$ROOT/in"
    run_pgz -c - < <(cat "$ROOT/in")
    expect_result 0
    assert_roundtrip "$OUT" "$ROOT/in"
    assert_no_name_no_time "$OUT"
}

@test "-c with files and \"-\" mixed keeps argument order" {
    make_input a text 3000
    make_input b random 3000
    printf 'piped\n' >"$ROOT/in"
    run_pgz -c a - b - < <(cat "$ROOT/in")
    expect_result 0
    # The second "-" finds standard input at its end: an empty member.
    cmp <(gzip -dc "$OUT") <(cat a "$ROOT/in" b)
}

@test "\"-\" among files without -c: files to FILE.gz, stdin to stdout" {
    make_input a text 3000
    make_input b random 3000
    printf 'piped\n' >"$ROOT/in"
    run_pgz a - b < <(cat "$ROOT/in")
    expect_result 0
    assert_replaced a
    assert_replaced b
    assert_roundtrip "$OUT" "$ROOT/in"
    assert_names a.gz b.gz
}

@test "-c -n and stdin: headers without names" {
    make_input a text 1000
    run_pgz -cn a
    expect_result 0
    assert_no_name_no_time "$OUT"
    [ "$(printf x | "$PGZ" -N | od -An -tu1 -j3 -N1 | tr -d ' ')" = 0 ]
}

# has_open PID NAME: process PID has a file named NAME open.
has_open() {
    local fd
    for fd in /proc/"$1"/fd/*; do
        [[ $(readlink "$fd" 2>/dev/null) == */"$2" ]] && return 0
    done
    return 1
}

@test "-cf reads a FIFO" {
    [ -d /proc/self/fd ] || skip "needs /proc to see when pgz has the FIFO open"
    mkfifo ff
    # Hold a writer open, so that pgz cannot see end-of-file before it has
    # opened the FIFO and read the data; close it once pgz has the FIFO.
    local fd pid i
    exec {fd}<>ff
    printf 'through a fifo\n' >&"$fd"
    (exec {fd}>&- && exec "$PGZ" -cf ff) >"$OUT" 2>"$ERR" &
    pid=$!
    start_watchdog "$pid" 30 "$fd"
    for ((i = 0; i < 200; i++)); do
        has_open "$pid" ff && break
        sleep 0.05
    done
    exec {fd}>&-
    status=0
    wait "$pid" || status=$?
    stop_watchdog
    expect_result 0
    [ "$(gzip -dc "$OUT")" = 'through a fifo' ]
}

@test "\"-\" twice: the first reads all of stdin, the second is empty" {
    make_input in random 3000000
    local jobs
    for jobs in 1 2 4; do
        run_pgz -c -j"$jobs" - - < <(cat in)
        expect_result 0
        cmp <(gzip -dc "$OUT") in ||
            { echo "-j$jobs: stdin scrambled between members" >&2; return 1; }
    done
}

@test "-c follows a symlink (as gzip -c does)" {
    make_input target text 1000
    ln -s target link
    snap
    run_pgz -c link
    expect_result 0
    assert_roundtrip "$OUT" target
    assert_tree_unchanged
}

@test "-c ignores a hard-link count and an existing FILE.gz" {
    make_input hl text 1000
    ln hl other
    echo old >hl.gz
    snap
    run_pgz -c hl
    expect_result 0
    assert_roundtrip "$OUT" hl
    assert_tree_unchanged
}

@test "-c with -f writes to a terminal" {
    make_input a text 1000
    on_tty "\"$PGZ\" -cf a"
    expect_status 0
    # Compressed bytes went to the terminal, not to any file.
    assert_names a
    assert_gzip_magic "$OUT"
}
