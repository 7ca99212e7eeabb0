#!/usr/bin/env bats
# Options that change what is written: -k, -f, levels, -S, -n/-N, -r, -v,
# -q, combined short options, and the informational ones.

load helpers

@test "-k and --keep keep the input" {
    local opt
    for opt in -k --keep; do
        rm -f a a.gz
        make_input a random 4000
        run_pgz "$opt" a
        expect_result 0
        cmp a "$REF/a"
        assert_same_mode_mtime a "$REF/a"
        assert_roundtrip a.gz "$REF/a"
        assert_same_mode_mtime a.gz "$REF/a"
        assert_names a a.gz
    done
}

@test "-f overwrites an existing FILE.gz" {
    make_input a text 3000
    echo stale >a.gz
    run_pgz -f a
    expect_result 0
    assert_replaced a
    assert_names a.gz
}

@test "--force overwrites an existing FILE.gz, even a read-only one" {
    make_input a random 3000
    echo stale >a.gz
    chmod 444 a.gz
    run_pgz --force a
    expect_result 0
    assert_replaced a
    assert_names a.gz
}

@test "-f on a sticky file: FILE.gz gets the permission bits only" {
    make_input f text 1000
    chmod 1755 f
    run_pgz -f f
    expect_result 0
    assert_roundtrip f.gz "$REF/f"
    [ "$(stat -c %a f.gz)" = 755 ] ||
        { echo "f.gz has mode $(stat -c %a f.gz), gzip gives 755" >&2; return 1; }
}

@test "-f on a symlink writes LINK.gz with the target's data" {
    make_input target random 5000
    ln -s target link
    run_pgz -f link
    expect_result 0
    assert_roundtrip link.gz "$REF/target"
    assert_header_name link.gz link
    assert_same_mode_mtime link.gz target
    cmp target "$REF/target"
    assert_names target link.gz
}

@test "-f compresses a hard-linked file; the other link keeps the data" {
    make_input hl random 5000
    ln hl other
    run_pgz -f hl
    expect_result 0
    assert_replaced hl
    cmp other "$REF/hl"
    assert_names hl.gz other
}

@test "-1, -9, --fast and --best set XFL as gzip does" {
    make_input data text 300000
    local opt
    local -A xfl=([-1]=4 [--fast]=4 [-9]=2 [--best]=2 [-6]=0 [-5]=0)
    for opt in "${!xfl[@]}"; do
        "$PGZ" -c "$opt" data >"$ROOT/out$opt"
        assert_roundtrip "$ROOT/out$opt" data
        [ "$(gz_xfl "$ROOT/out$opt")" = "${xfl[$opt]}" ] ||
            { echo "$opt: XFL $(gz_xfl "$ROOT/out$opt")" >&2; return 1; }
    done
    cmp "$ROOT/out-1" "$ROOT/out--fast"
    cmp "$ROOT/out-9" "$ROOT/out--best"
}

@test "-9 output is no larger than -1 output on compressible data" {
    { seq 1 200000; yes 'some text that repeats' | head -n 50000; } >data
    "$PGZ" -1c data >"$ROOT/fast.gz"
    "$PGZ" -9c data >"$ROOT/best.gz"
    assert_roundtrip "$ROOT/fast.gz" data
    assert_roundtrip "$ROOT/best.gz" data
    [ "$(stat -c %s "$ROOT/best.gz")" -le "$(stat -c %s "$ROOT/fast.gz")" ]
}

@test "every level from -1 to -9 round-trips" {
    make_input data mixed 200000
    local level
    for level in 1 2 3 4 5 6 7 8 9; do
        "$PGZ" "-$level" -c data >"$ROOT/l$level.gz"
        assert_roundtrip "$ROOT/l$level.gz" data
    done
}

@test "-S .sfx and --suffix=.sfx name the output" {
    make_input a text 100
    make_input b text 200
    make_input c text 300
    run_pgz -S .sfx a
    expect_result 0
    run_pgz --suffix=.zz b
    expect_result 0
    run_pgz --suffix _x c
    expect_result 0
    assert_names a.sfx b.zz c_x
    assert_roundtrip a.sfx "$REF/a"
    assert_roundtrip b.zz "$REF/b"
    assert_roundtrip c_x "$REF/c"
    assert_header_name a.sfx a
}

@test "-S: a file that already has the suffix is left alone" {
    make_input a.sfx text 100
    snap
    run_pgz -S .sfx a.sfx
    expect_result 0 "pgz: a.sfx already has .sfx suffix -- unchanged"
    assert_tree_unchanged
}

@test "-n stores no name and a zero mtime; -N (the default) stores both" {
    make_input a text 1000
    touch -d @1000000000 a
    "$PGZ" -nc a >"$ROOT/n.gz"
    "$PGZ" -Nc a >"$ROOT/N.gz"
    "$PGZ" -c a >"$ROOT/default.gz"
    "$PGZ" -n -N -c a >"$ROOT/nN.gz"
    "$PGZ" -N -n -c a >"$ROOT/Nn.gz"
    assert_no_name_no_time "$ROOT/n.gz"
    assert_no_name_no_time "$ROOT/Nn.gz"
    [ "$(gz_flags "$ROOT/n.gz")" = 0 ]
    local f
    for f in N default nN; do
        assert_header_name "$ROOT/$f.gz" a
        assert_header_mtime "$ROOT/$f.gz" 1000000000
    done
    for f in n N default nN Nn; do
        assert_roundtrip "$ROOT/$f.gz" a
    done
}

