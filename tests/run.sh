#!/usr/bin/env bash
# Run every test of pgz and end with one summary line, "N passed, N failed".
#   PGZ         the pgz binary under test (absolute path)
#   UNIT_TESTS  the Check unit-test runner
#   SANITIZE    set when the binaries are sanitized (informational)
#   FUZZ        the decoder's libFuzzer binary, or empty to skip fuzzing
#   FUZZ_SECONDS  how long to fuzz it (default 60), from tests/fuzz/corpus
#   FUZZ_LEGACY the legacy decoders' libFuzzer binaries (build/fuzz/fuzz_NAME),
#               each fuzzed FUZZ_LEGACY_SECONDS (default 15) from
#               tests/fuzz/corpus-NAME
#   PROP_SECONDS  how long to run the command-line property test (default
#               40, or 15 with SANITIZE); PROP_SEED its first seed (default:
#               from the clock, printed)
# The property test and the fuzzers run in the background, one after the
# other, while the unit and bats tests run; their output follows the bats
# tests'.
# Called by `make check`; runs from the top of the source tree.
set -u
cd "$(dirname "$0")/.."

# A sanitizer finding fails the test that triggered it, at once.
export TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1 ${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}"

passed=0
failed=0
log=$(mktemp)
# The property test and the fuzzers, one after the other, in the
# background from the start: they need no terminal and share no file with
# the other tests, and make check (and CI, where this pass ends last) is
# shorter by their time.  Each counts as one test: "pass" or "fail" in
# $bg_results; their output is printed after the bats tests'.
bg_log=$(mktemp)
bg_out=$(mktemp)
bg_results=$(mktemp)
trap 'rm -f "$log" "$bg_log" "$bg_out" "$bg_results"' EXIT

property_test() {
    local seconds=${PROP_SECONDS:-40}
    [ -z "${SANITIZE:-}" ] || seconds=${PROP_SECONDS:-15}
    echo "== command-line property test for $seconds s, with interrupts (tests/prop)"
    if ! command -v python3 >/dev/null; then
        echo "python3 is missing: the property test cannot run"
        echo fail >>"$bg_results"
    elif python3 tests/prop/cli_prop.py --pgz "$PGZ" --time "$seconds" --interrupts \
            ${PROP_SEED:+--seed "$PROP_SEED"} >"$bg_log" 2>&1; then
        cat "$bg_log"
        echo pass >>"$bg_results"
    else
        cat "$bg_log"
        echo "the property test failed (above: seeds, commands, reasons)"
        echo fail >>"$bg_results"
    fi
}

# fuzz NAME BINARY SECONDS SEEDS: one libFuzzer run.
fuzz() {
    echo "== fuzzing $1 for $3 s (libFuzzer)"
    local corpus
    corpus=$(mktemp -d)
    if "$2" -max_total_time="$3" -artifact_prefix="$corpus/" "$corpus" "$4" \
            >"$bg_log" 2>&1; then
        tail -n 1 "$bg_log"
        echo pass >>"$bg_results"
    else
        tail -n 40 "$bg_log"
        echo "fuzzing found a problem (above)"
        echo fail >>"$bg_results"
    fi
    rm -rf "$corpus"
}

background_tests() {
    property_test
    if [ -n "${FUZZ:-}" ]; then
        fuzz "the gzip decoder" "$FUZZ" "${FUZZ_SECONDS:-60}" tests/fuzz/corpus
    fi
    local bin name
    for bin in ${FUZZ_LEGACY:-}; do
        name=${bin##*/fuzz_}
        fuzz "the $name decoder" "$bin" "${FUZZ_LEGACY_SECONDS:-15}" "tests/fuzz/corpus-$name"
    done
}

background_tests >"$bg_out" 2>&1 &
bg_pid=$!

echo "== unit tests (Check)${SANITIZE:+ [sanitize=$SANITIZE]}"
# CK_FORK stays on: the abort tests need a process per test.
# Sanitized code runs several times slower: give every test's timeout
# room there (the truncation tests of the legacy decoders timed out under
# ThreadSanitizer at Check's default 4 s).
if [ -n "${SANITIZE:-}" ]; then
    export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
fi
"$UNIT_TESTS" 2>&1 | tee "$log"
unit_rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
if [[ $line =~ Checks:\ ([0-9]+),\ Failures:\ ([0-9]+),\ Errors:\ ([0-9]+) ]]; then
    total=${BASH_REMATCH[1]}
    bad=$((BASH_REMATCH[2] + BASH_REMATCH[3]))
    passed=$((passed + total - bad))
    failed=$((failed + bad))
else
    echo "unit tests: no Check summary (exit $unit_rc)"
    failed=$((failed + 1))
fi
if [ "$unit_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi

# Under a sanitizer, the files that check the binary's own behaviour
# (not the shell scripts: docs, lint, completion), but for tree_race (its
# loops race pgz against renames, sanitizers add nothing) and scale (GiB
# files, sanitizers only make them slow): the plain pass runs them.
# Under ThreadSanitizer, only the files whose runs differ in how threads
# meet: the pool on files and blocks, many files, stdout's order, same-
# name jobs, parallel decompression, signals mid-run, the memory budget
# and the progress thread.  The rest (engines, faults, reports, option
# parsing, names, refusals, messages, the legacy formats) go through the
# same pool in the same way, and run in the other two passes.  SANITIZE_ALL=1 runs every file in every pass.
# This keeps CI, where the three passes share two CPUs, within its time.
bats_files=(tests/cli)
if [[ -n ${SANITIZE:-} && -z ${SANITIZE_ALL:-} ]]; then
    bats_files=()
    for f in tests/cli/*.bats; do
        name=${f##*/}
        name=${name%.bats}
        case " docs lint completion tree_race scale valgrind " in
        *" $name "*) continue ;;
        esac
        if [[ $SANITIZE == *thread* ]]; then
            case " basic blocks many memory overlap pardec progress signals stdout " in
            *" $name "*) ;;
            *) continue ;;
            esac
        fi
        bats_files+=("$f")
    done
fi
echo "== command-line tests (bats)${SANITIZE:+ [${#bats_files[@]} files]}"
PGZ="$PGZ" bats --tap "${bats_files[@]}" 2>&1 | tee "$log"
ok=$(grep -cE '^ok ' "$log")
notok=$(grep -cE '^not ok ' "$log")
passed=$((passed + ok))
failed=$((failed + notok))
if [ "$ok" -eq 0 ] && [ "$notok" -eq 0 ]; then
    echo "bats ran no test"
    failed=$((failed + 1))
fi

wait "$bg_pid"
cat "$bg_out"
bg_passed=$(grep -c '^pass$' "$bg_results")
bg_failed=$(grep -c '^fail$' "$bg_results")
passed=$((passed + bg_passed))
failed=$((failed + bg_failed))
bg_expected=1       # the property test, then one per fuzzer
[ -z "${FUZZ:-}" ] || bg_expected=$((bg_expected + 1))
for bin in ${FUZZ_LEGACY:-}; do bg_expected=$((bg_expected + 1)); done
if [ $((bg_passed + bg_failed)) -ne "$bg_expected" ]; then
    echo "the property test and fuzzers reported $((bg_passed + bg_failed)) results of $bg_expected"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
