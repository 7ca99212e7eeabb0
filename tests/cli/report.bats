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

@test "report: never an input, never replaced by an output" {
    make_input important text 100
    snap
    # An operand named as the report: refused before anything is touched.
    run_pgz -k --report=important important
    expect_result 1 "pgz: important: the report would overwrite an input"
    assert_tree_unchanged
    # Found by -r: left alone, and said so.
    make_input r/a text 100
    run_pgz -r --report=r/rep.json r
    expect_result 2 "pgz: r/rep.json is the report -- ignored"
    run check_report r/rep.json r/a:ok:r/a.gz r/rep.json:warning:null
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    # An output that would replace it, even with -f.
    make_input x text 100
    run_pgz -f --report=x.gz x
    expect_result 2 "pgz: x.gz is the report;	not overwritten"
    cmp x "$REF/x"
    run check_report x.gz x:warning:null
    [ "$status" -eq 0 ] || { echo "$output"; false; }
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
