#!/usr/bin/env bats
# Names that do not fit, as gzip does it (src/names.h): FILE.gz longer than
# the directory allows is shortened, a stored name (-N) too long is cut
# with a warning, a stored name beyond gzip's 1024-byte buffer is corrupt
# input; and -l's time stamp.
#
# Each case is run side by side with the installed gzip (1.12).  The code
# behind these cases (shorten_name, create_outfile, the ORIG_NAME part of
# get_method, get_input_size_and_time, do_list) reads the same in gzip
# 1.14's gzip.c, so 1.12's behaviour is 1.14's here, with two differences
# of pgz's kept on purpose, said where they show: gzip starts its
# "corrupted input" line with an empty line (pgz never prints one), and
# that error ends gzip's whole run (pgz goes on with the other files).
#
# The tests assume a directory limit of 255 bytes (NAME_MAX: ext4, tmpfs,
# xfs, btrfs).

load helpers

setup_file() {
    export LONG255 LONG300
    LONG255=$(printf 'a%.0s' $(seq 255))
    LONG300=$(printf 'n%.0s' $(seq 300))
}

# named_gz OUT NAME_LENGTH [MTIME]: OUT, a gzip member of "hello\n" whose
# header stores a name of NAME_LENGTH bytes ('n') and MTIME (0 unless
# given).
named_gz() {
    python3 - "$1" "$2" "${3:-0}" <<'EOF'
import struct, sys, zlib
out, length, mtime = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = b"hello\n"
c = zlib.compressobj(6, zlib.DEFLATED, -15)
body = c.compress(data) + c.flush()
with open(out, "wb") as f:
    f.write(b"\x1f\x8b\x08\x08" + struct.pack("<I", mtime) + b"\x00\x03")
    f.write(b"n" * length + b"\x00" + body)
    f.write(struct.pack("<II", zlib.crc32(data), len(data)))
EOF
}

# with_gzip ARG...: run the system gzip on a copy of the current directory
# (in $ROOT/gzip); its status in $gstatus, its stderr (as pgz would word
# it: "pgz:" for "gzip:", without empty lines) in $ROOT/gzip.err, its
# tree in $ROOT/gzip.tree.
with_gzip() {
    rm -rf "$ROOT/gzip"
    cp -a . "$ROOT/gzip"
    gstatus=0
    (cd "$ROOT/gzip" && gzip "$@") >"$ROOT/gzip.out" 2>"$ROOT/gzip.raw" || gstatus=$?
    sed -e 's/^gzip: /pgz: /' -e '/^$/d' "$ROOT/gzip.raw" >"$ROOT/gzip.err"
    (cd "$ROOT/gzip" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort) \
        >"$ROOT/gzip.tree"
}

# same_as_gzip: pgz's last run (run_pgz) had gzip's status, stderr and
# resulting file names (with_gzip, run first on the same tree).
same_as_gzip() {
    [ "$status" -eq "$gstatus" ] ||
        { echo "pgz exited $status, gzip $gstatus" >&2; return 1; }
    diff "$ROOT/gzip.err" "$ERR" >&2 ||
        { echo "stderr differs (< gzip, > pgz)" >&2; return 1; }
    find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort >"$ROOT/pgz.tree"
    diff "$ROOT/gzip.tree" "$ROOT/pgz.tree" >&2 ||
        { echo "file trees differ (< gzip, > pgz)" >&2; return 1; }
}

# ---- compressing: FILE.gz shortened ------------------------------------------

@test "a 255-byte name: FILE.gz is shortened, the name stored, status 0 (as gzip)" {
    short=${LONG255:0:252}.gz
    make_input "$LONG255" text 1000
    with_gzip "$LONG255"
    run_pgz "$LONG255"
    expect_result 0 "pgz: $LONG255 compressed to $short"
    same_as_gzip
    assert_names "$short"
    assert_roundtrip "$short" "$REF/$LONG255"
    assert_header_name "$short" "$LONG255"
    assert_same_mode_mtime "$short" "$REF/$LONG255"
    cmp "$short" "$ROOT/gzip/$short"
}

