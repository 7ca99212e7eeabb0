#!/usr/bin/env bats
# Reading gzip files back: -d, -t, -l, pgunzip and pgzcat, with the same
# guarantees as compression, and gzip's messages on bad input.

load helpers

# gz_by_gzip NAME KIND SIZE [GZIP-OPTIONS]: NAME.gz made by the system gzip
# from NAME (kept as $REF/NAME), NAME itself removed.
gz_by_gzip() {
    local name=$1 kind=$2 size=$3
    shift 3
    make_input "$name" "$kind" "$size"
    gzip "$@" -- "$name"
}

@test "-d restores files written by gzip (levels 1 and 9, with and without names)" {
    gz_by_gzip a mixed 100000 -1
    gz_by_gzip b text 5000 -9
    gz_by_gzip c random 70000 -n
    gz_by_gzip e empty 0
    run_pgz -d a.gz b.gz c.gz e.gz
    expect_result 0
    for f in a b c e; do
        cmp "$f" "$REF/$f"
        [ ! -e "$f.gz" ]
    done
}

@test "-d restores what pgz wrote, big files in blocks included" {
    make_input big mixed 3000000
    make_input small text 100
    "$PGZ" -b 64 big small
    run_pgz -d -j2 big.gz small.gz
    expect_result 0
    cmp big "$REF/big"
    cmp small "$REF/small"
}

@test "the output gets the input's mode and times; -k keeps the input" {
    gz_by_gzip f mixed 5000
    chmod 640 f.gz
    touch -d '2021-03-04 05:06:07.123456789' f.gz
    keep_ref f.gz
    run_pgz -d -k f.gz
    expect_result 0
    assert_same_mode_mtime f "$REF/f.gz"
    cmp f.gz "$REF/f.gz"
}

@test "concatenated members decompress to the concatenation; empty members too" {
    make_input x text 1000
    make_input y random 2000
    { gzip -c x; gzip -c </dev/null; gzip -c y; } >xy.gz
    cat x y >"$ROOT/xy"
    run_pgz -dc xy.gz
    expect_result 0
    cmp "$OUT" "$ROOT/xy"
}

@test "suffixes: .gz -gz .z -z _z, .tgz gives .tar, -S, FILE without suffix" {
    make_input d text 300
    local -A out=([a.gz]=a [b-gz]=b [c.z]=c [e-z]=e [f_z]=f [g.tgz]=g.tar [h.GZ]=h)
    for in in "${!out[@]}"; do gzip -c d >"$in"; done
    run_pgz -d "${!out[@]}"
    expect_result 0
    for in in "${!out[@]}"; do
        cmp "${out[$in]}" d
        [ ! -e "$in" ]
    done
    gzip -c d >i.foo
    run_pgz -d -S .foo i.foo
    expect_result 0
    cmp i d
    gzip -c d >j.gz
    run_pgz -d j          # finds j.gz
    expect_result 0
    cmp j d
    run_pgz -d k
    expect_result 1 "pgz: k.gz: No such file or directory"
}

@test "a file without a known suffix is skipped with gzip's warning" {
    make_input plain text 10
    snap
    run_pgz -d plain
    expect_result 2 "pgz: plain: unknown suffix -- ignored"
    assert_tree_unchanged
}

@test "-N restores the stored name and time; -n (the default) does not" {
    make_input orig text 100
    touch -d '2020-01-02 03:04:05' orig
    gzip -c orig >renamed.gz
    rm orig
    run_pgz -d -N -k renamed.gz
    expect_result 0
    [ -f orig ] && [ ! -e renamed ]
    [ "$(stat -c %Y orig)" = "$(date -d '2020-01-02 03:04:05' +%s)" ]
    run_pgz -d renamed.gz
    expect_result 0
    [ -f renamed ]
}

@test "-N never writes outside the input's directory" {
    make_input evil text 10
    mkdir sub
    # A header whose stored name has a directory part.
    printf '\037\213\010\010\0\0\0\0\0\003../../evil\0' >sub/x.gz
    gzip -cn evil | tail -c +11 >>sub/x.gz
    run_pgz -d -N sub/x.gz
    expect_result 0
    [ -f sub/evil ]
    cmp sub/evil evil
}

