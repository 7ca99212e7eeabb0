#!/usr/bin/env bats
# The progress line: drawn on a real terminal (tmux), erased before problem
# lines and at the end, printed as plain lines when forced elsewhere, and
# never printed otherwise.  The slow runs are pipes that pause, so that a
# run lasts longer than the line's one-second delay whatever the machine.

load helpers

eval "base_$(declare -f teardown)"
teardown() {
    [ -n "${SOCK:-}" ] && tmux -L "$SOCK" kill-server 2>/dev/null
    base_teardown
}

# in_terminal COMMAND: run the bash COMMAND in a new 100x12 tmux terminal,
# in the current directory; it should end by printing "EXIT=$?".
in_terminal() {
    command -v tmux >/dev/null || skip "tmux is not installed"
    SOCK=pgz-test-$$-$BATS_TEST_NUMBER
    printf 'cd %q\n%s\nsleep 60\n' "$PWD" "$1" >"$ROOT/term.sh"
    tmux -L "$SOCK" -f /dev/null new-session -d -x 100 -y 12 \
        "bash $ROOT/term.sh"
}

screen() {
    tmux -L "$SOCK" capture-pane -p 2>/dev/null
}

# wait_screen REGEX: wait (at most 30 s) until the screen matches REGEX.
wait_screen() {
    local i
    for ((i = 0; i < 300; i++)); do
        screen | grep -qE -- "$1" && return 0
        sleep 0.1
    done
    echo "the screen never matched '$1'; it shows:" >&2
    screen >&2
    return 1
}

# The screen's non-blank lines.
screen_text() {
    screen | sed -e 's/[[:space:]]*$//' -e '/^$/d'
}

@test "progress: a slow run on a terminal shows the line, then erases it" {
    make_input data text 300000
    in_terminal "(cat data; sleep 3) | '$PGZ' -c > out.gz; echo EXIT=\$?"
    # Bytes done so far and the speed; no total and no ETA for a pipe.
    wait_screen '^pgz progress: [0-9.]+ k?B  [0-9.]+ k?B/s  stdin$'
    wait_screen '^EXIT='
    [ "$(screen_text)" = "EXIT=0" ] || { screen; false; }
    assert_roundtrip out.gz data
}

@test "progress: problem lines are printed whole, the line comes back after" {
    make_input data text 200000
    make_input big random 20000000
    # stdin pauses 2 s; then "missing" fails, printed while the line is up;
    # then big waits for the reader of stdout, which sleeps until 5 s.
    in_terminal "(cat data; sleep 2) | '$PGZ' -c - missing big |
        (sleep 5; cat > out.gz); echo EXIT=\${PIPESTATUS[1]}"
    wait_screen '^pgz: missing: No such file or directory$'
    wait_screen '^pgz progress: 2/3 files'
    [ "$(screen_text | head -n 1)" = "pgz: missing: No such file or directory" ]
    wait_screen '^EXIT='
    [ "$(screen_text)" = "pgz: missing: No such file or directory
EXIT=1" ] || { screen; false; }
    cmp <(gzip -dc out.gz) <(cat data big)
}

@test "progress: one file whose size is known gets a bar, a total and an ETA" {
    make_input big random 20000000
    # The reader of stdout pauses: once pgz's 8 MiB of ordered output and
    # the pipe are full, the run waits half done, with everything known.
    in_terminal "'$PGZ' -c big | (sleep 3; cat > out.gz); echo EXIT=\$?"
    wait_screen '^pgz progress: \[=*>? *\] +[0-9]+%  [0-9.]+ [kM]?B/20\.0 MB  [0-9.]+ [kMG]?B/s  ETA [0-9]+:[0-9]{2}  big$'
    wait_screen '^EXIT='
    [ "$(screen_text)" = "EXIT=0" ] || { screen; false; }
    assert_roundtrip out.gz big
}

@test "progress: -q and --no-progress keep a terminal quiet" {
    make_input data text 100000
    in_terminal "(cat data; sleep 2) | '$PGZ' -c -q > out1.gz;
        (cat data; sleep 2) | '$PGZ' -c --no-progress > out2.gz; echo EXIT=\$?"
    for ((i = 0; i < 60; i++)); do
        if screen | grep -q progress; then screen; false; fi
        screen | grep -q '^EXIT=' && break
        sleep 0.1
    done
    wait_screen '^EXIT='
    [ "$(screen_text)" = "EXIT=0" ]
}

@test "progress: never printed when stderr is not a terminal" {
    make_input data text 100000
    run_cmd bash -c "(cat data; sleep 1.5) | '$PGZ' -c > out.gz"
    expect_result 0
}

@test "progress: --progress off a terminal prints plain lines, no control codes" {
    make_input data text 100000
    run_cmd bash -c "(cat data; sleep 2.5) | '$PGZ' --progress -c > out.gz"
    expect_status 0
    [ -s "$ERR" ]
    # Only progress lines, a second apart, each whole.
    # grep: 1 when no line is selected (2 would be trouble).
    run grep -vE '^pgz progress: ' "$ERR"
    [ "$status" -eq 1 ]
    run grep -q $'\r' "$ERR"
    [ "$status" -eq 1 ]
    run grep -q $'\e' "$ERR"
    [ "$status" -eq 1 ]
    grep -E '^pgz progress: [0-9.]+ k?B  [0-9.]+ k?B/s  stdin$' "$ERR"
    assert_roundtrip out.gz data
}

@test "progress: --progress after -q turns it back on; -q after --progress off" {
    make_input data text 100000
    run_cmd bash -c "(cat data; sleep 1.5) | '$PGZ' -q --progress -c > out.gz"
    expect_status 0
    grep -q '^pgz progress: ' "$ERR"
    run_cmd bash -c "(cat data; sleep 1.5) | '$PGZ' --progress -q -c > out.gz"
    expect_result 0
}

@test "progress: with data on the terminal's stdout, no line unless forced" {
    make_input data text 1000
    gzip -k data
    in_terminal "(cat data.gz; sleep 2) | '$PGZ' -dc; echo EXIT=\$?"
    # Watched while it runs: a line shown would be erased at the end.
    for ((i = 0; i < 60; i++)); do
        if screen | grep -q progress; then screen; false; fi
        screen | grep -q '^EXIT=' && break
        sleep 0.1
    done
    wait_screen '^EXIT='
}

@test "progress: stdin that is a regular file has a known size too" {
    make_input big random 20000000
    in_terminal "'$PGZ' -c < big | (sleep 3; cat > out.gz); echo EXIT=\$?"
    wait_screen '^pgz progress: \[=*>? *\] +[0-9]+%  [0-9.]+ [kM]?B/20\.0 MB .*ETA .*stdin$'
    wait_screen '^EXIT='
    [ "$(screen_text)" = "EXIT=0" ] || { screen; false; }
    assert_roundtrip out.gz big
}

@test "progress: a signal erases the line; nothing is left behind" {
    make_input data text 200000
    # SIGINT straight to pgz (a Ctrl-C would end the test's shell too).
    in_terminal "(cat data; sleep 6) | '$PGZ' -c > out.gz &
        echo \$! > pid; wait \$!; echo EXIT=\$?"
    wait_screen '^pgz progress: '
    kill -INT "$(cat pid)"
    wait_screen '^EXIT='
    [ "$(screen_text)" = "EXIT=130" ] || { screen; false; }
}
