#!/usr/bin/env bats
# --rsyncable (and GZIP=--rsyncable): blocks cut where the content says
# (chunker.h), so that inserting, deleting or changing bytes anywhere
# changes only the output around it; the same bytes whatever -j and for a
# file or standard input; read back by the system's gzip.

load helpers

N=$((4 * 1000 * 1000))      # 4 MB: some 40 blocks of 32..512 KiB
SPAN="python3 $BATS_TEST_DIRNAME/span.py"

need_libdeflate() {
    [ "$(engine)" = libdeflate ] || skip "the members are libdeflate's"
}

# make_data KIND: $N bytes of KIND (random, text) in ./data, and a.gz,
# the data compressed with --rsyncable.
make_data() {
    $SPAN data "$1" "$N" 7 >data
    rsyncable data a.gz
}

# rsyncable IN OUT [OPTION...]: compress IN to OUT with --rsyncable.
rsyncable() {
    local in=$1 out=$2
    shift 2
    "$PGZ" -n --rsyncable "$@" -c "$in" >"$out"
}

# check_edit HOW POS: edit ./data at POS, compress both, and check that
# the outputs differ only within two blocks (the one with the change and
# the next one, whose cut may move) and that gzip reads the new one back.
check_edit() {
    local how=$1 pos=$2
    $SPAN edit data edited "$how" "$pos"
    rsyncable edited b.gz
    read -r first last span < <($SPAN span a.gz b.gz)
    local bound
    bound=$($SPAN largest a.gz)
    echo "$how at $pos: bytes $first..$last differ ($span; at most $bound)"
    [ "$span" -gt 0 ]
    [ "$span" -le "$bound" ]
    gzip -dc b.gz | cmp - edited
}

# check_edits POS: insert, delete and change at POS.
check_edits() {
    for how in insert delete change; do
        check_edit "$how" "$1"
    done
}

# cut_at K: the input offset of the K-th cut of ./data's output.
cut_at() {
    $SPAN cuts a.gz | sed -n "${1}p"
}

@test "rsyncable: the same bytes for -j1, -j8, a file and standard input" {
    for kind in random text; do
        make_data "$kind"
        rsyncable data j1.gz -j1
        rsyncable data j8.gz -j8
        "$PGZ" -n --rsyncable -j2 <data >stdin.gz
        cat data | "$PGZ" -n --rsyncable -j8 >pipe.gz
        cmp j1.gz j8.gz
        cmp j1.gz stdin.gz
        cmp j1.gz pipe.gz
        gzip -dc j1.gz | cmp - data
        # a file smaller than the largest block, cut all the same
        head -c 300000 data >part
        rsyncable part part.gz
        "$PGZ" -n --rsyncable <part | cmp - part.gz
        # and not the fixed blocks
        "$PGZ" -n -c data >fixed.gz
        run cmp -s j1.gz fixed.gz
        [ "$status" -eq 1 ]
    done
}

@test "rsyncable: blocks between 32 KiB and the block size, cut by content" {
    need_libdeflate
    make_data text
    $SPAN cuts a.gz >cuts
    [ "$(wc -l <cuts)" -ge 10 ]
    [ "$(tail -n 1 cuts)" -eq "$N" ]
    awk -v n="$N" '{ d = $1 - p; p = $1
                     if ($1 < n && (d < 32768 || d > 524288)) bad = 1
                     if (d % 65536 != 0) odd = 1 }
                   END { exit bad || !odd }' cuts
    rsyncable data b.gz -b 64
    $SPAN cuts b.gz | awk -v n="$N" '{ d = $1 - p; p = $1
        if ($1 < n && (d < 32768 || d > 65536)) bad = 1 } END { exit bad }'
}

