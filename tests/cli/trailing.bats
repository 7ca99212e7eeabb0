#!/usr/bin/env bats
# What follows a gzip member, decided as gzip 1.14's get_method() and
# member loop decide, and the words for damaged deflate data: side by side
# with the system gzip (vs_gzip, helpers.bash).  Where gzip 1.12 (the
# system's) and 1.14 differ, the test says so and follows 1.14.

load helpers

# member FILE: a gzip member of some text.
member() { seq 1 "${2:-100}" | gzip -c >"$1"; }

# each_mode FILE: vs_gzip in the modes gzip decides in: -c, -d, -t, each
# with and without -f and -q; and -l with -f only where gzip lists the
# file (see the -l test).  Not -v: pgz words -v's line apart from the
# warnings, a difference the man page lists; the zeros' -v warning is
# checked on its own.  NO_D=1: without the -d modes (see the header test).
each_mode() {
    local f=$1 args
    for args in "-cd" "-cdf" "-cdq" "-cdfq" "-t" "-tf" "-tq" \
                ${NO_D:+} ${NO_D:-"-d" "-dk" "-df" "-dqk"}; do
        vs_gzip $args "$f"
    done
}

@test "trailing: zcat -f copies what follows a member, from files and stdin" {
    { echo xxx | gzip; echo yyy; } >a.gz
    each_mode a.gz
    cp a.gz "$ROOT/stdin"
    vs_gzip -cdf
    vs_gzip -cdfq -
    run_pgz -cdf <a.gz
    expect_result 0
    [ "$(cat "$OUT")" = "$(printf 'xxx\nyyy')" ]
}

@test "trailing: zcat -f copies trailing data of any length, across buffer sizes" {
    member m.gz 20000
    local n
    for n in 1 2 3 32767 32768 32769 65536 131071 131072 131073 262145; do
        { cat m.gz; printf x; head -c $((n - 1)) /dev/urandom; } >t.gz
        cp t.gz "$ROOT/stdin"
        vs_gzip -cdf t.gz
        vs_gzip -cdf
        "$PGZ" -cdf t.gz | tail -c "$n" | cmp - <(tail -c "$n" t.gz)
    done
}

@test "trailing: a member ending at a buffer boundary, then data (zcat -f)" {
    # members of sizes around 32 KiB and 128 KiB (gzip's and pgz's input
    # buffers), followed by a few bytes
    local size
    for size in 32766 32767 32768 32769 131071 131072 131073; do
        head -c $((size - 18)) /dev/zero >z
        gzip -1 -c z >m.gz
        { cat m.gz; echo tail; } >t.gz
        vs_gzip -cdf t.gz
        vs_gzip -cd t.gz
    done
}

@test "trailing: zero bytes: ignored (-v: a warning), copied by zcat -f" {
    member m.gz
    local n
    for n in 1 2 100 40000; do
        { cat m.gz; head -c "$n" /dev/zero; } >z.gz
        each_mode z.gz
    done
    { cat m.gz; head -c 10 /dev/zero; } >z.gz
    run_pgz -cdf z.gz
    expect_result 0
    [ "$(tail -c 10 "$OUT" | od -An -tx1 | tr -d ' \n')" = 00000000000000000000 ]
    run_pgz -tv z.gz
    expect_result 2 "pgz: z.gz: decompression OK, trailing zero bytes ignored" \
        "z.gz:	 OK"
    gzip -tv z.gz 2>&1 | grep -qx 'gzip: z.gz: decompression OK, trailing zero bytes ignored'
    vs_gzip -tvq z.gz      # -q after -v: quiet, as gzip
    # zeros, then something else: garbage
    { cat m.gz; head -c 5 /dev/zero; echo x; } >zx.gz
    each_mode zx.gz
}

@test "trailing: one stray byte: unexpected end of file (-f: copied)" {
    member m.gz
    local b
    for b in '\001' '\037' 'x'; do
        { cat m.gz; printf "$b"; } >s.gz
        each_mode s.gz
    done
    { echo 1 | gzip; printf '\001'; } >one.gz
    run_pgz -d one.gz
    expect_result 1 "pgz: one.gz: unexpected end of file"
    assert_names m.gz one.gz s.gz
}

@test "trailing: the start of a gzip header cut short, or a bad one" {
    member m.gz
    local h
    for h in '\037\213' '\037\213\010' '\037\213\010\000\000\000' \
             '\037\213\007\000' '\037\213\010\340' '\037\236'; do
        { cat m.gz; printf "$h"; } >h.gz
        NO_D=1 each_mode h.gz
    done
    # -d: gzip 1.12 removes the input and keeps the output after a later
    # member's unknown method or flags (its cleanup comes after the
    # input's removal); pgz keeps the input and leaves no output, as after
    # any error.  The members cut short are the same in both.
    for h in '\037\213' '\037\213\010\000\000\000' '\037\236'; do
        { cat m.gz; printf "$h"; } >h.gz
        vs_gzip -d h.gz
    done
    { cat m.gz; printf '\037\213\007\000'; } >h.gz
    run_pgz -d h.gz
    expect_result 1 "pgz: h.gz: unknown method 7 -- not supported"
    assert_names h.gz m.gz
}

