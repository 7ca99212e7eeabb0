#!/usr/bin/env bats
# The engines (--engine): what is built in, levels, and the libdeflate
# format -- a big file's blocks as independent gzip members that carry
# their length in a "PG" FEXTRA subfield -- read by every gzip reader at
# hand, and decoded by pgz with the same checks and messages as a stream.

load helpers

B=$((32 * 1024))    # -b 32: small blocks, many members

has_libdeflate() {
    "$PGZ" --version | grep -q '^Engines:.* libdeflate'
}

need_libdeflate() {
    has_libdeflate || skip "pgz is built without libdeflate"
}

# members GZ: one line per member, "OFFSET PG-LENGTH NAME", PG-LENGTH 0
# when the member has no PG subfield; hops by the PG lengths, and checks
# that each lands on the next member.
members() {
    python3 - "$1" <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
off = 0
while off < len(data):
    assert data[off:off + 3] == b'\x1f\x8b\x08', 'no member at %d' % off
    flg = data[off + 3]
    pos, size = off + 10, 0
    if flg & 4:
        xlen = struct.unpack_from('<H', data, pos)[0]
        sub = data[pos + 2:pos + 2 + xlen]
        if xlen == 8 and sub[:4] == b'PG\x04\x00':
            size = struct.unpack_from('<I', sub, 4)[0]
        pos += 2 + xlen
    name = '-'
    if flg & 8:
        end = data.index(b'\0', pos)
        name = data[pos:end].decode()
    print(off, size, name)
    if size == 0:
        break       # a plain member: the last one
    off += size
EOF
}

@test "engine: --version lists the engines built in and the default" {
    run_pgz --version
    expect_status 0
    if has_libdeflate; then
        grep -qx 'Engines: zlib libdeflate (default)' "$OUT"
    else
        grep -qx 'Engines: zlib (default)' "$OUT"
    fi
}

@test "engine: an unknown engine is an error, before anything is touched" {
    make_input f text 1000
    snap
    run_pgz --engine=gzip f
    expect_status 1
    expect_stderr "pgz: invalid engine 'gzip' (zlib or libdeflate)" \
                  "Try \`pgz --help' for more information."
    assert_tree_unchanged
}

@test "engine: without libdeflate built in, --engine=libdeflate is an error" {
    ! has_libdeflate || skip "pgz is built with libdeflate"
    make_input f text 1000
    snap
    run_pgz --engine=libdeflate f
    expect_status 1
    expect_stderr "pgz: this pgz is built without the libdeflate engine"
    assert_tree_unchanged
}

@test "engine: -10 to -12 with zlib are an error, before anything is touched" {
    make_input f text 1000
    snap
    for l in 10 11 12; do
        run_pgz --engine=zlib -$l f
        expect_status 1
        expect_stderr "pgz: compression level $l needs the libdeflate engine (--engine=libdeflate)" \
                      "Try \`pgz --help' for more information."
        assert_tree_unchanged
    done
}

@test "engine: -10 to -12 with libdeflate compress, XFL 2; -S -11 is a suffix" {
    need_libdeflate
    make_input f mixed $((3 * B))
    for l in 10 11 12; do
        "$PGZ" --engine=libdeflate -$l -c -b 32 f >"$ROOT/f$l.gz"
        assert_roundtrip "$ROOT/f$l.gz" f
        [ "$(gz_xfl "$ROOT/f$l.gz")" -eq 2 ]
    done
    # (on text: on f's random and repeated halves the levels agree)
    seq 1 30000 >"$ROOT/s"
    "$PGZ" --engine=libdeflate -10 -c "$ROOT/s" >"$ROOT/s10.gz"
    "$PGZ" --engine=libdeflate -12 -c "$ROOT/s" >"$ROOT/s12.gz"
    if cmp -s "$ROOT/s10.gz" "$ROOT/s12.gz"; then false; fi
    run_pgz --engine=libdeflate -k -S -11 f
    expect_result 0
    [ -f f-11 ]
}

@test "engine: libdeflate cuts a big file into sized members; the name in the first only" {
    need_libdeflate
    make_input big mixed $((5 * B + 7))
    "$PGZ" --engine=libdeflate -b 32 -c big >"$ROOT/big.gz"
    assert_roundtrip "$ROOT/big.gz" big
    members "$ROOT/big.gz" >"$ROOT/members"
    [ "$(wc -l <"$ROOT/members")" -eq 6 ]
    [ "$(sed -n 1p "$ROOT/members" | cut -d' ' -f3)" = big ]
    [ "$(sed -n '2,$p' "$ROOT/members" | cut -d' ' -f3 | sort -u)" = - ]
    # Every member is sized, and the sizes add up to the file.
    [ "$(awk '$2 == 0' "$ROOT/members" | wc -l)" -eq 0 ]
    [ "$(awk '{s += $2} END {print s}' "$ROOT/members")" -eq "$(stat -c %s "$ROOT/big.gz")" ]
}

@test "engine: libdeflate writes a file of one block as one plain member" {
    need_libdeflate
    make_input one mixed $B
    "$PGZ" --engine=libdeflate -b 32 -c one >"$ROOT/one.gz"
    assert_roundtrip "$ROOT/one.gz" one
    [ "$(members "$ROOT/one.gz")" = "0 0 one" ]
    (( ($(gz_flags "$ROOT/one.gz") & 4) == 0 ))
}

