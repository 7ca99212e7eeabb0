#!/usr/bin/env bats
# Inputs and command lines pgz refuses, with gzip's messages and statuses,
# leaving every file exactly as it was.

load helpers

HINT="Try \`pgz --help' for more information."

# refuses STATUS MESSAGE ARG...: pgz ARG... exits with STATUS, prints only
# MESSAGE (one line or several; "" for none), writes nothing on stdout and
# changes no file, not even a temporary one.
refuses() {
    local want=$1 message=$2
    shift 2
    snap
    run_pgz "$@" </dev/null
    if [ -n "$message" ]; then
        expect_result "$want" "$message"
    else
        expect_result "$want"
    fi
    expect_no_stdout
    assert_tree_unchanged
}

# ---- inputs --------------------------------------------------------------------

@test "a nonexistent file" {
    refuses 1 "pgz: nope: No such file or directory" nope
    refuses 1 "pgz: no/such/dir/f: No such file or directory" no/such/dir/f
}

@test "a directory without -r" {
    make_input d/inside text 100
    refuses 2 "pgz: d is a directory -- ignored" d
    refuses 2 "pgz: d/ is a directory -- ignored" d/
    refuses 2 "pgz: d is a directory -- ignored" -k d
}

@test "a symlink without -f" {
    make_input target text 100
    ln -s target sl
    refuses 1 "pgz: sl: Too many levels of symbolic links" sl
    refuses 1 "pgz: sl: Too many levels of symbolic links" -k sl
}

@test "a dangling symlink, with and without -f" {
    ln -s nowhere dang
    refuses 1 "pgz: dang: Too many levels of symbolic links" dang
    refuses 1 "pgz: dang: No such file or directory" -f dang
}

@test "a FIFO is refused, and pgz does not wait for a writer" {
    mkfifo ff
    refuses 2 "pgz: ff is not a directory or a regular file - ignored" ff
    refuses 2 "pgz: ff is not a directory or a regular file - ignored" -f ff
}

@test "with -c a FIFO is read, as gzip does, and pgz does not wait for a writer" {
    mkfifo ff
    run_pgz -c ff </dev/null
    expect_status 0
    expect_stderr
    [ "$(gzip -dc <"$OUT" | wc -c)" -eq 0 ]
}

@test "a character device is refused" {
    refuses 2 "pgz: /dev/null is not a directory or a regular file - ignored" \
        -k /dev/null
}

@test "a file with other hard links" {
    make_input hl text 100
    ln hl hl2
    refuses 2 "pgz: hl has 1 other link -- file ignored" hl
    ln hl hl3
    refuses 2 "pgz: hl has 2 other links -- file ignored" hl
    refuses 2 "pgz: hl has 2 other links -- file ignored" -k hl
}

@test "set-user-ID and set-group-ID files are ignored, even with -f" {
    local mode opt
    local -A what=([4644]=set-user-ID [2755]=set-group-ID [6755]=set-user-ID)
    for mode in "${!what[@]}"; do
        make_input "f$mode" text 100
        chmod "$mode" "f$mode"
        for opt in -k -f; do
            refuses 2 "pgz: f$mode is ${what[$mode]} on execution - ignored" \
                $opt "f$mode"
        done
    done
}

@test "a file with the sticky bit is ignored without -f" {
    make_input f text 100
    chmod 1644 f
    refuses 2 "pgz: f has the sticky bit set - file ignored" f
    refuses 2 "pgz: f has the sticky bit set - file ignored" -k f
}

@test "-c compresses set-user-ID and sticky files to stdout" {
    make_input u text 100
    make_input t text 100
    chmod 4755 u
    chmod 1644 t
    snap
    run_pgz -c u t
    expect_result 0
    cmp <(gzip -dc "$OUT") <(cat u t)
    assert_tree_unchanged
}

@test "a file that already has a compressed suffix: unchanged, status 0" {
    local name
    for name in x.gz x.GZ x.z x.Z x.tgz x.taz x-gz x-z x_z; do
        make_input "$name" text 10
        refuses 0 "pgz: $name already has ${name#x} suffix -- unchanged" "$name"
    done
}

@test "only a suffix is not a compressed name" {
    make_input .gz text 100
    run_pgz .gz
    expect_result 0
    assert_replaced .gz
    assert_names .gz.gz
}

@test "a compressed suffix under -r is skipped silently, status 0" {
    make_input d/x.gz text 10
    make_input d/sub/y.tgz text 10
    refuses 0 "" -r d
    refuses 0 "" -rk d
}

@test "-v shows the suffix skip under -r" {
    make_input d/x.gz text 10
    refuses 0 "pgz: d/x.gz already has .gz suffix -- unchanged" -rv d
}

