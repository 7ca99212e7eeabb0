#!/usr/bin/env bats
# One .gz file decoded by every worker (pardec.h): members that carry their
# length (pgz's PG, BGZF's BC) are walked and decoded in groups; anything
# that does not walk or check out gets exactly gzip's verdict.

load helpers

MEMBERS=$BATS_TEST_DIRNAME/members.py

# sized NAME [PGZ-OPTIONS]: NAME.gz of 600 kB in ~10 PG members (pgz -b 64,
# libdeflate); NAME kept in $REF.
sized() {
    local name=$1
    shift
    make_input "$name" mixed 600000
    "$PGZ" --engine=libdeflate -n -b 64 "$@" "$name"
    [ "$(python3 "$MEMBERS" list "$name.gz" | wc -l)" -ge 8 ]
}

# bgzf NAME: NAME.gz by bgzip (64 KiB members, the empty EOF member last).
bgzf() {
    command -v bgzip >/dev/null || skip "needs bgzip (tabix)"
    make_input "$1" mixed 600000
    bgzip -@2 "$1"
}

# member I FILE: the offset and length of member I.
member() {
    python3 "$MEMBERS" list "$2" | sed -n "$(($1 + 1))p"
}

# expect_refused FILE MESSAGE: -d FILE failed with gzip's message, status 1,
# no output, FILE kept as it was; -t and -c say the same.
expect_refused() {
    local f=$1 msg=$2
    snap
    run_pgz -d -j2 "$f"
    expect_result 1 "pgz: $f: $msg"
    assert_tree_unchanged
    run_pgz -t -j2 "$f"
    expect_result 1 "pgz: $f: $msg"
    run_pgz -dc -j2 "$f"
    expect_status 1
    expect_stderr "pgz: $f: $msg"
    assert_tree_unchanged
}

# expect_decoded FILE.gz NAME: -d -j2 restores NAME (kept in $REF) silently.
expect_decoded() {
    run_pgz -d -j2 "$1"
    expect_result 0
    cmp "$2" "$REF/$2"
    [ ! -e "$1" ]
}

@test "pardec: pgz's sized members and bgzip's BGZF decode, test and go to stdout" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    bgzf b
    run_pgz -t -j2 a.gz b.gz
    expect_result 0
    run_pgz -dc -j2 a.gz b.gz
    expect_result 0
    cmp "$OUT" <(cat "$REF/a" "$REF/b")
    run_pgz -d -j2 a.gz b.gz
    expect_result 0
    cmp a "$REF/a"
    cmp b "$REF/b"
    assert_names a b
}

# traced CMD ARG...: run_cmd without LeakSanitizer, which cannot run
# under ptrace (the ASan pass checks leaks everywhere else).
traced() {
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run_cmd "$@"
}

# reads_of FILE: the read(2)s and pread(2)s of FILE in $ROOT/trace (strace
# -y), one line each: "read LENGTH" or "pread64 LENGTH".
reads_of() {
    grep -o "\(pread64\|read\)([0-9]*<$PWD/$1>, [^,]*, [0-9]*" "$ROOT/trace" |
        sed 's/(.*, / /'
}

@test "pardec: a file's long headers (extra fields, comments) are walked, read by pread(2) alone; one too long to walk goes the sequential way" {
    command -v strace >/dev/null || skip "needs strace"
    make_input a mixed 3000000
    # members of 1 kB to 300 kB of data, headers of 13 kB: a header is
    # longer than the walker's first read, and a member shorter than it
    python3 "$MEMBERS" build "$REF/a" a.gz 10000 3000 2000 300000 70000 1000
    rm a
    [ "$(python3 "$MEMBERS" list a.gz | wc -l)" -ge 30 ]
    traced strace -f -y -e trace=read,pread64 -o "$ROOT/trace" \
        "$PGZ" -dc -j2 a.gz
    expect_status 0
    cmp "$OUT" "$REF/a"
    [ "$(reads_of a.gz | grep -c '^read ')" -eq 0 ]
    # the groups' data in few reads: the whole file in reads of more than
    # a header's probes
    [ "$(reads_of a.gz | awk '$2 > 65536 {n += $2} END {print n}')" -eq \
      "$(stat -c %s a.gz)" ]
    # a comment of 100 kB in every member: the first does not walk
    python3 "$MEMBERS" build "$REF/a" b.gz 0 100000 300000
    cp "$REF/a" "$REF/b"
    traced strace -f -y -e trace=read,pread64 -o "$ROOT/trace" \
        "$PGZ" -dc -j2 b.gz
    expect_status 0
    cmp "$OUT" "$REF/b"
    [ "$(reads_of b.gz | grep -c '^read ')" -gt 0 ]
    # a wrong CRC after long headers is gzip's error, and nothing is written
    local off len
    read -r off len _ < <(member 20 a.gz)
    python3 "$MEMBERS" flip a.gz $((off + len - 8))
    expect_refused a.gz "invalid compressed data--crc error"
}