@test "stdin to stdout; pgzcat; pgunzip" {
    make_input f mixed 20000
    gzip -c f >f.gz
    cat f.gz | "$PGZ" -d >"$ROOT/out"
    cmp "$ROOT/out" f
    ln -s "$PGZ" "$ROOT/pgzcat"
    ln -s "$PGZ" "$ROOT/pgunzip"
    "$ROOT/pgzcat" f.gz >"$ROOT/out2"
    cmp "$ROOT/out2" f
    [ -f f.gz ]
    rm f
    "$ROOT/pgunzip" f.gz
    cmp f "$REF/f"
    [ ! -e f.gz ]
}

@test "pgzcat -f copies input that is not gzip, as gzip -cdf does" {
    printf 'plain text\n' >p
    printf 'x' >one
    : >empty
    for f in p one empty; do
        run_pgz -dcf "$f"
        expect_result 0
        cmp "$OUT" "$f"
    done
}

@test "-t checks every member and writes nothing" {
    gz_by_gzip a text 1000
    { cat a.gz; cat a.gz; } >two.gz
    snap
    run_pgz -t a.gz two.gz
    expect_result 0
    expect_no_stdout
    assert_tree_unchanged
    run_pgz -tv a.gz
    expect_result 0 "a.gz:	 OK"
}

@test "-l prints gzip's columns, totals, and true sizes of multi-member files" {
    make_input a text 1000
    gzip -c a >a.gz
    { cat a.gz; cat a.gz; } >two.gz
    run_pgz -l a.gz two.gz
    expect_status 0
    [ "$(sed -n 1p "$OUT")" = "         compressed        uncompressed  ratio uncompressed_name" ]
    read -r c u r n < <(sed -n 2p "$OUT")
    [ "$c" = "$(stat -c %s a.gz)" ] && [ "$u" = 1000 ] && [ "$n" = a ]
    read -r c u r n < <(sed -n 3p "$OUT")
    [ "$u" = 2000 ] && [ "$n" = two ]      # gzip -l would say 1000
    [[ $(sed -n 4p "$OUT") =~ \(totals\)$ ]]
    run_pgz -lv a.gz
    [[ $(sed -n 1p "$OUT") =~ ^method\ \ crc\ \ \ \ \ date\ \ time ]]
    [[ $(sed -n 2p "$OUT") =~ ^defla\ [0-9a-f]{8}\  ]]
}

@test "messages and statuses on bad input match gzip's" {
    make_input a text 5000
    gzip -c a >good.gz
    size=$(stat -c %s good.gz)
    cp good.gz trail.gz;  printf garbage >>trail.gz
    cp good.gz zeros.gz;  head -c 100 /dev/zero >>zeros.gz
    head -c 15 good.gz >trunc.gz
    echo notgzip >bad.gz
    cp good.gz crc.gz;    printf '\0' | dd of=crc.gz bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
    cp good.gz len.gz;    printf '\7' | dd of=len.gz bs=1 seek=$((size - 4)) conv=notrunc 2>/dev/null
    cp good.gz meth.gz;   printf '\7' | dd of=meth.gz bs=1 seek=2 conv=notrunc 2>/dev/null
    for f in trail zeros trunc bad crc len meth; do
        want=0
        gzip -dc "$f.gz" >/dev/null 2>"$ROOT/gzip.err" || want=$?
        run_pgz -dc "$f.gz"
        [ "$status" -eq "$want" ] || { echo "$f: status $status, gzip $want"; false; }
        sed 's/^gzip:/pgz:/; /^$/d' "$ROOT/gzip.err" >"$ROOT/want.err"
        diff "$ROOT/want.err" "$ERR" || { echo "$f: messages differ"; false; }
    done
}

@test "bad input leaves no output and keeps the input; other files go on" {
    make_input good text 3000
    gzip -k good
    mv good "$REF/good.orig"
    head -c 20 good.gz >cut.gz
    echo nope >bad.gz
    keep_ref cut.gz bad.gz
    run_pgz -d cut.gz good.gz bad.gz
    expect_result 1 "pgz: cut.gz: unexpected end of file" "pgz: bad.gz: not in gzip format"
    assert_names bad.gz cut.gz good
    cmp good "$REF/good.orig"
}

