#!/usr/bin/env bats
# valgrind: memcheck on a sample of real runs (compressing many files, one
# big file in blocks, stdin, -c, -d, -t, -l, and the error paths), and a
# thread checker (DRD, and Helgrind where it is usable) on the channel,
# wait group and ordered-writer unit suites and on a real pgz -j4 run.
#
# Only in the plain `make check`: the sanitized binaries cannot run under
# valgrind (and the sanitizers already check what it would), and every
# test skips, saying why, when valgrind is missing.  Each run asserts
# that valgrind found nothing (its status is not 99 and its log, kept
# apart from pgz's own stderr, is empty) and that pgz did its job.

load helpers

VG_SUPP=$BATS_TEST_DIRNAME/valgrind.supp

needs_valgrind() {
    [ -z "${SANITIZE:-}" ] || skip "sanitized binaries don't run under valgrind"
    command -v valgrind >/dev/null || skip "valgrind is not installed"
}

# vg TOOL-OPTION... -- CMD ARG...: run CMD under valgrind, as run_cmd does
# ($status, $OUT, $ERR; stdin inherited); valgrind's report goes to
# $ROOT/vg.log.  Killed after 3 minutes (status 124).
vg() {
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    : >"$ROOT/vg.log"
    run_cmd timeout -k 5 180 valgrind -q --error-exitcode=99 \
        --log-file="$ROOT/vg.log" "${opts[@]}" "$@"
}

# memcheck PGZ-ARG...: pgz under memcheck.  Every leak kind but "still
# reachable" is an error; valgrind.supp says why its one entry is there.
memcheck() {
    vg --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible \
        --suppressions="$VG_SUPP" -- "$PGZ" "$@"
}

# expect_clean: valgrind reported nothing.
expect_clean() {
    if [ "$status" -ne 99 ] && [ ! -s "$ROOT/vg.log" ]; then
        return 0
    fi
    echo "valgrind found errors (status $status):" >&2
    cat "$ROOT/vg.log" >&2
    return 1
}

# ---- memcheck ----------------------------------------------------------------

@test "memcheck: many files with -j2, -r, sizes from empty to 200 KB" {
    needs_valgrind
    make_input e empty
    make_input t1 text 1
    make_input m mixed 200000
    make_input r random 70000
    local i
    for ((i = 1; i <= 24; i++)); do
        make_input "d/s$i" mixed $((i * 1500))
    done
    memcheck -j2 -r e t1 m r d
    expect_clean
    expect_result 0
    expect_no_stdout
    for f in e t1 m r d/s{1..24}; do
        assert_replaced "$f"
    done
}

@test "memcheck: one 1 MiB file in 64 KiB blocks, and stdin in blocks to stdout" {
    needs_valgrind
    make_input big mixed 1048576
    memcheck -j2 -b 64 -k big
    expect_clean
    expect_result 0
    assert_roundtrip big.gz big
    memcheck -j2 -b 64 -9 <big
    expect_clean
    expect_result 0
    assert_roundtrip "$OUT" big
}

@test "memcheck: -c with several files writes their members in order" {
    needs_valgrind
    make_input a text 30000
    make_input b random 100000
    make_input c empty
    make_input d mixed 300000
    memcheck -c -j2 -b 64 a b c d
    expect_clean
    expect_result 0
    cat a b c d >"$ROOT/abcd"
    assert_roundtrip "$OUT" "$ROOT/abcd"
    assert_names a b c d
}

@test "memcheck: -d, -t and -l on files from gzip and from pgz" {
    needs_valgrind
    make_input a mixed 150000
    make_input b text 5000
    make_input c empty
    make_input big mixed 600000
    gzip a b c
    "$PGZ" -b 32 big
    cp big.gz "$ROOT/big.gz"
    memcheck -t -v -j2 a.gz b.gz c.gz big.gz
    expect_clean
    expect_status 0
    # -v's lines, then its summary of the run (which has times).
    head -n 4 "$ERR" >"$ROOT/lines"
    cmp "$ROOT/lines" <(printf '%s:\t OK\n' a.gz b.gz c.gz big.gz)
    tail -n +5 "$ERR" | grep -qE '^pgz: 4 files, .* -> 755\.0 kB '
    [ "$(wc -l <"$ERR")" -eq 5 ]
    memcheck -l -j2 a.gz b.gz c.gz big.gz
    expect_clean
    expect_result 0
    [ "$(wc -l <"$OUT")" -eq 6 ]                # title, 4 files, totals
    grep -qE '^ +[0-9]+ +600000 +[0-9.]+% big$' "$OUT"
    memcheck -d -j2 a.gz b.gz c.gz big.gz
    expect_clean
    expect_result 0
    for f in a b c big; do
        cmp "$f" "$REF/$f"
    done
    assert_names a b c big
    memcheck -dc -j2 "$ROOT/big.gz" "$ROOT/big.gz"
    expect_clean
    expect_result 0
    cmp "$OUT" <(cat big big)
}

