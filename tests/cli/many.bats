#!/usr/bin/env bats
# Many files and many workers: the output never depends on -j.

load helpers

# make_small_files DIR COUNT: DIR/f1 .. DIR/fCOUNT, small and all different,
# with copies under $REF/DIR.
make_small_files() {
    local dir=$1 count=$2 i
    mkdir -p "$dir" "$REF/$dir"
    for ((i = 1; i <= count; i++)); do
        printf 'file %d\n%*s\n' "$i" $((i % 97)) '' >"$dir/f$i"
    done
    cp -p "$dir"/* "$REF/$dir/"
}

# assert_dir_roundtrip DIR: every file of DIR is a .gz, and gzip -d turns
# DIR back into $REF/DIR exactly.
assert_dir_roundtrip() {
    local dir=$1
    [ -z "$(find "$dir" -type f ! -name '*.gz')" ] ||
        { echo "$dir holds uncompressed files" >&2; return 1; }
    gzip -dr "$dir"
    diff -r "$dir" "$REF/$dir" >&2
}

# a set of inputs of various sizes and kinds
make_varied_inputs() {
    make_input v0 empty
    make_input v1 text 1
    make_input v2 random 70000
    make_input v3 mixed 400000
    make_input v4 text 1300000
    make_input v5 random 150000
    make_input v6 mixed 30000
}

VARIED=(v0 v1 v2 v3 v4 v5 v6)

@test "2,000 small files in one call" {
    make_small_files many 2000
    cd many
    run_pgz f*
    expect_result 0
    [ "$(find . -name 'f*.gz' | wc -l)" = 2000 ]
    cd ..
    # Mode, mtime and name of a few of them.
    local i
    for i in 1 777 2000; do
        assert_same_mode_mtime "many/f$i.gz" "$REF/many/f$i"
        assert_header_name "many/f$i.gz" "f$i"
    done
    assert_dir_roundtrip many
}

@test "-r over a tree of 600 files in nested directories" {
    local d
    for d in a a/b a/b/c x y; do
        make_small_files "top/$d" 120
    done
    run_pgz -r -j8 top
    expect_result 0
    assert_dir_roundtrip top
}

@test "-c over 5,000 operands (more than pgz plans ahead): in order" {
    # 100 files named 50 times each, in a scrambled order.
    make_small_files many 100
    local -a names=()
    local i
    for ((i = 0; i < 5000; i++)); do
        names+=("many/f$((i * 37 % 100 + 1))")
    done
    run_pgz -c -j4 "${names[@]}"
    expect_result 0
    cmp <(gzip -dc "$OUT") <(cat "${names[@]}")
}

@test "-j1, -j2, -j8, -p 4, --jobs=3: identical -c output" {
    make_varied_inputs
    "$PGZ" -c -j1 "${VARIED[@]}" >"$ROOT/ref.gz"
    cmp <(gzip -dc "$ROOT/ref.gz") <(cat "${VARIED[@]}")
    local opts
    for opts in -j2 -j8 "-p 4" --jobs=3 "--processes 5" -j64 ""; do
        run_pgz -c $opts "${VARIED[@]}"
        expect_result 0
        cmp "$ROOT/ref.gz" "$OUT" ||
            { echo "pgz -c $opts differs from -j1" >&2; return 1; }
    done
}

@test "-j1, -j2, -j8, -p 4, --jobs=3: identical .gz files" {
    make_varied_inputs
    local opts f
    for opts in -j1 -j2 -j8 "-p 4" --jobs=3; do
        mkdir "$ROOT/out$opts"
        run_pgz -k $opts "${VARIED[@]}"
        expect_result 0
        mv ./*.gz "$ROOT/out$opts/"
    done
    for f in "${VARIED[@]}"; do
        assert_roundtrip "$ROOT/out-j1/$f.gz" "$f"
        for opts in -j2 -j8 "-p 4" --jobs=3; do
            cmp "$ROOT/out-j1/$f.gz" "$ROOT/out$opts/$f.gz"
        done
    done
}

@test "-c output equals the .gz files concatenated" {
    make_varied_inputs
    run_pgz -k -j3 "${VARIED[@]}"
    expect_result 0
    run_pgz -c -j2 "${VARIED[@]}"
    expect_result 0
    local f
    cmp "$OUT" <(for f in "${VARIED[@]}"; do cat "$f.gz"; done)
}

@test "-j 64 on a couple of files, and the largest -j" {
    make_input a text 100000
    make_input b random 100000
    run_pgz -j 64 a b
    expect_result 0
    assert_replaced a
    assert_replaced b
    make_input c text 1000
    run_pgz -j1024 -k c
    expect_result 0
    assert_roundtrip c.gz c
}

@test "more workers than files, and one worker for many files" {
    make_small_files s 30
    run_pgz -j1 -k s/f*
    expect_result 0
    mkdir "$ROOT/one" && mv s/*.gz "$ROOT/one/"
    run_pgz -j40 s/f*
    expect_result 0
    local i
    for ((i = 1; i <= 30; i++)); do
        cmp "s/f$i.gz" "$ROOT/one/f$i.gz"
    done
    assert_dir_roundtrip s
}

@test "the same file given twice: compressed once, then not found" {
    make_input a text 1000
    run_pgz -j1 a a
    expect_result 1 "pgz: a: No such file or directory"
    assert_replaced a
}