@test "truncation at every offset of a small file is an error, never a wrong file" {
    make_input s mixed 600
    gzip -c s >s.gz
    size=$(stat -c %s s.gz)
    mkdir cut
    for ((i = 0; i < size; i++)); do
        head -c "$i" s.gz >"cut/$i.gz"
    done
    # One run for them all (each file is on its own in pgz, and one
    # process is much cheaper than hundreds under the sanitizers).
    run_pgz -d -r cut
    expect_status 1
    [ "$(grep -c '^pgz: cut/[0-9]*\.gz: ' "$ERR")" -eq "$size" ]
    [ "$(wc -l <"$ERR")" -eq "$size" ]
    # Every input is still there, and nothing else is.
    [ "$(find cut -type f | wc -l)" -eq "$size" ]
    [ "$(find cut -type f ! -name '*.gz' | wc -l)" -eq 0 ]
    [ -z "$(find cut -name '.*')" ]
    for ((i = 0; i < size; i++)); do
        cmp -s "cut/$i.gz" <(head -c "$i" s.gz)
    done
}

@test "a flipped byte in every region is caught (header CRC, data, CRC, length)" {
    make_input s text 2000
    gzip -c s >s.gz
    size=$(stat -c %s s.gz)
    for off in 0 1 2 3 $((size / 2)) $((size - 8)) $((size - 5)) $((size - 1)); do
        cp s.gz f.gz
        b=$(od -An -tu1 -j "$off" -N1 f.gz | tr -d ' ')
        printf "\\$(printf %03o $(((b ^ 0x55) & 255)))" |
            dd of=f.gz bs=1 seek="$off" conv=notrunc 2>/dev/null
        run_pgz -d f.gz
        [ "$status" -ne 0 ] || { echo "offset $off not detected"; false; }
        [ ! -e f ] && [ -f f.gz ]
    done
}

@test "the header CRC (FHCRC) is verified" {
    make_input s text 100
    # gzip never writes FHCRC; build a member with one by hand (python3).
    python3 - "$REF/s" <<'PY' >h.gz
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
hdr = b'\x1f\x8b\x08\x02' + b'\0\0\0\0' + b'\0\x03'
co = zlib.compressobj(6, zlib.DEFLATED, -15)
body = co.compress(data) + co.flush()
sys.stdout.buffer.write(hdr + struct.pack('<H', zlib.crc32(hdr) & 0xffff) + body
                        + struct.pack('<II', zlib.crc32(data), len(data)))
PY
    run_pgz -dc h.gz
    expect_status 0
    cmp "$OUT" s
    printf '\1' | dd of=h.gz bs=1 seek=10 conv=notrunc 2>/dev/null
    run_pgz -dc h.gz
    expect_status 1
}

@test "compressed data is not read from a terminal without -f" {
    on_tty "$PGZ -d"
    [ "$status" -eq 1 ]
    grep -qx "pgz: compressed data not read from a terminal. Use -f to force decompression." "$OUT"
}

@test "-d -r decompresses a tree; -j1 and -j4 agree" {
    mkdir -p t/u
    make_input t/a text 100
    make_input t/u/b mixed 5000
    "$PGZ" -r t
    run_pgz -d -r -j4 t
    expect_result 0
    cmp t/a "$REF/t/a"
    cmp t/u/b "$REF/t/u/b"
}

@test "-N with a stored name equal to the input's never loses the data" {
    make_input x.gz text 100      # a plain file that happens to be named x.gz
    gzip -c x.gz >tmp
    mv tmp x.gz                   # now compressed, its header storing "x.gz"
    run_pgz -d -N -f x.gz
    expect_status 0
    cmp x "$REF/x.gz"             # named after the suffix instead
    [ ! -e x.gz ]
}

@test "a lot of trailing garbage: one warning, the output kept, status 2" {
    make_input a text 1000
    gzip -c a >a.gz
    head -c 300000 /dev/urandom | tr '\037' x >>a.gz
    rm a
    run_pgz -d a.gz
    expect_result 2 "pgz: a.gz: decompression OK, trailing garbage ignored"
    cmp a "$REF/a"
}

@test "reserved and encryption flags are refused in gzip's words" {
    printf '\037\213\010\100\0\0\0\0\0\003' >fl.gz
    printf '\037\213\010\040\0\0\0\0\0\003' >en.gz
    run_pgz -d fl.gz en.gz
    expect_result 1 "pgz: fl.gz has flags 0x40 -- not supported" \
        "pgz: en.gz is encrypted -- not supported"
}
