#!/usr/bin/env bats
# File lists (--files-from, --files0-from), the GZIP environment variable,
# and the -v summary line.

load helpers

# ---- file lists ------------------------------------------------------------

@test "files-from: names one a line, after the operands, blank lines skipped" {
    make_input a text 100
    make_input "b c" text 200
    make_input d text 300
    printf 'b c\n\nmissing\n' >list1
    printf 'a\n' >list2
    run_pgz -v --files-from=list1 d --files-from list2
    expect_status 1
    # Argument order: the operand d, then list1's names, then list2's.
    [ "$(sed -n 1p "$ERR" | cut -d: -f1)" = "d" ]
    [ "$(sed -n 2p "$ERR" | cut -d: -f1)" = "b c" ]
    [ "$(sed -n 3p "$ERR")" = "pgz: missing: No such file or directory" ]
    [ "$(sed -n 4p "$ERR" | cut -d: -f1)" = "a" ]
    assert_replaced a
    assert_replaced "b c"
    assert_replaced d
}

@test "files0-from: NUL-separated names from find -print0, newlines and all" {
    make_input "dir/one" text 100
    make_input "dir/two
lines" text 100
    make_input "dir/three" text 100
    find dir -type f -print0 | sort -z >list
    run_pgz --files0-from=list
    expect_result 0
    assert_replaced "dir/one"
    assert_replaced "dir/two
lines"
    assert_replaced "dir/three"
}

@test "files-from: - reads the list from standard input, with -r on directories" {
    make_input "top/x" text 100
    make_input "top/sub/y" text 100
    make_input z text 100
    run_pgz -r --files-from=- <<<"top
z"
    expect_result 0
    assert_replaced top/x
    assert_replaced top/sub/y
    assert_replaced z
}

@test "files-from: a name - in a list is a file called -, not standard input" {
    make_input ./- text 100
    printf -- '-\n' >list
    run_pgz --files-from=list </dev/null
    expect_result 0
    [ -f ./-.gz ] && [ ! -e ./- ]
}

@test "files-from: a missing list is an error in its place; the rest goes on" {
    make_input a text 100
    run_pgz --files-from=nolist a
    expect_result 1 "pgz: nolist: No such file or directory"
    assert_replaced a
}

@test "files-from: an unreadable list (a directory) is an error in its place" {
    make_input a text 100
    mkdir listdir
    run_pgz --files-from=listdir a
    expect_result 1 "pgz: listdir: Is a directory"
    assert_replaced a
}

@test "files-from: standard input cannot be both data and a list, nor two lists" {
    make_input a text 100
    snap
    for args in "--files-from=- -" "--files-from=- --files0-from=-"; do
        run_pgz $args </dev/null
        expect_result 1 \
            "pgz: standard input cannot be read both as data and as a file list, nor as two lists" \
            "Try \`pgz --help' for more information."
        expect_no_stdout
    done
    assert_tree_unchanged
}

@test "files-from: an empty list does nothing (and does not read stdin)" {
    : >list
    run_pgz --files-from=list </dev/null
    expect_result 0
    expect_no_stdout
}

@test "files-from: 20,000 names through a list (4,000 under sanitizers)" {
    local n=20000
    [ -z "${SANITIZE:-}" ] || n=4000
    mkdir many
    (cd many && seq -f 'f%05g' 1 $n | xargs touch)
    find many -type f >list
    run_pgz --files-from=list
    expect_result 0
    [ "$(find many -name '*.gz' | wc -l)" -eq $n ]
    [ "$(find many -type f ! -name '*.gz' | wc -l)" -eq 0 ]
}

# ---- GZIP ----------------------------------------------------------------------

@test "GZIP: levels and --synchronous are taken, the command line wins" {
    make_input a mixed 200000
    "$PGZ" -1 -c a >one.gz
    "$PGZ" -9 -c a >nine.gz
    # cmp: 1 when they differ (2 would be trouble).
    run cmp -s one.gz nine.gz
    [ "$status" -eq 1 ]
    GZIP=-1 run_pgz -c a
    expect_result 0
    cmp "$OUT" one.gz
    GZIP="--fast" run_pgz -9 -c a
    cmp "$OUT" nine.gz
    GZIP="--best --synchronous" run_pgz -c a
    cmp "$OUT" nine.gz
}

@test "GZIP: any other option or operand in it is ignored, silently (gzip 1.14)" {
    make_input a text 1000
    make_input other text 1000
    GZIP="-d -c -r -k --bogus other -S .x -v" run_pgz a
    expect_result 0
    assert_replaced a
    [ -f other ] && [ ! -e other.gz ]
}

# ---- the -v summary ----------------------------------------------------------------

@test "summary: -v with several files ends with a totals line" {
    make_input a text 100000
    make_input b text 100000
    run_pgz -v a b
    expect_status 0
    [ "$(wc -l <"$ERR")" -eq 3 ]
    tail -n 1 "$ERR" | grep -E '^pgz: 2 files, 200\.0 kB -> [0-9.]+ [kB]+ \([0-9]+\.[0-9]%\), [0-9]+\.[0-9]{2} s, [0-9.]+ [kMG]?B/s$'
}

@test "summary: counts problems; none for one file or without -v" {
    make_input a text 100
    run_pgz -v -k a missing
    expect_status 1
    tail -n 1 "$ERR" | grep -E '^pgz: 2 files \(1 error\), 100 B -> '
    run_pgz -v -f a.gz
    [ "$(wc -l <"$ERR")" -eq 1 ]
    make_input c text 100
    make_input d text 100
    run_pgz c d
    expect_result 0
}

@test "summary: decompression counts compressed in, data out" {
    make_input a text 10000
    make_input b text 10000
    gzip a b
    run_pgz -dv a.gz b.gz
    expect_status 0
    tail -n 1 "$ERR" | grep -E '^pgz: 2 files, [0-9]+ B -> 20\.0 kB \('
}

@test "files-from: a - line is the file -, also when decompressing (was stdin)" {
    make_input x text 100
    gzip -c x >./-.gz
    mv ./-.gz ./-
    printf -- '-\n' >list
    run_pgz -t -v --files-from=list </dev/null
    expect_result 0 "-:	 OK"
    run_pgz -d -k --files-from=list </dev/null
    expect_result 2 "pgz: -: unknown suffix -- ignored"
}
