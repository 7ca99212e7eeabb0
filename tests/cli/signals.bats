#!/usr/bin/env bats
# Interrupted runs lose nothing: whatever moment a signal lands, every
# input is either intact or replaced by a complete output, no file with a
# final name is partial, and no temporary is left behind (but after
# SIGKILL where there is no O_TMPFILE, or an input SIGKILL caught while it
# was being removed: renamed aside, whole).  Also: ulimit -f, --synchronous.

load helpers

# Iterations per mode: 50 normally, fewer under the (slow) sanitizers.
ROUNDS=50
[ -z "${SANITIZE:-}" ] || ROUNDS=5
SIGNALS=(TERM INT HUP PIPE KILL)

# check_after_kill REFDIR MODE: every file of REFDIR (the originals) is
# either here unchanged, or gone with NAME.gz here decoding to it (or, for
# MODE decompress, the reverse: NAME.gz kept or NAME whole); nothing else
# is here, temporaries included, unless ALLOW_TEMPS is set.
# With KILLED set (SIGKILL, which no program can catch), an input being
# removed may be left renamed aside as .pgz.*: it must then be whole, an
# original whose name is gone and whose output is complete.
# The files are checked in batches (one gzip -d for every .gz, one
# sha256sum for every file), not a few processes each: with 40 files and
# 50 rounds, starting processes was most of the tests' time.
check_after_kill() {
    local ref=$1 mode=$2 f name sum
    local -a plain=() gz=()
    local -A ref_sums=()
    while read -r sum name; do
        ref_sums[${name##*/}]=$sum
    done < <(sha256sum -- "$ref"/*)
    for f in "$ref"/*; do
        name=${f##*/}
        [ -e "$name" ] && plain+=("$name")
        [ -e "$name.gz" ] && gz+=("$name")
        if [ "$mode" = compress ] && [ ! -e "$name" ] && [ ! -e "$name.gz" ]; then
            echo "$name lost"; return 1
        fi
        if [ "$mode" = decompress ] && [ ! -e "$name.gz" ] && [ ! -e "$name" ]; then
            echo "$name.gz lost"; return 1
        fi
    done
    # The plain files: the originals' bytes (an output whole, an input
    # unchanged).
    if [ ${#plain[@]} -gt 0 ]; then
        while read -r sum name; do
            [ "$sum" = "${ref_sums[$name]}" ] ||
                { echo "$name: not the original's bytes (partial or changed)"; return 1; }
        done < <(sha256sum -- "${plain[@]}")
    fi
    # The .gz files: the system's gzip decodes every one without error (CRC
    # and length checked) to the original's bytes.
    if [ ${#gz[@]} -gt 0 ]; then
        rm -rf "$ROOT/decoded" && mkdir "$ROOT/decoded"
        cp -- "${gz[@]/%/.gz}" "$ROOT/decoded/"
        (cd "$ROOT/decoded" && gzip -dq -- *.gz) ||
            { echo "a .gz does not decode: partial or changed"; ls -la; return 1; }
        while read -r sum name; do
            name=${name#"$ROOT"/decoded/}
            [ "$sum" = "${ref_sums[$name]}" ] ||
                { echo "$name.gz: does not decode to the original"; return 1; }
        done < <(sha256sum -- "$ROOT"/decoded/*)
    fi
    if [ -z "${ALLOW_TEMPS:-}" ]; then
        local extra
        extra=$(find . -name '.pgz*')
        [ -z "$extra" ] || [ -n "${KILLED:-}" ] ||
            { echo "temporaries left: $extra"; return 1; }
        for f in $extra; do
            aside_input "$ref" "$mode" "$f" ||
                { echo "temporary left: $f"; return 1; }
        done
    fi
}

# decodes_to GZ FILE: the system's gzip decodes GZ without error (a whole
# gzip file: CRC and length checked) to the bytes of FILE.
decodes_to() {
    gzip -dc "$1" >"$ROOT/one" 2>/dev/null && cmp -s "$ROOT/one" "$2"
}

# aside_input REFDIR MODE FILE: FILE is an input renamed aside whole: the
# same bytes as an original (compress) or its .gz (decompress) whose name
# is gone while its output is here.
aside_input() {
    local ref=$1 mode=$2 file=$3 f name
    for f in "$ref"/*; do
        name=${f##*/}
        if [ "$mode" = compress ]; then
            [ ! -e "$name" ] && [ -e "$name.gz" ] && cmp -s "$file" "$f" &&
                return 0
        else
            [ ! -e "$name.gz" ] && [ -e "$name" ] &&
                decodes_to "$file" "$f" && return 0
        fi
    done
    return 1
}

# kill_rounds MODE SETUP PGZ-ARGS...: ROUNDS times: SETUP, start pgz, kill
# it with the next signal after a random delay (up to MAXDELAY hundredths
# of a second: about as long as the run), check the tree.
kill_rounds() {
    local mode=$1 setup=$2 i sig pid
    shift 2
    for ((i = 0; i < ROUNDS; i++)); do
        rm -rf w && mkdir w && (cd w && eval "$setup")
        sig=${SIGNALS[i % ${#SIGNALS[@]}]}
        (cd w && exec "$PGZ" "$@" 2>/dev/null) &
        pid=$!
        sleep "$(printf '0.%02d' $((RANDOM % ${MAXDELAY:-10})))"
        kill -s "$sig" "$pid" 2>/dev/null || true
        wait "$pid" || true
        local killed=
        [ "$sig" = KILL ] && killed=1
        (cd w && ALLOW_TEMPS=${ALLOW_TEMPS:-} KILLED=$killed \
             check_after_kill "$ROOT/orig" "$mode") ||
            { echo "round $i, SIG$sig"; ls -la w; return 1; }
    done
}

make_originals() {   # COUNT SIZE: $ROOT/orig/f1... (mixed data)
    mkdir -p "$ROOT/orig"
    for ((n = 1; n <= $1; n++)); do
        { head -c $(($2 / 2)) /dev/urandom; yes "line $n" | head -c $(($2 / 2)); } >"$ROOT/orig/f$n"
    done
}

@test "killed while compressing many files: nothing lost, nothing partial" {
    make_originals 40 60000
    kill_rounds compress 'cp "$ROOT"/orig/* .' -j2 -r .
}

@test "killed while compressing one big file in blocks" {
    make_originals 1 6000000
    MAXDELAY=15
    kill_rounds compress 'cp "$ROOT"/orig/* .' -j2 -b 64 f1
}

@test "killed while decompressing" {
    make_originals 40 200000
    MAXDELAY=6
    mkdir "$ROOT/gz"
    for f in "$ROOT"/orig/*; do gzip -c "$f" >"$ROOT/gz/$(basename "$f").gz"; done
    kill_rounds decompress 'cp "$ROOT"/gz/* .' -d -j2 -r .
}

@test "without O_TMPFILE, caught signals still remove every temporary" {
    SIGNALS=(TERM INT HUP PIPE)
    ROUNDS=$((ROUNDS / 2))
    make_originals 20 100000
    PGZ_NO_O_TMPFILE=1 kill_rounds compress 'cp "$ROOT"/orig/* .' -j2 -r .
}

@test "without O_TMPFILE, after SIGKILL only hidden temporaries may remain" {
    SIGNALS=(KILL)
    ROUNDS=$((ROUNDS / 4))
    make_originals 20 100000
    PGZ_NO_O_TMPFILE=1 ALLOW_TEMPS=1 kill_rounds compress 'cp "$ROOT"/orig/* .' -j2 -r .
}

@test "a signal's exit status is 128 + its number, as gzip's" {
    make_input big mixed 20000000
    # zlib's -9: slow enough to be caught (libdeflate may finish first).
    "$PGZ" --engine=zlib -9 -c -j1 big >/dev/null &
    pid=$!
    sleep 0.2
    kill -TERM "$pid"
    status=0
    wait "$pid" || status=$?
    [ "$status" -eq $((128 + 15)) ]
}

@test "a reader that goes away ends pgz by SIGPIPE, quietly, as gzip" {
    make_input big random 3000000
    gzip -c big >big.gz
    for args in "-c big" "-dc big.gz" "-c -b 64 big big"; do
        run_cmd bash -c "'$PGZ' $args | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}"
        expect_result 141
    done
    assert_names big big.gz
}

@test "with SIGPIPE ignored, a broken pipe is an error with gzip's words" {
    make_input big random 3000000
    run_cmd bash -c "trap '' PIPE; '$PGZ' -c big | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}"
    expect_result 1 "pgz: stdout: Broken pipe"
}

@test "ulimit -f: the file too large fails alone, its input kept, no temporary" {
    make_input big random 300000
    make_input small text 1000
    snap_ref=$(stat -c '%s %Y' big)
    run_cmd bash -c "ulimit -f 100; exec \"$PGZ\" big small"
    expect_result 1 "pgz: big.gz: File too large"
    [ "$(stat -c '%s %Y' big)" = "$snap_ref" ]
    assert_replaced small
    assert_names big small.gz
}

@test "--synchronous compresses and decompresses as usual" {
    make_input a mixed 100000
    run_pgz --synchronous a
    expect_result 0
    assert_replaced a
    run_pgz --synchronous -d a.gz
    expect_result 0
    cmp a "$REF/a"
}

@test "kill -PIPE while a named temporary exists: it is removed, status 141" {
    make_originals 4 4000000
    cp "$ROOT"/orig/* .
    PGZ_NO_O_TMPFILE=1 "$PGZ" -9 -j1 f1 f2 f3 f4 2>/dev/null &
    pid=$!
    for ((i = 0; i < 300; i++)); do
        [ -n "$(find . -name '.pgz.*')" ] && break
        sleep 0.01
    done
    [ -n "$(find . -name '.pgz.*')" ]
    kill -PIPE "$pid"
    status=0
    wait "$pid" || status=$?
    [ "$status" -eq 141 ]
    check_after_kill "$ROOT/orig" compress
}
