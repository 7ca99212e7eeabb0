#!/usr/bin/env bats
# --report=FILE: JSON Lines, one object per file in argument order and a
# summary, read back with a real JSON parser (python3).

load helpers

# check_report FILE EXPECTED...: FILE is JSON Lines whose file objects have,
# in order, the "input:status:output" given (output "null" for none), each
# with every field of the schema and the right types, and whose last line
# is a summary consistent with them.  Prints the summary's exit_status.
check_report() {
    command -v python3 >/dev/null || skip "python3 is not installed"
    python3 - "$@" <<'PY'
import json, sys
path, expected = sys.argv[1], sys.argv[2:]
lines = open(path, encoding="utf-8", errors="surrogateescape").read().split("\n")
assert lines[-1] == "", "the report must end with a newline"
objs = [json.loads(l) for l in lines[:-1]]
files, summary = objs[:-1], objs[-1]
fields = {"type": str, "input": str, "output": (str, type(None)),
          "status": str, "message": (str, type(None)), "bytes_in": int,
          "bytes_out": int, "seconds": (int, float)}
for o in files:
    assert set(o) == set(fields), f"fields of {o}"
    for k, t in fields.items():
        assert isinstance(o[k], t), f"{k} of {o}"
    assert o["type"] == "file" and o["status"] in ("ok", "warning", "error")
    assert o["seconds"] >= 0 and o["bytes_in"] >= 0 and o["bytes_out"] >= 0
    assert (o["status"] == "ok") == (o["message"] is None) or o["output"] is None, o
got = [f'{o["input"]}:{o["status"]}:{o["output"] if o["output"] is not None else "null"}'
       for o in files]
assert got == expected, f"files: {got} != {expected}"
assert summary["type"] == "summary", summary
assert summary["files"] == len(files)
for s in ("ok", "warning", "error"):
    n = sum(o["status"] == s for o in files)
    assert summary[s + "s" if s != "ok" else "ok"] == n, (s, summary)
assert summary["bytes_in"] == sum(o["bytes_in"] for o in files)
assert summary["bytes_out"] == sum(o["bytes_out"] for o in files)
assert summary["mode"] in ("compress", "decompress", "test", "list")
print(summary["exit_status"])
PY
}

# field FILE N KEY: the KEY of the Nth object (from 0), as JSON.
field() {
    python3 -c 'import json,sys; print(json.dumps(json.loads(open(sys.argv[1]).read().split("\n")[int(sys.argv[2])])[sys.argv[3]]))' "$@"
}

@test "report: one object per file in argument order, then a summary" {
    make_input b text 3000
    make_input a text 5000
    make_input c empty
    run_pgz -j3 --report=r.json b missing a c
    expect_result 1 "pgz: missing: No such file or directory"
    run check_report r.json b:ok:b.gz missing:error:null a:ok:a.gz c:ok:c.gz
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = 1 ]           # the summary's exit status is the run's
    [ "$(field r.json 0 bytes_in)" = 3000 ]
    [ "$(field r.json 0 bytes_out)" = "$(stat -c %s b.gz)" ]
    [ "$(field r.json 1 message)" = '"missing: No such file or directory"' ]
    [ "$(field r.json 4 mode)" = '"compress"' ]
    assert_replaced a
    assert_replaced b
}