@test "trailing: -l lists a file with bytes after its last member, with the warning" {
    # gzip 1.12 prints no line for it (its totals line instead, even for
    # one file: do_list gets get_method's negative result): not followed.
    member m.gz
    { cat m.gz; echo garbage; } >g.gz
    run_pgz -l g.gz
    expect_result 2 "pgz: g.gz: decompression OK, trailing garbage ignored"
    grep -q ' g$' "$OUT"
    { cat m.gz; head -c 9 /dev/zero; } >z.gz
    run_pgz -l z.gz
    expect_result 0
    grep -q ' z$' "$OUT"
}

@test "trailing: garbage: a warning, status 2 (-q: silent, still 2)" {
    member m.gz
    { cat m.gz; echo 'some garbage'; } >g.gz
    each_mode g.gz
    { cat m.gz; printf 'PK\003\004 not a zip after a member'; } >pk.gz
    each_mode pk.gz
    run_pgz -dq g.gz
    expect_result 2
    assert_names g m.gz pk.gz
}

@test "trailing: several members, then garbage or zeros" {
    member m.gz
    { cat m.gz m.gz m.gz; echo garbage; } >g.gz
    { cat m.gz m.gz; head -c 3 /dev/zero; } >z.gz
    each_mode g.gz
    each_mode z.gz
}

# damage SEED N FILE: N copies of FILE with one to three bits flipped past
# the header, every other one also cut short: damaged-1.gz ...
damage() {
    python3 - "$@" <<'PY'
import random, sys
seed, n, src = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(seed)
b = open(src, 'rb').read()
for i in range(n):
    d = bytearray(b)
    for _ in range(random.randint(1, 3)):
        pos = random.randrange(10, len(d) - 8)
        d[pos] ^= 1 << random.randrange(8)
    if i % 2:
        d = d[:random.randrange(11, len(d))]
    open('damaged-%d.gz' % i, 'wb').write(d)
PY
}

@test "damaged deflate data: gzip's words for each kind (format, crc, length, end)" {
    seq 1 3000 | gzip -9 >m.gz
    local size
    size=$(stat -c %s m.gz)
    # by construction: a reserved block type; the CRC; the length; both
    # (the data of another member under this one's trailer); cut short
    python3 -c "
import sys
b = bytearray(open('m.gz', 'rb').read())
def w(name, d): open(name, 'wb').write(d)
d = bytearray(b); d[10] |= 0x06; w('btype.gz', d)
d = bytearray(b); d[-8] ^= 1; w('crc.gz', d)
d = bytearray(b); d[-4] ^= 1; w('len.gz', d)
d = bytearray(b); d[-2] ^= 1; w('len-high.gz', d)
"
    { seq 1 10 | gzip | head -c -8; tail -c 8 m.gz; } >both.gz
    head -c $((size - 4)) m.gz >cut-trailer.gz
    head -c $((size / 2)) m.gz >cut-data.gz
    head -c 11 m.gz >cut-start.gz
    for f in btype crc len len-high both cut-trailer cut-data cut-start; do
        vs_gzip -t "$f.gz"
        VS_PREFIX=1 vs_gzip -cd "$f.gz"
        vs_gzip -d "$f.gz"
    done
    run_pgz -t both.gz
    expect_result 1 "pgz: both.gz: invalid compressed data--crc error" \
        "pgz: both.gz: invalid compressed data--length error"
}

@test "damaged deflate data: random damage, cut short or not, worded as gzip words it" {
    # Most such damage makes a distance reach before the member's start,
    # which gzip's inflate does not check (a CRC or length error follows,
    # or the end of the input), where zlib alone says "invalid distance
    # too far back"; pgz decides as gzip does.
    seq 1 5000 | gzip -9 >m.gz
    damage 7 40 m.gz
    local i
    for i in $(seq 0 39); do
        vs_gzip -t "damaged-$i.gz"
    done
    { seq 1 3000; head -c 3000 /dev/urandom; } | "$PGZ" -c >p.gz
    rm -f damaged-*
    damage 9 20 p.gz
    for i in $(seq 0 19); do
        vs_gzip -t "damaged-$i.gz"
    done
}

@test "trailing: standard input is gzip's to_stdout: -df and -tf copy, -lf does not" {
    echo hi >"$ROOT/stdin"
    local a
    for a in -df -d -tf -lf -t; do
        vs_gzip $a
    done
    { echo xxx | gzip; echo yyy; } >"$ROOT/stdin"
    for a in -df -d -tf -t; do
        vs_gzip $a
    done
}