@test "rsyncable: a file of at most 32 KiB is one plain member, as without (libdeflate: one level up)" {
    head -c 32768 "$BATS_TEST_DIRNAME/../../man/pgz.1" >small
    rsyncable small a.gz -6
    # libdeflate's rsyncable blocks are compressed one level higher
    # (engine.h: engine_deflate_level); zlib's at the level asked.  XFL
    # is 0 at both 6 and 7, so the bytes are the same.
    local level=6
    [ "$(engine)" = libdeflate ] && level=7
    "$PGZ" -n -$level -c small >b.gz
    cmp a.gz b.gz
    if [ "$(engine)" = libdeflate ]; then
        "$PGZ" -n -6 -c small >d.gz
        run cmp -s a.gz d.gz
        [ "$status" -eq 1 ]
    fi
    "$PGZ" -n -6 --rsyncable <small >c.gz
    cmp a.gz c.gz
}

@test "rsyncable: random data, changes at the start, the middle and the end" {
    need_libdeflate
    make_data random
    check_edits 10
    check_edits $((N / 2))
    check_edits $((N - 200))
}

@test "rsyncable: text, changes at the start, the middle and the end" {
    need_libdeflate
    make_data text
    check_edits 10
    check_edits $((N / 2))
    check_edits $((N - 200))
}

@test "rsyncable: changes across a block boundary, random data and text" {
    need_libdeflate
    for kind in random text; do
        make_data "$kind"
        local cut
        cut=$(cut_at 5)
        check_edit insert "$cut"
        check_edit delete $((cut - 50))
        check_edit change $((cut - 1))      # the byte that made the cut
        check_edit change "$cut"
    done
}

@test "rsyncable: without it, an insertion changes everything after" {
    make_data random
    $SPAN edit data edited insert $((N / 2))
    "$PGZ" -n -c data >a.gz
    "$PGZ" -n -c edited >b.gz
    read -r first last span < <($SPAN span a.gz b.gz)
    [ "$span" -gt $((N / 3)) ]
}

@test "rsyncable: the zlib engine, primed blocks in one member" {
    make_data text
    rsyncable data j1.gz --engine=zlib -j1
    rsyncable data j8.gz --engine=zlib -j8
    "$PGZ" -n --rsyncable --engine=zlib <data >stdin.gz
    cmp j1.gz j8.gz
    cmp j1.gz stdin.gz
    gzip -dc j1.gz | cmp - data
    $SPAN edit data edited insert $((N / 2))
    rsyncable edited b.gz --engine=zlib
    gzip -dc b.gz | cmp - edited
    read -r first last span < <($SPAN span j1.gz b.gz)
    echo "zlib: $span bytes differ"
    [ "$span" -gt 0 ]
    [ "$span" -le $((N / 10)) ]
    "$PGZ" -n --engine=zlib -c edited >fixed.gz
    "$PGZ" -n --engine=zlib -c data >fixed0.gz
    read -r first last span < <($SPAN span fixed0.gz fixed.gz)
    [ "$span" -gt $((N / 8)) ]
}

@test "rsyncable: GZIP=--rsyncable is --rsyncable; the command line adds to it" {
    make_data text
    GZIP=--rsyncable "$PGZ" -n -c data >b.gz
    cmp a.gz b.gz
    GZIP="-9 --rsyncable" "$PGZ" -n -c data >c.gz
    rsyncable data d.gz -9
    cmp c.gz d.gz
    GZIP="--rsyncable" "$PGZ" -1 -n -c data >e.gz
    rsyncable data f.gz -1
    cmp e.gz f.gz
    "$PGZ" -dc b.gz | cmp - data
}

@test "rsyncable: files in place, with -k and -r, read back by pgz and gzip" {
    make_data text
    mkdir d
    cp data d/one
    head -c 1000 data >d/two
    run_pgz --rsyncable -k -r d
    expect_status 0
    [ -f d/one ] && [ -f d/one.gz ] && [ -f d/two.gz ]
    gzip -dc d/one.gz | cmp - data
    "$PGZ" -dc d/one.gz | cmp - data
    gzip -t d/two.gz
}
