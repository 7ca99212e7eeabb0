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
trap 'rm -f "$log"' EXIT

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

if [ -z "${SANITIZE:-}" ]; then
    prop_seconds=${PROP_SECONDS:-40}
else
    prop_seconds=${PROP_SECONDS:-15}
fi
echo "== command-line property test for $prop_seconds s, with interrupts (tests/prop)"
if ! command -v python3 >/dev/null; then
    echo "python3 is missing: the property test cannot run"
    failed=$((failed + 1))
elif python3 tests/prop/cli_prop.py --pgz "$PGZ" --time "$prop_seconds" --interrupts \
        ${PROP_SEED:+--seed "$PROP_SEED"} >"$log" 2>&1; then
    cat "$log"
    passed=$((passed + 1))
else
    cat "$log"
    echo "the property test failed (above: seeds, commands, reasons)"
    failed=$((failed + 1))
fi

# fuzz NAME BINARY SECONDS SEEDS: one libFuzzer run, counted as one test.
fuzz() {
    echo "== fuzzing $1 for $3 s (libFuzzer)"
    local corpus
    corpus=$(mktemp -d)
    if "$2" -max_total_time="$3" -artifact_prefix="$corpus/" "$corpus" "$4" \
            >"$log" 2>&1; then
        tail -n 1 "$log"
        passed=$((passed + 1))
    else
        tail -n 40 "$log"
        echo "fuzzing found a problem (above)"
        failed=$((failed + 1))
    fi
    rm -rf "$corpus"
}

if [ -n "${FUZZ:-}" ]; then
    fuzz "the gzip decoder" "$FUZZ" "${FUZZ_SECONDS:-60}" tests/fuzz/corpus
fi
for bin in ${FUZZ_LEGACY:-}; do
    name=${bin##*/fuzz_}
    fuzz "the $name decoder" "$bin" "${FUZZ_LEGACY_SECONDS:-15}" "tests/fuzz/corpus-$name"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