@test "pardec: -c of many files keeps argument order, mixing walked and plain ones" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    make_input p mixed 300000
    gzip -k p
    bgzf b
    run_pgz -dc -j2 a.gz p.gz b.gz a.gz
    expect_result 0
    cmp "$OUT" <(cat "$REF/a" "$REF/p" "$REF/b" "$REF/a")
}

@test "pardec: a file mixing sized members and plain ones decodes (the plain part sequentially)" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    make_input p mixed 300000
    bgzf b
    { cat a.gz; gzip -c p; cat b.gz a.gz; } >m.gz
    cat "$REF/a" "$REF/p" "$REF/b" "$REF/a" >"$REF/m"
    rm a.gz b.gz
    expect_decoded m.gz m
}

@test "pardec: lengths that lie (0, too small, too large, beyond the end, into garbage) are ignored, as gzip ignores them" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    local off len n=0
    read -r off len _ < <(member 3 a.gz)
    for bad in 0 12 $((len - 1)) $((len + 1)) $((len + 5000)) 4000000000 \
               $(($(stat -c %s a.gz) - off + 100)); do
        n=$((n + 1))
        cp a.gz "x$n.gz"
        python3 "$MEMBERS" setlen "x$n.gz" 3 "$bad"
        cp "$REF/a" "$REF/x$n"
        expect_decoded "x$n.gz" "x$n"
    done
    # BGZF too
    bgzf b
    read -r off len _ < <(member 2 b.gz)
    python3 "$MEMBERS" setlen b.gz 2 $((len - 100))
    expect_decoded b.gz b
}

@test "pardec: a wrong CRC or ISIZE in any member is gzip's crc or length error; nothing is written" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    local off len
    read -r off len _ < <(member 4 a.gz)
    cp a.gz crc.gz
    python3 "$MEMBERS" flip crc.gz $((off + len - 8))
    cp a.gz size.gz
    python3 "$MEMBERS" le32 size.gz $((off + len - 4)) 65535
    cp a.gz huge.gz     # claims more than a member may hold
    python3 "$MEMBERS" le32 huge.gz $((off + len - 4)) 4294967295
    read -r off len _ < <(member 0 a.gz)
    cp a.gz first.gz
    python3 "$MEMBERS" flip first.gz $((off + len - 7))
    rm a.gz
    expect_refused crc.gz "invalid compressed data--crc error"
    expect_refused size.gz "invalid compressed data--length error"
    expect_refused huge.gz "invalid compressed data--length error"
    expect_refused first.gz "invalid compressed data--crc error"
}

@test "pardec: damaged deflate data in a BGZF member is gzip's format error" {
    bgzf b
    local off len
    read -r off len _ < <(member 3 b.gz)
    # the first deflate block header (after BGZF's 18 bytes): type 3, invalid
    python3 "$MEMBERS" poke b.gz $((off + 18)) 07
    expect_refused b.gz "invalid compressed data--format violated"
}

@test "pardec: truncation inside a member and inside the header after one is 'unexpected end of file'" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    local off len
    read -r off len _ < <(member 5 a.gz)
    head -c $((off + len / 2)) a.gz >inside.gz
    head -c $((off + 6)) a.gz >header.gz
    bgzf b
    head -c $(($(stat -c %s b.gz) - 10)) b.gz >eof.gz
    rm a.gz b.gz
    expect_refused inside.gz "unexpected end of file"
    expect_refused header.gz "unexpected end of file"
    expect_refused eof.gz "unexpected end of file"
}

