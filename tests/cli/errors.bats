#!/usr/bin/env bats
# Errors: messages, statuses, and the promise that one failing file never
# stops the others nor leaves a partial output behind.

load helpers

# As nobody, in a directory every user can reach ($SHARED/w), with pgz
# copied to $SHARED/pgz.  Skips when privileges cannot be dropped.
enter_shared_dir() {
    as_nobody true ||
        skip "running as root and cannot drop privileges (setpriv failed)"
    shared_dir
    mkdir "$SHARED/w"
    chmod 755 "$SHARED/w"
    cd "$SHARED/w"
}

@test "a read-only destination directory: Permission denied, input intact" {
    enter_shared_dir
    mkdir dir
    echo 'some data' >dir/f
    chmod 644 dir/f
    chmod 555 dir
    snap
    local opt
    for opt in "" -k -f -9; do
        run_cmd as_nobody "$SHARED/pgz" $opt dir/f
        expect_result 1 "pgz: dir/f.gz: Permission denied"
        expect_no_stdout
        assert_tree_unchanged
    done
}

@test "a read-only directory does not stop the files elsewhere" {
    enter_shared_dir
    mkdir ro rw
    echo one >ro/f
    echo two >rw/g
    chmod 777 rw
    chmod 666 rw/g
    chmod 555 ro
    cp -p rw/g "$ROOT/g"
    run_cmd as_nobody "$SHARED/pgz" ro/f rw/g
    expect_result 1 "pgz: ro/f.gz: Permission denied"
    assert_names ro/ ro/f rw/ rw/g.gz
    assert_roundtrip rw/g.gz "$ROOT/g"
}

@test "an unreadable input: Permission denied, nothing written" {
    enter_shared_dir
    chmod 777 .
    echo secret >f
    chmod 000 f
    snap
    run_cmd as_nobody "$SHARED/pgz" f
    expect_result 1 "pgz: f: Permission denied"
    assert_tree_unchanged
    run_cmd as_nobody "$SHARED/pgz" -c f
    expect_result 1 "pgz: f: Permission denied"
    expect_no_stdout
}

@test "nonexistent files among good ones: one line each, the rest done" {
    local i
    for i in 1 2 3 4; do
        make_input "good$i" random $((i * 5000))
    done
    run_pgz nope1 good1 good2 nope2 good3 no/pe3 good4
    expect_result 1 "pgz: nope1: No such file or directory" \
        "pgz: nope2: No such file or directory" \
        "pgz: no/pe3: No such file or directory"
    for i in 1 2 3 4; do
        assert_replaced "good$i"
    done
    assert_names good1.gz good2.gz good3.gz good4.gz
}

@test "errors beat warnings in the exit status, whatever their order" {
    make_input a text 100
    mkdir d
    run_pgz -k d nope a
    expect_result 1 "pgz: d is a directory -- ignored" \
        "pgz: nope: No such file or directory"
    run_pgz -k nope d
    expect_result 1 "pgz: nope: No such file or directory" \
        "pgz: d is a directory -- ignored"
    assert_roundtrip a.gz a
}

@test "-c: a failing file leaves a hole, the stream keeps the others" {
    make_input a text 3000
    make_input b random 3000
    make_input c text 5
    mkdir d
    run_pgz -c a nope b d c
    expect_result 1 "pgz: nope: No such file or directory" \
        "pgz: d is a directory -- ignored"
    cmp <(gzip -dc "$OUT") <(cat a b c)
}

@test "messages come in argument order whatever the finishing order" {
    # big finishes last, but its warning (its timestamp is out of range)
    # must still come first; then one line per small failure.
    make_input big mixed 12000000
    touch -d @0 big
    make_input small text 100
    mkdir d
    local -a expected=(
        "pgz: big: warning: file timestamp out of range for gzip format"
        "pgz: nope1: No such file or directory"
        "pgz: d is a directory -- ignored"
        "pgz: nope2: No such file or directory"
        "pgz: small.gz already exists;"$'\t'"not overwritten"
        "pgz: nope3: No such file or directory"
    )
    echo old >small.gz
    local run
    for run in 1 2 3; do
        run_pgz -j4 -k big nope1 d nope2 small nope3
        expect_result 1 "${expected[@]}"
        assert_roundtrip big.gz big
        rm big.gz
    done
}

@test "-v lines and errors interleave in argument order, run after run" {
    make_input big mixed 8000000
    make_input s1 text 1000
    make_input s2 random 1000
    local run
    for run in 1 2 3; do
        run_pgz -v -j4 -c big nope1 s1 nope2 s2
        expect_status 1
        # The summary comes last; it has times, so it is set aside.
        tail -n 1 "$ERR" | grep -E '^pgz: 5 files \(2 errors\), '
        head -n -1 "$ERR" >"$ROOT/lines"
        # The name each line is about, in order.
        sed -E 's/^pgz: ([^:]*): .*/\1/; s/^([^:]*):\t.*/\1/' "$ROOT/lines" |
            cmp - <(printf '%s\n' big nope1 s1 nope2 s2)
        # And the very same text each time.
        [ "$run" = 1 ] && cp "$ROOT/lines" "$ROOT/first.err"
        cmp "$ROOT/first.err" "$ROOT/lines"
    done
}

