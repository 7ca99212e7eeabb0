#!/usr/bin/env bats
# Basic compression: `pgz FILE` replaces FILE by FILE.gz, which the system
# gzip decompresses to the original bytes, with FILE's mode, mtime and name.

load helpers

# compress_and_check NAME KIND [SIZE]: make the input, pgz it, check all.
compress_and_check() {
    make_input "$1" "$2" "${3:-0}"
    run_pgz -- "$1"
    expect_result 0
    expect_no_stdout
    assert_replaced "$1"
}

@test "an empty file" {
    compress_and_check empty empty
    assert_names empty.gz
}

@test "a one-byte file" {
    printf x >one
    keep_ref one
    run_pgz one
    expect_result 0
    assert_replaced one
    assert_names one.gz
}

@test "random data, a few sizes around the buffer sizes" {
    local size
    for size in 1000 131071 131072 131073 1000000; do
        compress_and_check "r$size" random "$size"
    done
}

@test "highly compressible data (10 MB of yes) shrinks a lot" {
    compress_and_check yes text 10M
    [ "$(stat -c %s yes.gz)" -lt 100000 ]
}

@test "a 50 MB file" {
    compress_and_check big mixed $((50 * 1024 * 1024))
    assert_names big.gz
}

@test "the mode bits and mtime are carried over" {
    local mode
    for mode in 600 640 755 444 700; do
        make_input "m$mode" text 100
        chmod "$mode" "m$mode"
        touch -d '2001-02-03 04:05:06' "m$mode"
        keep_ref "m$mode"
        run_pgz "m$mode"
        expect_result 0
        assert_replaced "m$mode"
        [ "$(stat -c %a "m$mode.gz")" = "$mode" ]
    done
}

@test "the owner and group are carried over (when run as root)" {
    [ "$(id -u)" = 0 ] || skip "only root can give files away"
    make_input owned text 100
    chown 65534:65534 owned
    keep_ref owned
    run_pgz owned
    expect_result 0
    assert_replaced owned
    [ "$(stat -c '%u:%g' owned.gz)" = 65534:65534 ]
}

@test "a nanosecond mtime is carried over exactly" {
    make_input ns text 100
    touch -d '2020-02-03 04:05:06.123456789' ns
    keep_ref ns
    run_pgz ns
    expect_result 0
    assert_replaced ns
    [ "$(stat -c %.9Y ns.gz)" = "$(stat -c %.9Y "$REF/ns")" ]
}

@test "the header stores the name and mtime of the file (as gzip's does)" {
    make_input data text 5000
    touch -d @1234567890 data
    keep_ref data
    cp -p data gz-data
    gzip -k gz-data
    run_pgz data
    expect_result 0
    assert_header_mtime data.gz 1234567890
    assert_header_name data.gz data
    # Same header as gzip's, but for the name: FLG, MTIME, XFL, OS.
    cmp <(head -c 10 data.gz) <(head -c 10 gz-data.gz)
}

@test "the header stores the base name for a file in a directory" {
    make_input sub/dir/inner text 100
    run_pgz sub/dir/inner
    expect_result 0
    assert_replaced sub/dir/inner
    assert_names sub/ sub/dir/ sub/dir/inner.gz
}

@test "names with spaces, a newline, a leading dash" {
    local name
    local -a names=("with space" "  lead and trail  " $'new\nline' "-dash")
    for name in "${names[@]}"; do
        make_input "$name" random 3000
    done
    run_pgz -- "${names[@]}"
    expect_result 0
    for name in "${names[@]}"; do
        assert_replaced "$name"
    done
}

@test "a leading dash through ./" {
    make_input -x text 10
    run_pgz ./-x
    expect_result 0
    assert_replaced -x
    assert_names -x.gz
}

@test "several files in one call, each its own .gz" {
    local i
    for i in 1 2 3 4 5; do
        make_input "f$i" random $((i * 7000))
    done
    run_pgz f1 f2 f3 f4 f5
    expect_result 0
    for i in 1 2 3 4 5; do
        assert_replaced "f$i"
    done
    assert_names f1.gz f2.gz f3.gz f4.gz f5.gz
}

@test "the output is never a hard link to anything and is a plain file" {
    make_input plain text 1000
    run_pgz plain
    expect_result 0
    [ "$(stat -c '%h %F' plain.gz)" = "1 regular file" ]
}
