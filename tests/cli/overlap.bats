#!/usr/bin/env bats
# Issue 10, section 5: overlapping operands, as gzip.  The same file reached
# twice in one run (a directory given twice, a file and its directory, a
# name twice, a file and its own output) is done once, or its second visit
# behaves as it would once the first is over -- which is what the
# sequential gzip does.  So each case is compared with the system gzip:
# exit status, stderr (program name aside) and the resulting tree (names,
# types, modes, and what each file holds once decompressed).  pgz runs each
# case many times, fresh each time, with its default and with more jobs,
# so that a status or message that depends on timing is caught.

load helpers

setup_file() {
    command -v gzip >/dev/null || skip "no system gzip to compare with"
}

RUNS=12     # 20 or 30 where today's failures depend on timing

# tree_content: every path with its type and mode, then for each regular
# file a checksum of what it holds once decompressed (gzip -dcf passes
# other data as it is), so that two deflaters' outputs compare equal.
tree_content() {
    find . -mindepth 1 -printf '%p %y %m\n' | LC_ALL=C sort
    local f
    find . -type f | LC_ALL=C sort | while IFS= read -r f; do
        printf '%s ' "$f"
        gzip -dcf <"$f" | cksum
    done
}

# overlap SETUP ARG...: in a fresh directory made by the function SETUP,
# run `gzip ARG...`; then RUNS times, each in a fresh copy, `pgz ARG...`
# (every other run with -j4): the same status, stderr and tree.
overlap() {
    local setup=$1 gstatus=0 run
    shift
    mkdir "$ROOT/template"
    (cd "$ROOT/template" && "$setup")
    cp -a "$ROOT/template" g
    (cd g && gzip "$@" </dev/null >"$ROOT/g.out" 2>"$ROOT/g.err") ||
        gstatus=$?
    sed 's/^gzip: /pgz: /' "$ROOT/g.err" >"$ROOT/g.err.pgz"
    (cd g && tree_content) >"$ROOT/g.tree"
    echo "gzip $*: status $gstatus; stderr:"
    cat "$ROOT/g.err"
    for run in $(seq 1 "$RUNS"); do
        rm -rf p
        cp -a "$ROOT/template" p
        local jobs=()
        ((run % 2)) || jobs=(-j4)
        status=0
        (cd p && "$PGZ" "${jobs[@]}" "$@" </dev/null >"$OUT" 2>"$ERR") ||
            status=$?
        if [ "$status" != "$gstatus" ] || ! cmp -s "$ROOT/g.err.pgz" "$ERR"; then
            echo "run $run: pgz ${jobs[*]} $*: status $status, stderr:" >&2
            cat "$ERR" >&2
            return 1
        fi
        (cd p && tree_content) >"$ROOT/p.tree"
        diff "$ROOT/g.tree" "$ROOT/p.tree" >&2 ||
            { echo "run $run: trees differ (< gzip, > pgz ${jobs[*]})" >&2
              return 1; }
    done
}

# d/a, d/sub/b
small_tree() {
    mkdir -p d/sub
    echo "data of a" >d/a
    echo "data of b" >d/sub/b
}

# a
one_file() { echo "data of a" >a; }

# a.gz (the gzip of a), a.gz.gz (the gzip of a.gz)
gz_of_gz() {
    echo "data of a" | gzip >a.gz
    gzip -c a.gz >a.gz.gz
}

@test "-r d d: the second pass finds only outputs (status 0, no message)" {
    overlap small_tree -r d d
    expect_result 0
    cd p
    assert_names d/ d/a.gz d/sub/ d/sub/b.gz
}

@test "-r d/a d: a file, then its directory" {
    overlap small_tree -r d/a d
    expect_result 0
    cd p
    assert_names d/ d/a.gz d/sub/ d/sub/b.gz
}

@test "-r d d/sub: a directory, then its subdirectory" {
    overlap small_tree -r d d/sub
    expect_result 0
    cd p
    assert_names d/ d/a.gz d/sub/ d/sub/b.gz
}

@test "-r d/sub d: a subdirectory, then its directory" {
    overlap small_tree -r d/sub d
    expect_result 0
}

@test "a a: the second is gone, as after the first" {
    RUNS=20 overlap one_file a a
    expect_result 1 "pgz: a: No such file or directory"
    cd p
    assert_names a.gz
}

@test "-k a a: the second finds the first's output" {
    RUNS=20 overlap one_file -k a a
    expect_result 2 "pgz: a.gz already exists;	not overwritten"
    cd p
    assert_names a a.gz
}

@test "-df a.gz a.gz.gz: the second's output replaces the first's input" {
    RUNS=30 overlap gz_of_gz -df a.gz a.gz.gz
    expect_result 0
    cd p
    assert_names a a.gz
    [ "$(cat a)" = "data of a" ]
    [ "$(gzip -dc a.gz)" = "data of a" ]
}

@test "-d a.gz a.gz.gz: the first's input is gone when the second writes" {
    RUNS=20 overlap gz_of_gz -d a.gz a.gz.gz
    expect_result 0
    cd p
    assert_names a a.gz
}