# to_full ARG...: pgz ARG... with standard output on /dev/full.
to_full() {
    status=0
    "$PGZ" "$@" >/dev/full 2>"$ERR" || status=$?
}

@test "-c to /dev/full: one 'No space left on device' line, status 1" {
    [ -w /dev/full ] || skip "no /dev/full"
    make_input a text 1000
    make_input b random 100000
    make_input c mixed 3000000
    snap
    to_full -c a
    expect_result 1 "pgz: stdout: No space left on device"
    to_full -c a b c a b c
    expect_result 1 "pgz: stdout: No space left on device"
    to_full -c -j1 c b a
    expect_result 1 "pgz: stdout: No space left on device"
    assert_tree_unchanged
}

@test "stdin to /dev/full, and /dev/full errors after other errors" {
    [ -w /dev/full ] || skip "no /dev/full"
    make_input a text 1000
    to_full </dev/null
    expect_result 1 "pgz: stdout: No space left on device"
    to_full -c nope a nope2 a
    expect_result 1 "pgz: nope: No such file or directory" \
        "pgz: stdout: No space left on device" \
        "pgz: nope2: No such file or directory"
}

# limited ARG...: pgz ARG... with a 100 KiB file size limit (SIGXFSZ
# ignored, so that writes past it fail with EFBIG).
limited() {
    status=0
    (trap '' XFSZ && ulimit -f 100 && exec "$PGZ" "$@") >"$OUT" 2>"$ERR" ||
        status=$?
}

@test "a write error on an output: no partial output, input intact" {
    make_input big random 1000000
    make_input small text 100
    limited big small
    expect_result 1 "pgz: big.gz: File too large"
    cmp big "$REF/big"
    assert_same_mode_mtime big "$REF/big"
    assert_replaced small
    assert_names big small.gz
}

@test "a write error on stdout: File too large, status 1" {
    make_input big random 1000000
    make_input small text 100
    snap
    limited -c small big small
    expect_result 1 "pgz: stdout: File too large"
    assert_tree_unchanged
}

@test "-c with standard output closed: Bad file descriptor, status 1" {
    make_input a text 100
    status=0
    "$PGZ" -c a >&- 2>"$ERR" || status=$?
    expect_result 1 "pgz: stdout: Bad file descriptor"
}

@test "the program name in messages follows argv[0]" {
    cp "$PGZ" "$ROOT/mygz"
    ln -s "$PGZ" "$ROOT/linkgz"
    make_input a text 100
    run_cmd "$ROOT/mygz" nope
    expect_result 1 "mygz: nope: No such file or directory"
    run_cmd "$ROOT/linkgz" nope
    expect_result 1 "linkgz: nope: No such file or directory"
    PATH="$ROOT:$PATH" run_cmd mygz -x
    expect_result 1 "mygz: invalid option -- 'x'" \
        "Try \`mygz --help' for more information."
    run_cmd "$ROOT/mygz" -S '' a
    expect_result 1 "mygz: invalid suffix ''"
    mkdir d
    run_cmd "$ROOT/mygz" d
    expect_result 2 "mygz: d is a directory -- ignored"
    run_cmd "$ROOT/mygz" --help
    expect_status 0
    head -n 1 "$OUT" | grep -q '^Usage: mygz '
    on_tty "\"$ROOT/mygz\" <a 2>\"$ERR\""
    expect_result 1 \
        "mygz: compressed data not written to a terminal. Use -f to force compression." \
        "For help, type: mygz -h"
}

@test "an output name too long for the file system is shortened as gzip does (see names.bats)" {
    local name short
    name=$(printf 'n%.0s' {1..254})
    short=$(printf 'n%.0s' {1..252}).gz
    make_input "$name" text 100
    run_pgz "$name"
    expect_result 0 "pgz: $name compressed to $short"
    assert_names "$short"
    assert_roundtrip "$short" "$REF/$name"
    [ -z "$(find . -name '.pgz.*')" ]
}

@test "no temporary file is left after any refusal or failure" {
    make_input a text 100
    echo old >a.gz
    make_input b text 100
    ln b b2
    mkdir d
    ln -s a sl
    snap
    run_pgz -j3 a b d sl nope -S ''
    expect_result 1 "pgz: invalid suffix ''"
    assert_tree_unchanged
    run_pgz -j3 a b d sl nope
    expect_status 1
    assert_tree_unchanged
    [ -z "$(find . -name '.pgz.*')" ]
}