@test "pardec: cut between members decodes what is there; garbage after is gzip's warning, a lone byte its error" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    sized a
    local off len
    read -r off len _ < <(member 5 a.gz)
    head -c "$off" a.gz >cut.gz
    { head -c "$off" a.gz; printf '\037'; } >lone.gz
    { head -c "$off" a.gz; printf 'garbage'; } >junk.gz
    { head -c "$off" a.gz; head -c 1000 /dev/zero; } >zeros.gz
    gzip -dc cut.gz >"$REF/cut"
    cp zeros.gz zeros2.gz
    rm a.gz
    for f in junk zeros; do cp "$REF/cut" "$REF/$f"; done
    expect_decoded cut.gz cut
    # gzip reads a member's second magic byte with get_byte: a lone first
    # byte after the members is a member cut short (as gzip -d says).
    run_pgz -d -j2 lone.gz junk.gz zeros.gz
    expect_result 1 "pgz: lone.gz: unexpected end of file" \
        "pgz: junk.gz: decompression OK, trailing garbage ignored"
    [ -e lone.gz ] && [ ! -e lone ]
    for f in junk zeros; do cmp "$f" "$REF/$f"; done
    run_pgz -dv -j2 -c zeros2.gz
    expect_status 2
    grep -qx "pgz: zeros2.gz: decompression OK, trailing zero bytes ignored" "$ERR"
}

@test "pardec: BGZF's empty end-of-file member, alone after data or doubled, adds nothing" {
    bgzf b
    local eof
    eof=$(tail -c 28 b.gz | od -An -tx1 | tr -d ' \n')
    [ "$eof" = 1f8b08040000000000ff0600424302001b0003000000000000000000 ]
    tail -c 28 b.gz >>b.gz
    expect_decoded b.gz b
}

@test "pardec: memory stays bounded when every member claims the largest size" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    make_input z text 40000000
    "$PGZ" -n -b 4096 z
    run_cmd /usr/bin/time -f %M "$PGZ" -t -j2 z.gz
    expect_status 0
    [ "$(tail -n 1 "$ERR")" -lt 65536 ]
}

# piped ARG...: `cat $ROOT/stdin | pgz ARG...` and the same with gzip give
# the same stdout, stderr (gzip's prefix read as pgz's) and status.  A pipe,
# not a file: the walker reads what it can, and what it read is replayed
# to the sequential reader.  (VS_PREFIX as vs_gzip; JOBS: pgz's -j.)
piped() {
    local gs=0 ps=0
    cat "$ROOT/stdin" | gzip "$@" >"$ROOT/g.out" 2>"$ROOT/g.err" || gs=$?
    cat "$ROOT/stdin" | timeout -k 5 60 "$PGZ" -j"${JOBS:-2}" "$@" >"$ROOT/p.out" \
        2>"$ROOT/p.err" || ps=$?
    sed -i '/^$/d; s/^gzip: /pgz: /' "$ROOT/g.err"
    diff "$ROOT/g.err" "$ROOT/p.err" >&2 ||
        { echo "stderr of $* differs (< gzip, > pgz)" >&2; return 1; }
    [ "$gs" = "$ps" ] ||
        { echo "exit status of $*: gzip $gs, pgz $ps" >&2; return 1; }
    if [ -n "${VS_PREFIX:-}" ]; then
        local n
        n=$(stat -c %s "$ROOT/g.out")
        cmp -n "$n" "$ROOT/g.out" "$ROOT/p.out" >&2
    else
        cmp "$ROOT/g.out" "$ROOT/p.out" >&2
    fi
}

# multi NAME: NAME.gz of 4 MB in 64 KiB PG members: four groups or more.
multi() {
    make_input "$1" mixed 4000000
    "$PGZ" --engine=libdeflate -n -b 64 "$1"
}

@test "pardec: standard input is walked too, from a pipe: sized, BGZF and mixed files, -j1 to -j3, -d and -t" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    multi a
    bgzf b
    make_input p mixed 300000
    { cat a.gz; gzip -c p; cat b.gz a.gz; } >m.gz
    for f in a.gz b.gz m.gz; do
        cp "$f" "$ROOT/stdin"
        for j in 1 2 3; do
            JOBS=$j piped -dc
            JOBS=$j piped -t
        done
    done
}