@test "an existing output without -f: not overwritten, status 2" {
    make_input a text 100
    echo 'keep me' >a.gz
    refuses 2 "pgz: a.gz already exists;"$'\t'"not overwritten" a
    refuses 2 "pgz: a.gz already exists;"$'\t'"not overwritten" -k a
    [ "$(cat a.gz)" = 'keep me' ]
}

@test "an existing output that is a symlink or a directory is not overwritten" {
    make_input a text 100
    make_input b text 100
    ln -s nowhere a.gz
    mkdir b.gz
    refuses 2 "pgz: a.gz already exists;"$'\t'"not overwritten" a
    refuses 2 "pgz: b.gz already exists;"$'\t'"not overwritten" b
    [ ! -e nowhere ]
}

@test "timestamps out of range: warning, status 2, MTIME 0, output made" {
    local stamp name=0
    for stamp in @0 1960-01-01 @-1 2107-01-01; do
        name=$((name + 1))
        make_input "f$name" text 1000
        touch -d "$stamp" "f$name"
        keep_ref "f$name"
        run_pgz "f$name"
        expect_result 2 \
            "pgz: f$name: warning: file timestamp out of range for gzip format"
        assert_roundtrip "f$name.gz" "$REF/f$name"
        assert_header_mtime "f$name.gz" 0
        assert_header_name "f$name.gz" "f$name"
        assert_same_mode_mtime "f$name.gz" "$REF/f$name"
        [ ! -e "f$name" ]
    done
}

@test "timestamp out of range: -q hides the warning, -n has nothing to warn" {
    make_input f text 100
    touch -d @0 f
    run_pgz -qk f
    expect_result 2
    assert_header_mtime f.gz 0
    rm f.gz
    run_pgz -nk f
    expect_result 0
    assert_header_mtime f.gz 0
}

# ---- terminals -------------------------------------------------------------------

# refuses_tty COMMAND: COMMAND (a shell line, run on a terminal, its
# stderr into $ERR) is refused as gzip refuses compressed data on a terminal.
refuses_tty() {
    snap
    on_tty "$1 2>\"$ERR\""
    expect_result 1 \
        "pgz: compressed data not written to a terminal. Use -f to force compression." \
        "For help, type: pgz -h"
    expect_no_stdout
    assert_tree_unchanged
}

@test "compressed data is not written to a terminal" {
    make_input a text 1000
    refuses_tty "\"$PGZ\" <a"
    refuses_tty "\"$PGZ\" - <a"
    refuses_tty "\"$PGZ\" -c a"
    refuses_tty "\"$PGZ\" -kc a"
}

# ---- the command line ---------------------------------------------------------------

@test "an invalid short option" {
    make_input a text 100
    refuses 1 "pgz: invalid option -- 'x'"$'\n'"$HINT" -x a
    refuses 1 "pgz: invalid option -- 'Z'"$'\n'"$HINT" -k -Z a
    refuses 1 "pgz: invalid option -- 'y'"$'\n'"$HINT" -kyv a
}

@test "an unknown long option" {
    make_input a text 100
    snap
    run_pgz --bogus a
    expect_result 1 "pgz: unrecognized option '--bogus'" \
        "$HINT"
    run_pgz --keep=yes a
    expect_result 1 "pgz: option '--keep' doesn't allow an argument" \
        "$HINT"
    assert_tree_unchanged
}

@test "a missing option argument" {
    make_input a text 100
    snap
    run_pgz a -S
    expect_result 1 "pgz: option requires an argument -- 'S'" \
        "$HINT"
    run_pgz a --suffix
    expect_result 1 "pgz: option '--suffix' requires an argument" \
        "$HINT"
    assert_tree_unchanged
}

@test "an empty suffix" {
    make_input a text 100
    refuses 1 "pgz: invalid suffix ''" -S '' a
    refuses 1 "pgz: invalid suffix ''" --suffix= a
}

@test "bad -j, -p, --jobs values" {
    make_input a text 100
    snap
    local bad
    # Each entry is split into words: "-j 2x" is two arguments.
    for bad in -j0 -jx -j-1 "-j 2x" "-p 1.5" --jobs=0 --jobs= -p0 \
        --processes=x -j1025 -j99999999999999999999; do
        run_pgz $bad a
        expect_status 1
        [ "$(tail -n 1 "$ERR")" = "$HINT" ]
        expect_no_stdout
    done
    assert_tree_unchanged
}

@test "a refused operand among good ones: the others are compressed" {
    make_input good1 text 100
    make_input x.gz text 100
    make_input good2 random 100
    mkdir d
    run_pgz good1 x.gz d good2
    expect_result 2 "pgz: x.gz already has .gz suffix -- unchanged" \
        "pgz: d is a directory -- ignored"
    assert_replaced good1
    assert_replaced good2
    assert_names good1.gz good2.gz x.gz d/
}