@test "engine: libdeflate output is the same for any -j, and for a file and stdin" {
    need_libdeflate
    for size in 0 1 $((B - 1)) $B $((B + 1)) $((7 * B + 3)); do
        make_input f$size mixed $size
        "$PGZ" --engine=libdeflate -b 32 -n -j1 -c f$size >"$ROOT/a.gz"
        "$PGZ" --engine=libdeflate -b 32 -n -j4 -c f$size >"$ROOT/b.gz"
        "$PGZ" --engine=libdeflate -b 32 -n -j3 -c <f$size >"$ROOT/c.gz"
        cat f$size | "$PGZ" --engine=libdeflate -b 32 -j2 -c >"$ROOT/d.gz"
        cmp "$ROOT/a.gz" "$ROOT/b.gz"
        cmp "$ROOT/a.gz" "$ROOT/c.gz"
        cmp "$ROOT/a.gz" "$ROOT/d.gz"
        assert_roundtrip "$ROOT/a.gz" f$size
    done
}

@test "engine: gzip -d, zcat, Python's gzip, Go's gzip and tar -xz read the members" {
    need_libdeflate
    mkdir d
    make_input d/a mixed $((6 * B + 5))
    make_input d/b text 100
    tar -cf "$ROOT/d.tar" d
    "$PGZ" --engine=libdeflate -b 32 -c "$ROOT/d.tar" >"$ROOT/d.tar.gz"
    [ "$(members "$ROOT/d.tar.gz" | wc -l)" -gt 2 ]
    cmp <(gzip -dc "$ROOT/d.tar.gz") "$ROOT/d.tar"
    cmp <(zcat "$ROOT/d.tar.gz") "$ROOT/d.tar"
    cmp <(python3 -c 'import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())' \
          "$ROOT/d.tar.gz") "$ROOT/d.tar"
    mkdir x
    tar -xzf "$ROOT/d.tar.gz" -C x
    cmp x/d/a d/a
    cmp x/d/b d/b
    if command -v go >/dev/null; then
        cat >"$ROOT/gunzip.go" <<'EOF'
package main

import ("compress/gzip"; "io"; "os")

func main() {
	r, err := gzip.NewReader(os.Stdin)
	if err != nil { panic(err) }
	if _, err := io.Copy(os.Stdout, r); err != nil { panic(err) }
}
EOF
        cmp <(go run "$ROOT/gunzip.go" <"$ROOT/d.tar.gz") "$ROOT/d.tar"
    fi
}

@test "engine: pgz decodes sized members under both engines, -l and -t too" {
    need_libdeflate
    make_input big mixed $((9 * B + 1))
    "$PGZ" --engine=libdeflate -b 32 -c big >"$ROOT/big.gz"
    for e in zlib libdeflate; do
        cmp <("$PGZ" --engine=$e -dc "$ROOT/big.gz") big
        cmp <("$PGZ" --engine=$e -dc "$ROOT/big.gz" "$ROOT/big.gz") <(cat big big)
        "$PGZ" --engine=$e -t "$ROOT/big.gz"
        run_pgz --engine=$e -l "$ROOT/big.gz"
        expect_status 0
        grep -q " $(stat -c %s big) " "$OUT"
    done
}

# damaged GZ OFFSET: GZ with the byte at OFFSET inverted, as $ROOT/bad.gz.
damaged() {
    python3 - "$1" "$2" "$ROOT/bad.gz" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[int(sys.argv[2])] ^= 0xff
open(sys.argv[3], 'wb').write(d)
EOF
}

@test "engine: damage in a sized member: the same status and message under both engines" {
    need_libdeflate
    make_input big mixed $((6 * B))
    "$PGZ" --engine=libdeflate -b 32 -c big >"$ROOT/big.gz"
    members "$ROOT/big.gz" >"$ROOT/members"
    second=$(sed -n 2p "$ROOT/members" | cut -d' ' -f1)
    third=$(sed -n 3p "$ROOT/members" | cut -d' ' -f1)
    # Inside the deflate data, in the CRC, in the length, and the PG length
    # itself (a lie: the member is then streamed, and still right).
    for at in $((second + 200)) $((third - 8)) $((third - 2)) $((second + 16)); do
        damaged "$ROOT/big.gz" $at
        run_pgz --engine=zlib -t "$ROOT/bad.gz"
        zstatus=$status
        cp "$ERR" "$ROOT/zlib.err"
        run_pgz --engine=libdeflate -t "$ROOT/bad.gz"
        [ "$status" -eq "$zstatus" ]
        cmp "$ERR" "$ROOT/zlib.err"
        if [ $at -eq $((second + 16)) ]; then
            [ "$status" -eq 0 ]
            cmp <("$PGZ" --engine=libdeflate -dc "$ROOT/bad.gz") big
        else
            [ "$status" -eq 1 ]
        fi
    done
}

@test "engine: a sized member cut short is 'unexpected end of file' under both engines" {
    need_libdeflate
    make_input big mixed $((4 * B))
    "$PGZ" --engine=libdeflate -b 32 -c big >"$ROOT/big.gz"
    head -c $(($(stat -c %s "$ROOT/big.gz") - 100)) "$ROOT/big.gz" >"$ROOT/cut.gz"
    for e in zlib libdeflate; do
        run_pgz --engine=$e -t "$ROOT/cut.gz"
        expect_status 1
        expect_stderr "pgz: $ROOT/cut.gz: unexpected end of file"
    done
}