@test "memcheck: a missing file and a refused symlink, beside a good file" {
    needs_valgrind
    make_input good mixed 40000
    make_input target text 100
    ln -s target link
    memcheck -j2 missing link good
    expect_clean
    expect_result 1 "pgz: missing: No such file or directory" \
        "pgz: link: Too many levels of symbolic links"
    assert_replaced good
    assert_names good.gz link target
    cmp target "$REF/target"
}

@test "memcheck: corrupt, truncated and non-gzip input when decompressing" {
    needs_valgrind
    make_input r mixed 100000
    gzip -c r >ok.gz
    head -c 3000 ok.gz >trunc.gz
    cp ok.gz crc.gz
    printf '\1\2\3\4' | dd of=crc.gz bs=1 conv=notrunc \
        seek=$(($(stat -c %s crc.gz) - 8)) 2>/dev/null
    echo 'not gzip at all' >plain.gz
    rm r
    keep_ref ok.gz trunc.gz crc.gz plain.gz
    memcheck -d -j2 trunc.gz crc.gz plain.gz ok.gz
    expect_clean
    expect_result 1 "pgz: trunc.gz: unexpected end of file" \
        "pgz: crc.gz: invalid compressed data--crc error" \
        "pgz: plain.gz: not in gzip format"
    assert_names crc.gz ok plain.gz trunc.gz
    cmp ok "$REF/r"
    for f in trunc.gz crc.gz plain.gz; do
        cmp "$f" "$REF/$f"
    done
}

# ---- thread checkers -----------------------------------------------------------
#
# DRD is the checker that runs on pgz itself.  Helgrind reports two false
# races on every pgz run with valgrind 3.19 and glibc 2.36 (Debian 12),
# and none that DRD misses:
#   - outfile.c sets proc_available in a pthread_once() routine, and other
#     threads read it after their pthread_once() returns.  Helgrind does
#     not model pthread_once (a ten-line program with one pthread_once and
#     two threads gets the same report; DRD does model it).
#   - bigfile.c destroys a block-parallel file's mutex after the last
#     worker locked and unlocked it.  Helgrind's own pthread_mutex_destroy
#     wrapper reads the mutex (to tell a never-used one) and conflicts with
#     glibc's unlock writing the mutex's owner field, which Helgrind puts
#     after the unlock's release point; its default suppressions hide such
#     races only when the reading frame is in libc.so.6.
# Both tools are clean on the unit suites, which run under each: they
# model condition variables differently, and the suites are quick.

# unit_suites TOOL: the chan, waitgroup and seqout suites under TOOL, in
# one process (CK_FORK=no), the tests that abort on purpose left out.
unit_suites() {
    [ -n "${UNIT_TESTS:-}" ] && [ -x "$UNIT_TESTS" ] ||
        skip "UNIT_TESTS is not set (make check sets it)"
    local suite
    for suite in chan waitgroup seqout; do
        CK_FORK=no CK_EXCLUDE_TAGS=panics CK_RUN_SUITE=$suite \
            CHAN_STRESS_ITEMS=2000 vg --tool="$1" -- "$UNIT_TESTS"
        expect_clean
        [ "$status" -eq 0 ] || { cat "$OUT" "$ERR" >&2; return 1; }
        grep -qE '^100%: Checks: [1-9][0-9]*, Failures: 0, Errors: 0$' "$OUT" ||
            { cat "$OUT" >&2; return 1; }
    done
}

@test "drd: the chan, waitgroup and seqout unit suites" {
    needs_valgrind
    unit_suites drd
}

@test "helgrind: the chan, waitgroup and seqout unit suites" {
    needs_valgrind
    unit_suites helgrind
}

@test "drd: pgz -j4 on small files and big files in blocks, -c, then -d" {
    needs_valgrind
    local i
    for ((i = 1; i <= 8; i++)); do
        make_input "f$i" mixed $((i * 7000))
    done
    make_input big1 mixed 400000
    make_input big2 random 200000
    vg --tool=drd -- "$PGZ" -j4 -b 32 f1 big1 f2 f3 big2 f4 f5 f6 f7 f8
    expect_clean
    expect_result 0
    for f in f{1..8} big1 big2; do
        assert_replaced "$f"
    done
    vg --tool=drd -- "$PGZ" -j4 -dc f1.gz big1.gz f2.gz big2.gz
    expect_clean
    expect_result 0
    cmp "$OUT" <(cat "$REF"/{f1,big1,f2,big2})
    vg --tool=drd -- "$PGZ" -j4 -d f{1..8}.gz big1.gz big2.gz
    expect_clean
    expect_result 0
    for f in f{1..8} big1 big2; do
        cmp "$f" "$REF/$f"
    done
}
