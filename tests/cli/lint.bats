#!/usr/bin/env bats
# The tests themselves: no assertion that cannot fail.  In bash, errexit
# ignores a command negated with `!`, so `! cmd` anywhere but a test's last
# line asserts nothing; tests/lint_negations.py refuses such lines.

load helpers

LINT=$BATS_TEST_DIRNAME/../lint_negations.py

# plant FILE: write stdin to FILE, with each line's leading TEST made the
# bats keyword (written literally here, bats would take it for a test).
plant() {
    sed 's/^TEST /@test /' >"$1"
}

@test "lint: no bats test has a negated command that cannot fail" {
    command -v python3 >/dev/null || skip "python3 is not installed"
    run python3 "$LINT" "$BATS_TEST_DIRNAME"/*.bats "$BATS_TEST_DIRNAME"/helpers.bash
    [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
}

@test "lint: refuses a negation that is not the last command" {
    command -v python3 >/dev/null || skip "python3 is not installed"
    plant planted.bats <<'PLANTED'
TEST "one" {
    ! grep -q x file
    true
}

TEST "two" {
    for i in 1 2; do
        ! grep -q x file
    done
}

TEST "three" {
    [ -f a ] && ! cmp a b
    true
}

TEST "four" {
    ! cmp a b; true
}

# A comment between the negation and the end is not a command, but the
# `true` after it is.
TEST "five" {
    ! grep -q \
        x file
    # only a comment
    true
}
PLANTED
    run python3 "$LINT" planted.bats
    [ "$status" -eq 1 ]
    [ "$output" = "planted.bats:2: a '! command' that is not its test's last command can never fail (errexit ignores it): use 'run !', '[ ... ]' or 'if cmd; then false; fi'
planted.bats:8: a '! command' that is not its test's last command can never fail (errexit ignores it): use 'run !', '[ ... ]' or 'if cmd; then false; fi'
planted.bats:13: a '! command' that is not its test's last command can never fail (errexit ignores it): use 'run !', '[ ... ]' or 'if cmd; then false; fi'
planted.bats:18: a '! command' that is followed by another command can never fail (errexit ignores it): use 'run !', '[ ... ]' or 'if cmd; then false; fi'
planted.bats:24: a '! command' that is not its test's last command can never fail (errexit ignores it): use 'run !', '[ ... ]' or 'if cmd; then false; fi'" ] ||
        { echo "$output" >&2; false; }
}

@test "lint: accepts negations whose status is used, and ones that are text" {
    command -v python3 >/dev/null || skip "python3 is not installed"
    plant fine.bats <<'FINE'
TEST "fine" {
    run ! grep -q x file
    [ ! -f x ]
    find . ! -name '*.gz'
    if ! grep -q x file; then false; fi
    while ! [ -f x ]; do touch x; done
    if [ -f a ] && ! cmp a b; then false; fi
    ! grep -q x file || { echo found; false; }
    echo "! not a command"
    # ! grep -q x file
    run bash -c '
        ! grep -q x file
        true'
    cat <<EOT
! grep -q x file
EOT
    cat <<-'EOT'
	! grep -q x file
	EOT
    x=1 # ! comment
    ! grep -q x file
}

helper() {
    ! grep -q x "$1"
}
FINE
    run python3 "$LINT" fine.bats
    [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
}