@test "a shortened FILE.gz stores the name even with -n; -k keeps the input; -v and -q say nothing of it" {
    short=${LONG255:0:252}.gz
    make_input "$LONG255" text 1000
    with_gzip -k -n "$LONG255"
    run_pgz -k -n "$LONG255"
    expect_result 0 "pgz: $LONG255 compressed to $short"
    same_as_gzip
    assert_names "$LONG255" "$short"
    assert_header_name "$short" "$LONG255"
    assert_header_mtime "$short" 0
    rm "$short"
    run_pgz -k -q "$LONG255"
    expect_result 0
    assert_names "$LONG255" "$short"
    rm "$short"
    with_gzip -k -v "$LONG255"
    run_pgz -k -v "$LONG255"
    expect_status 0
    grep -q "^$LONG255:	 [0-9.]*% -- created $short\$" "$ERR"
    same_as_gzip
}

@test "shortening cuts the last part longer than 3 bytes, keeps short parts, and .tar becomes .tgz (as gzip)" {
    parts=$(printf 'b%.0s' $(seq 200)).$(printf 'c%.0s' $(seq 50)).xyz
    tar=$(printf 't%.0s' $(seq 251)).tar
    mkdir d
    make_input "d/$parts" text 10
    make_input "d/$tar" text 10
    with_gzip "d/$parts" "d/$tar"
    run_pgz "d/$parts" "d/$tar"
    want_parts=$(printf 'b%.0s' $(seq 200)).$(printf 'c%.0s' $(seq 47)).xyz.gz
    want_tar=$(printf 't%.0s' $(seq 251)).tgz
    expect_result 0 "pgz: d/$parts compressed to d/$want_parts" \
        "pgz: d/$tar compressed to d/$want_tar"
    same_as_gzip
    assert_names d/ "d/$want_parts" "d/$want_tar"
    assert_roundtrip "d/$want_parts" "$REF/d/$parts"
    assert_header_name "d/$want_tar" "$tar"
}

# ---- decompressing: a stored name too long -----------------------------------

@test "-dN with a stored name longer than the directory allows: cut, 'name truncated', status 2 (as gzip)" {
    mkdir sub
    named_gz sub/long.gz 300
    with_gzip -dN sub/long.gz
    run_pgz -dN sub/long.gz
    expect_result 2 "pgz: sub/${LONG300:0:255}: warning, name truncated"
    same_as_gzip
    assert_names sub/ "sub/${LONG300:0:255}"
    [ "$(cat "sub/${LONG300:0:255}")" = hello ]
}

@test "-dN: the cut name that exists is not overwritten; -k keeps the input; -q silences the warning" {
    named_gz long.gz 300
    echo old >"${LONG300:0:255}"
    with_gzip -dN long.gz
    run_pgz -dN long.gz
    expect_result 2 "pgz: ${LONG300:0:255} already exists;	not overwritten"
    same_as_gzip
    [ "$(cat "${LONG300:0:255}")" = old ]
    rm "${LONG300:0:255}"
    run_pgz -dNkq long.gz
    expect_result 2
    assert_names long.gz "${LONG300:0:255}"
}

@test "a 1 MB stored name: 'corrupted input -- file name too large', status 1, nothing written (as gzip)" {
    named_gz huge.gz $((1 << 20))
    keep_ref huge.gz
    snap
    with_gzip -dN huge.gz
    run_pgz -dN huge.gz
    expect_result 1 "pgz: huge.gz: corrupted input -- file name too large"
    expect_no_stdout
    same_as_gzip
    assert_tree_unchanged
    with_gzip -lN huge.gz
    run_pgz -lN huge.gz
    expect_result 1 "pgz: huge.gz: corrupted input -- file name too large"
    expect_no_stdout
    same_as_gzip
    # Where the name is not used, it is not read: no error.
    run_pgz -dc huge.gz
    expect_result 0
    [ "$(cat "$OUT")" = hello ]
    run_pgz -tN huge.gz
    expect_result 0
    run_pgz -dcN huge.gz
    expect_result 0
    assert_tree_unchanged
    run_pgz -dk huge.gz
    expect_result 0
    cmp huge.gz "$REF/huge.gz"
    [ "$(cat huge)" = hello ]
}