@test "report: warnings keep their message even under -q; -c outputs are \"-\"" {
    make_input a text 100
    make_input a.gz empty
    make_input d/x text 10
    run_pgz -q --report=r.json a d
    expect_result 2
    run check_report r.json a:warning:null d:warning:null
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$(field r.json 0 message)" = '"a.gz already exists;\tnot overwritten"' ]
    run_pgz -c --report=r2.json a > out.gz
    expect_result 0
    run check_report r2.json a:ok:-
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "report: -d, -t and -l runs, and a file already compressed" {
    make_input a text 4000
    gzip -k a
    mv a a.orig
    run_pgz -t --report=t.json a.gz
    expect_result 0
    run check_report t.json a.gz:ok:null
    [ "$status" -eq 0 ] && [ "$(field t.json 1 mode)" = '"test"' ]
    [ "$(field t.json 0 bytes_out)" = 4000 ]
    run_pgz -d -k --report=d.json a.gz
    expect_result 0
    run check_report d.json a.gz:ok:a
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    run_pgz --report=s.json a.gz
    expect_status 0
    run check_report s.json a.gz:ok:null
    [ "$(field s.json 0 message)" = '"a.gz already has .gz suffix -- unchanged"' ]
    run_pgz -l --report=l.json a.gz
    expect_status 0
    run check_report l.json a.gz:ok:null
    [ "$status" -eq 0 ] && [ "$(field l.json 1 mode)" = '"list"' ]
}

@test "report: names that are not UTF-8 come back byte for byte" {
    command -v python3 >/dev/null || skip "python3 is not installed"
    name=$(printf 'caf\xe9 "q"\\\tz')
    printf 'data' >"$name"
    run_pgz --report=r.json -- "$name"
    expect_result 0
    [ -f "$name.gz" ]
    python3 - "$name" <<'PY'
import json, os, sys
want = os.fsencode(sys.argv[1])
line = open("r.json", "rb").read().split(b"\n")[0]
line.decode("utf-8")                       # the report itself is UTF-8
obj = json.loads(line)
assert obj["input"].encode("utf-8", "surrogateescape") == want, obj
assert obj["output"].encode("utf-8", "surrogateescape") == want + b".gz", obj
PY
}

@test "report: - is standard output, refused when data or a listing goes there" {
    make_input a text 100
    run_pgz -k --report=- a
    expect_result 0
    run check_report "$OUT" a:ok:a.gz
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    snap
    for args in "-c a" "-l a.gz" "-d -c a.gz"; do
        run_pgz --report=- $args
        expect_status 1
        grep -q -- "--report=- cannot share standard output" "$ERR"
        expect_no_stdout
    done
    run_pgz --report=- < a
    expect_status 1
    assert_tree_unchanged
}

@test "report: a report that cannot be opened stops the run before it starts" {
    make_input a text 100
    snap
    run_pgz --report=nodir/r.json a
    expect_result 1 "pgz: nodir/r.json: No such file or directory"
    assert_tree_unchanged
}

@test "report: a report that cannot be written is an error, the files still done" {
    [ -w /dev/full ] || skip "no /dev/full"
    make_input a text 100
    run_pgz --report=/dev/full a
    expect_result 1 "pgz: /dev/full: No space left on device"
    assert_replaced a
}

# ---- the report never truncates or replaces a file the run reads ------------

MODES=(tmpfile named)

# with_mode MODE CMD...: CMD with O_TMPFILE temporaries (tmpfile) or named
# ones (named).  Says what it runs, for a failing test's log.
with_mode() {
    echo "[$1] ${*:2}"
    if [ "$1" = named ]; then
        PGZ_NO_O_TMPFILE=1 "${@:2}"
    else
        "${@:2}"
    fi
}

# no_temporaries: no .pgz.* file anywhere under the working directory.
no_temporaries() {
    local left
    left=$(find . -name '.pgz.*')
    [ -z "$left" ] && return 0
    echo "temporaries left:" $left >&2
    return 1
}

REFUSED_INPUT="an input of this run -- not replaced by the report"
REFUSED_CHANGED="changed during the run -- not replaced by the report"

@test "report: a file -r finds is read, never truncated nor replaced (-k)" {
    make_input d/a text 100
    make_input d/important.txt random 5000
    local mode
    for mode in "${MODES[@]}"; do
        rm -f d/*.gz
        with_mode "$mode" run_pgz -k -r --report=d/important.txt d
        expect_result 1 "pgz: d/important.txt: $REFUSED_INPUT"
        cmp d/important.txt "$REF/d/important.txt"
        assert_same_mode_mtime d/important.txt "$REF/d/important.txt"
        assert_roundtrip d/important.txt.gz "$REF/d/important.txt"
        assert_roundtrip d/a.gz "$REF/d/a"
        assert_names d/ d/a d/a.gz d/important.txt d/important.txt.gz
    done
}

# Without -k the file the walk found is compressed and removed: its data
# lives on in its .gz, and the report takes the free name (a nightly
# `pgz -r logs --report=logs/run.jsonl` works every night).
@test "report: a file -r finds and removes is compressed as any other; the report takes the free name" {
    make_input d/a text 100
    make_input d/important.txt random 5000
    run_pgz -r --report=d/important.txt d
    expect_result 0
    assert_replaced d/a
    assert_roundtrip d/important.txt.gz "$REF/d/important.txt"
    grep -q '"summary"' d/important.txt
    assert_names d/ d/a.gz d/important.txt d/important.txt.gz
    # The next night: last night's report is compressed, the new one written.
    rm d/important.txt.gz
    run_pgz -r --report=d/important.txt d
    expect_result 0
    gzip -dc d/important.txt.gz | grep -q '"summary"'
    grep -q '"summary"' d/important.txt
}

@test "report: an operand, a name in a list, the list itself: never replaced" {
    make_input important random 1000
    make_input other text 200
    printf 'other\nimportant\n' >list
    keep_ref list
    local mode
    for mode in "${MODES[@]}"; do
        rm -f ./*.gz
        with_mode "$mode" run_pgz -k --report=important other important
        expect_result 1 "pgz: important: $REFUSED_INPUT"
        cmp important "$REF/important"
        assert_roundtrip important.gz "$REF/important"
        rm -f ./*.gz
        with_mode "$mode" run_pgz -k --files-from=list --report=important
        expect_result 1 "pgz: important: $REFUSED_INPUT"
        cmp important "$REF/important"
        assert_roundtrip important.gz "$REF/important"
        assert_roundtrip other.gz "$REF/other"
        # The list is read by the run too, by name or as standard input.
        with_mode "$mode" run_pgz -k -f --files-from=list --report=list
        expect_result 1 "pgz: list: $REFUSED_INPUT"
        cmp list "$REF/list"
        with_mode "$mode" run_pgz -k -f --files-from=- --report=list <list
        expect_result 1 "pgz: list: $REFUSED_INPUT"
        cmp list "$REF/list"
        assert_names important important.gz list other other.gz
    done
}

@test "report: a name an output of the run takes is not replaced by the report" {
    make_input x text 3000
    gzip -c x >x.gz
    keep_ref x.gz
    rm x
    local mode
    for mode in "${MODES[@]}"; do
        rm -f x
        with_mode "$mode" run_pgz -d -k --report=x x.gz
        expect_result 1 "pgz: x: $REFUSED_CHANGED"
        cmp x "$REF/x"
        # -f: an existing x is replaced by the output, not by the report.
        echo old >x
        with_mode "$mode" run_pgz -d -k -f --report=x x.gz
        expect_result 1 "pgz: x: $REFUSED_CHANGED"
        cmp x "$REF/x"
        assert_names x x.gz
    done
}

@test "report: a rerun replaces the last report, keeping its permission bits" {
    make_input a text 100
    local mode
    for mode in "${MODES[@]}"; do
        rm -f r.json a.gz
        with_mode "$mode" run_pgz -k --report=r.json a
        expect_result 0
        run check_report r.json a:ok:a.gz
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        chmod 640 r.json
        local before
        before=$(stat -c %i r.json)
        rm a.gz
        with_mode "$mode" run_pgz -k --report=r.json a missing
        expect_result 1 "pgz: missing: No such file or directory"
        run check_report r.json a:ok:a.gz missing:error:null
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        [ "$(stat -c %a r.json)" = 640 ]
        [ "$(stat -c %i r.json)" != "$before" ]     # a new file, put in place
        assert_names a a.gz r.json
    done
}

@test "report: a new report gets the umask's permission bits" {
    make_input a text 100
    run_cmd bash -c "umask 027 && exec '$PGZ' -k --report=r.json a"
    expect_result 0
    [ "$(stat -c %a r.json)" = 640 ]
}

@test "report: a symbolic link is followed: the file it leads to is replaced" {
    make_input a text 100
    mkdir reports
    echo old >reports/r.json
    ln -s reports/r.json link
    run_pgz -k --report=link a
    expect_result 0
    [ -L link ]
    run check_report reports/r.json a:ok:a.gz
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    # A link to a file the run reads protects that file all the same.
    ln -s a link-a
    rm a.gz
    run_pgz -k --report=link-a a
    expect_result 1 "pgz: link-a: $REFUSED_INPUT"
    cmp a "$REF/a"
    no_temporaries
}

@test "report: a signal mid-run leaves neither the report nor a temporary" {
    [ -d /proc/self/fd ] || skip "needs /proc to see what pgz has open"
    mkdir rd
    echo "last night" >rd/r.json
    mkfifo in
    local mode pid i
    for mode in "${MODES[@]}"; do
        # pgz waits on the FIFO, its report begun: SIGTERM then.
        exec 5<>in
        (
            [ "$mode" = tmpfile ] || export PGZ_NO_O_TMPFILE=1
            exec "$PGZ" --report=rd/r.json <in >out.gz 2>"$ERR" 3>&- 5>&-
        ) &
        pid=$!
        for ((i = 0; i < 1000; i++)); do
            [ "$(find "/proc/$pid/fd" -lname "$PWD/rd/*" | wc -l)" -ge 1 ] && break
            sleep 0.01
        done
        [ "$i" -lt 1000 ] || { kill -KILL "$pid"; echo "no report begun"; false; }
        echo data >&5
        kill -TERM "$pid"
        status=0
        wait "$pid" || status=$?
        exec 5>&-
        expect_result 143
        [ "$(cat rd/r.json)" = "last night" ]
        assert_names in out.gz rd/ rd/r.json
    done
}

@test "report: memory exhausted leaves neither the report nor a temporary" {
    [ -z "${SANITIZE:-}" ] || skip "sanitizers reserve more address space than ulimit -v allows"
    truncate -s 300M big
    echo "last night" >r.json
    local mode
    for mode in "${MODES[@]}"; do
        with_mode "$mode" run_cmd bash -c \
            "ulimit -v 150000 && exec '$PGZ' -k -j2 -b 65536 --report=r.json big"
        expect_result 1 "pgz: memory_exhausted"
        [ "$(cat r.json)" = "last night" ]
        assert_names big r.json
    done
}

@test "report: standard output by another name is refused with data there" {
    make_input a text 100
    run_cmd bash -c "'$PGZ' -c --report=/dev/stdout a > out.gz"
    expect_result 1 "pgz: /dev/stdout: the report cannot share standard output with the data"
}

@test "report: a reader of --report=- that goes away ends pgz by SIGPIPE" {
    # More report than a pipe holds (1,000 lines of over 250 bytes), so a
    # write must fail once the reader has gone, however fast pgz is.
    mkdir m
    long=$(printf 'n%.0s' $(seq 1 200))
    echo x | gzip >one.gz
    (cd m && tee $(seq -f "$long%g.gz" 1 1000) <../one.gz >/dev/null)
    run_cmd bash -c "'$PGZ' -t --report=- m/*.gz | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}"
    expect_result 141
}

@test "report: a skipped file says why, even when gzip -r is silent about it" {
    make_input d/plain text 100
    run_pgz -d -r --report=r.json d
    expect_result 0
    run check_report r.json d/plain:ok:null
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$(field r.json 0 message)" = '"d/plain: unknown suffix -- ignored"' ]
}