@test "pardec: on a pipe, a member whose length lies is decoded by the sequential reader, through the groups read after it" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    multi a
    local off len off2 len2
    read -r off len _ < <(member 2 a.gz)
    read -r off2 len2 _ < <(member 3 a.gz)
    # member 2 claims its follower too: the walk goes on past it, groups
    # follow, and the member fails to decode whole only in a worker.
    python3 "$MEMBERS" setlen a.gz 2 $((len + len2))
    [ "$(python3 "$MEMBERS" list a.gz | wc -l)" -ge 40 ]
    cp a.gz "$ROOT/stdin"
    for j in 1 2 3; do
        JOBS=$j piped -dc
    done
    cmp "$ROOT/p.out" "$REF/a"
    # and beyond the end of the window: the rest is read from the pipe
    cp a.gz b.gz
    python3 "$MEMBERS" setlen b.gz 2 4000000000
    cp b.gz "$ROOT/stdin"
    piped -dc
    cmp "$ROOT/p.out" "$REF/a"
}

@test "pardec: on a pipe, a bad member or a cut is gzip's error for stdin, after the data before it" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    multi a
    local off len
    read -r off len _ < <(member 30 a.gz)
    cp a.gz "$ROOT/stdin"
    python3 "$MEMBERS" flip "$ROOT/stdin" $((off + len - 8))
    VS_PREFIX=1 piped -dc
    grep -qx 'pgz: stdin: invalid compressed data--crc error' "$ROOT/p.err"
    # everything before the bad member came out
    [ "$(stat -c %s "$ROOT/p.out")" -ge $((30 * 65536)) ]
    piped -t
    head -c $((off + len / 2)) a.gz >"$ROOT/stdin"
    VS_PREFIX=1 piped -dc
    grep -qx 'pgz: stdin: unexpected end of file' "$ROOT/p.err"
}

@test "pardec: what follows the members is gzip's to judge, from a file or a pipe: -cdf copies it, a .Z member decodes" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    multi a
    { cat a.gz; printf 'garbage after the members\n'; } >j.gz
    vs_gzip -cdf j.gz
    grep -q 'garbage after the members' "$ROOT/p.out"
    vs_gzip -cd j.gz
    cp j.gz "$ROOT/stdin"
    piped -cdf
    piped -cd
    { cat a.gz; head -c 1000 /dev/zero; } >"$ROOT/stdin"
    piped -cdf
    piped -cd
    if command -v compress >/dev/null; then
        make_input p text 100000
        { cat a.gz; compress -c p; } >z.gz
        vs_gzip -cd z.gz
        cmp "$ROOT/p.out" <(cat "$REF/a" "$REF/p")
        cp z.gz "$ROOT/stdin"
        piped -cd
    fi
}

@test "pardec: -l of a walked file, and of stdin, lists what a sequential decoding lists; sizes exact" {
    [ "$(engine)" = libdeflate ] || skip "needs libdeflate"
    multi a
    bgzf b
    local f
    for f in a.gz b.gz; do
        # the same bytes, but a first member that does not walk: sequential
        mkdir -p seq
        cp -p "$f" "seq/$f"
        python3 "$MEMBERS" setlen "seq/$f" 0 1
        touch -r "$f" "seq/$f"
        for opt in -l -lv; do
            run_pgz "$opt" -j2 "$f"
            expect_status 0
            cp "$OUT" walked
            (cd seq && run_pgz "$opt" -j2 "$f")
            expect_status 0
            diff walked "$OUT"
            run_pgz "$opt" -j2 <"$f"
            cp "$OUT" walked
            run_pgz "$opt" -j2 <"seq/$f"
            diff walked "$OUT"
        done
    done
    # exact: the second column is the data's size
    run_pgz -l -j2 a.gz
    [ "$(awk 'NR == 2 {print $2}' "$OUT")" = "$(stat -c %s "$REF/a")" ]
    # damage is the error a sequential -l gives
    local off len
    read -r off len _ < <(member 30 a.gz)
    python3 "$MEMBERS" flip a.gz $((off + len - 8))
    run_pgz -l -j2 a.gz
    expect_status 1
    grep -qx 'pgz: a.gz: invalid compressed data--crc error' "$ERR"
}