@test "gzip's name buffer: the stored name and the output's directory in 1023 bytes" {
    mkdir d
    named_gz d/fits.gz 1021
    named_gz d/over.gz 1022
    named_gz top.gz 1023
    with_gzip -dN d/fits.gz
    run_pgz -dN d/fits.gz
    expect_result 2 "pgz: d/$(printf 'n%.0s' $(seq 255)): warning, name truncated"
    same_as_gzip
    with_gzip -dN d/over.gz
    run_pgz -dN d/over.gz
    expect_result 1 "pgz: d/over.gz: corrupted input -- file name too large"
    same_as_gzip
    with_gzip -dN top.gz
    run_pgz -dN top.gz
    expect_status 2
    same_as_gzip
}

@test "the 1 MB name ends that file only: pgz goes on with the next (gzip stops its run)" {
    named_gz huge.gz $((1 << 20))
    named_gz ok.gz 2
    run_pgz -dN huge.gz ok.gz
    expect_result 1 "pgz: huge.gz: corrupted input -- file name too large"
    assert_names huge.gz nn
    [ "$(cat nn)" = hello ]
    # gzip -k, stopped there, even removes the output of the file before
    # (its remove_ofname_fd is still set under -k): pgz never does.
    rm nn
    named_gz ok.gz 2
    run_pgz -dNk ok.gz huge.gz
    expect_result 1 "pgz: huge.gz: corrupted input -- file name too large"
    assert_names huge.gz nn ok.gz
}

@test "both temporary modes (O_TMPFILE and named): shortened and cut names, nothing left behind" {
    short=${LONG255:0:252}.gz
    for named in no yes; do
        rm -rf ./*
        if [ "$named" = yes ]; then export PGZ_NO_O_TMPFILE=1; fi
        make_input "$LONG255" text 1000
        named_gz long.gz 300
        run_pgz "$LONG255"
        expect_result 0 "pgz: $LONG255 compressed to $short"
        assert_names "$short" long.gz
        assert_roundtrip "$short" "$REF/$LONG255"
        run_pgz -dN long.gz
        expect_result 2 "pgz: ${LONG300:0:255}: warning, name truncated"
        assert_names "$short" "${LONG300:0:255}"
        [ "$(cat "${LONG300:0:255}")" = hello ]
    done
    unset PGZ_NO_O_TMPFILE
}

# ---- -l's time stamp -----------------------------------------------------------

@test "-lv shows the file's own time unless -N and a non-zero MTIME (as gzip)" {
    named_gz zero.gz 4 0
    named_gz set.gz 3 1000000000
    touch -d '2020-03-04 05:06:07' zero.gz set.gz
    export TZ=UTC
    for opts in -lv -lvN; do
        for f in zero.gz set.gz; do
            with_gzip $opts $f
            run_pgz $opts $f
            same_as_gzip
            (cd "$ROOT/gzip" && gzip $opts $f) >"$ROOT/gzip.out"
            diff "$ROOT/gzip.out" "$OUT"
        done
    done
    run_pgz -lv zero.gz
    expect_result 0
    grep -q ' Mar  4 05:06 ' "$OUT"
    run_pgz -lvN set.gz
    grep -q ' Sep  9 01:46 ' "$OUT"
}

@test "-lN names standard input's data after its stored name (as gzip)" {
    named_gz set.gz 3 1000000000
    run_pgz -lN <set.gz
    expect_result 0
    gzip -lN <set.gz >"$ROOT/gzip.out"
    diff "$ROOT/gzip.out" "$OUT"
    tail -n 1 "$OUT" | grep -q ' nnn$'
}