@test "-n on a file: same header as gzip -n, output keeps the file's mtime" {
    make_input a text 1000
    cp -p a g
    gzip -n g
    run_pgz -n --no-name a
    expect_result 0
    assert_no_name_no_time a.gz
    cmp <(head -c 10 a.gz) <(head -c 10 g.gz)
    assert_same_mode_mtime a.gz "$REF/a"
    assert_roundtrip a.gz "$REF/a"
}

@test "-r compresses every regular file of nested directories" {
    local f
    local -a files=(top/a top/b top/sub/c top/sub/deeper/d "top/sub/with space")
    for f in "${files[@]}"; do
        make_input "$f" random 2000
    done
    mkdir top/empty
    echo already >top/sub/old.gz
    snap
    run_pgz -r top
    expect_result 0
    for f in "${files[@]}"; do
        assert_replaced "$f"
    done
    assert_names top/ top/empty/ top/sub/ top/sub/deeper/ top/a.gz top/b.gz \
        top/sub/c.gz top/sub/deeper/d.gz "top/sub/with space.gz" top/sub/old.gz
    [ "$(cat top/sub/old.gz)" = already ]
}

@test "--recursive with files and directories mixed, and -k" {
    make_input plain text 100
    make_input dir/x text 200
    make_input dir/y.tgz text 10
    run_pgz --recursive -k plain dir
    expect_result 0
    assert_names plain plain.gz dir/ dir/x dir/x.gz dir/y.tgz
    assert_roundtrip dir/x.gz "$REF/dir/x"
}

@test "-v reports the ratio and the output name" {
    make_input a text 100000
    make_input b text 100000
    make_input c text 100000
    local ratio=' *-?[0-9]{1,3}\.[0-9]%'
    run_pgz -v a
    expect_status 0
    [[ $(cat "$ERR") =~ ^a:$'\t'$ratio' -- replaced with a.gz'$ ]]
    [ "$(wc -l <"$ERR")" = 1 ]
    run_pgz -v -k b
    expect_status 0
    [[ $(cat "$ERR") =~ ^b:$'\t'$ratio' -- created b.gz'$ ]]
    run_pgz --verbose -c c
    expect_status 0
    [[ $(cat "$ERR") =~ ^c:$'\t'$ratio' -- replaced with stdout'$ ]]
    assert_roundtrip "$OUT" c
}

@test "-v prints gzip's ratio for a well-compressible file" {
    make_input a text 100000
    cp -p a g
    run_pgz -vk a
    expect_status 0
    gzip -vk g 2>"$ROOT/gzip.err"
    # Both deflaters squeeze 100000 bytes of "y\n" to the same ratio.
    [ "$(sed 's/^a:/X:/; s/a\.gz$/X.gz/' "$ERR")" = \
      "$(sed 's/^g:/X:/; s/g\.gz$/X.gz/' "$ROOT/gzip.err")" ]
}

@test "-q hides warnings but keeps exit status 2" {
    mkdir d
    echo x >hl
    ln hl hl2
    make_input ok text 100
    snap
    run_pgz -q -k d hl ok
    expect_result 2
    assert_roundtrip ok.gz ok
    rm ok.gz
    assert_tree_unchanged
    run_pgz --quiet d
    expect_result 2
    run_pgz --silent d
    expect_result 2
}

@test "-q does not hide errors" {
    run_pgz -q nope
    expect_result 1 "pgz: nope: No such file or directory"
}

@test "-h and --help print the usage on stdout and exit 0" {
    local opt
    for opt in -h --help; do
        run_pgz "$opt"
        expect_result 0
        head -n 1 "$OUT" | grep -q '^Usage: pgz '
    done
}

@test "-V, --version, -L and --license exit 0 and print something" {
    local opt
    for opt in -V --version -L --license; do
        run_pgz "$opt"
        expect_result 0
        [ -s "$OUT" ]
        head -n 1 "$OUT" | grep -q '^pgz'
    done
}

@test "informational options do nothing to files" {
    make_input a text 100
    snap
    local opt
    for opt in -h -V -L; do
        run_pgz "$opt" a
        expect_result 0
    done
    assert_tree_unchanged
}

@test "combined short options: -kv9, -9kvc, -rkn" {
    make_input a text 50000
    make_input d/b text 500
    run_pgz -kv9 a
    expect_status 0
    [[ $(cat "$ERR") =~ ' -- created a.gz'$ ]]
    [ "$(gz_xfl a.gz)" = 2 ]
    assert_roundtrip a.gz a
    run_pgz -9kvc a
    expect_status 0
    [[ $(cat "$ERR") =~ ' -- created stdout'$ ]]
    cmp "$OUT" a.gz
    run_pgz -rkn d
    expect_result 0
    assert_no_name_no_time d/b.gz
    assert_names a a.gz d/ d/b d/b.gz
}

@test "long options may be abbreviated" {
    make_input a text 1000
    run_pgz --fa --kee --no-n a
    expect_result 0
    [ "$(gz_xfl a.gz)" = 4 ]
    assert_no_name_no_time a.gz
    assert_names a a.gz
    run_pgz --std --be a
    expect_result 0
    [ "$(gz_xfl "$OUT")" = 2 ]
}

@test "options may follow file names; -- ends the options" {
    make_input a text 100
    make_input -k text 100
    run_pgz a -k
    expect_result 0
    assert_names a a.gz -k
    run_pgz -- -k
    expect_result 0
    assert_names a a.gz -k.gz
}
