# it/hosts/guest/checklib.sh - the check runner and assertions, sourced inside the guest by
# run-in-guest (as root and as alice) and by every check's own shell.
#
# A scenario's checks are calls like
#     check "jbox: run -- id is root inside" jbox_runs_as_root
# where jbox_runs_as_root is a function of the scenario. Each check runs in a fresh bash (the
# scenario file sourced again), with a timeout, its output in $OUT/checks/<phase>-NN.log. It
# passes when the function returns 0; `fail WHY` (or an expect_* helper) ends it with a reason;
# `skip WHY` marks it skipped (a premise the guest lacks, never a jbox failure).
# Results go to $OUT/results, one line each: "PASS name", "FAIL name: why", "SKIP name: why";
# $OUT/index has "STATUS<tab>seconds<tab>log file<tab>name" per check.

OUT=/mnt/out
REPO=/mnt/jbox
HARNESS=$REPO/it/hosts
RESULTS=$OUT/results
# run-scenario writes the run's settings here: SCENARIO, HOST_REPO, CHECK_TIMEOUT, JBOX_VM_BREAK, ONLY
[ -r "$OUT/env" ] && . "$OUT/env"
SCENARIO_FILE=$HARNESS/scenarios/$SCENARIO.sh
CHECK_TIMEOUT=${CHECK_TIMEOUT:-120}
# the repo is also bound at its host path (run-in-guest), where the launcher's start-up (AOT)
# cache, made on the host for that class path, is valid
JBOX=${JBOX:-${HOST_REPO:-$REPO}/jbox}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
. "$HARNESS/guest/helpers.sh"

record() { RC_LINE=$*; echo "$*" >>"$RESULTS"; }

# check NAME FUNCTION [ARGS...]
check() {
  local name=$1; shift
  if [ -n "${ONLY:-}" ] && ! [[ $name =~ $ONLY ]]; then return 0; fi
  CHECK_NO=$((${CHECK_NO:-0} + 1))
  local log; log=$OUT/checks/$(printf '%s-%02d' "$PHASE" "$CHECK_NO").log
  local t0 rc secs why
  t0=$(date +%s.%N)
  printf '# check: %s\n# phase: %s, function: %s, timeout: %ss\n' "$name" "$PHASE" "$*" "$CHECK_TIMEOUT" >"$log"
  if [[ $name == jbox* ]] && [ ! -x "$JBOX" ]; then   # not built or not merged yet: no need to wait for timeouts
    record "FAIL $name: no jbox launcher at $JBOX"
    printf '%s\t0\t%s\t%s\n' FAIL "${log##*/}" "$name" >>"$OUT/index"
    return 0
  fi
  timeout -k 5 "$CHECK_TIMEOUT" bash -c '. "$1"; . "$SCENARIO_FILE"; exec 3>"$2"; shift 2; cd; "$@"' \
      check "$HARNESS/guest/checklib.sh" "$log.why" "$@" >>"$log" 2>&1 </dev/null
  rc=$?
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  printf '# exit %s after %ss\n' "$rc" "$secs" >>"$log"
  why=$(head -c 300 "$log.why" 2>/dev/null | head -1); rm -f "$log.why"
  if [ $rc = 0 ]; then
    record "PASS $name"
  elif [ $rc = 77 ]; then
    record "SKIP $name: ${why:-skipped}"
  elif awk -v s="$secs" -v t="$CHECK_TIMEOUT" 'BEGIN { exit !(s >= t) }'; then
    record "FAIL $name: timed out after ${CHECK_TIMEOUT}s${why:+ ($why)}"
  else
    [ -n "$why" ] || why="exit $rc: $(grep -v '^#' "$log" | grep -v '^[[:space:]]*$' | tail -1 | head -c 200)"
    record "FAIL $name: $why"
  fi
  printf '%s\t%s\t%s\t%s\n' "${RC_LINE%% *}" "$secs" "${log##*/}" "$name" >>"$OUT/index"
}

# ---- inside a check ---------------------------------------------------------------------------

fail() { echo "$*" >&3; exit 1; }
skip() { echo "$*" >&3; exit 77; }

# capture CMD [ARGS...]: runs it, keeps its stdout in $OUT_, stderr in $ERR_, status in $RC_,
# and copies all three into the check's log.
capture() {
  local o e
  o=$(mktemp); e=$(mktemp)
  echo "\$ $*"
  "$@" >"$o" 2>"$e"; RC_=$?
  OUT_=$(cat "$o"); ERR_=$(cat "$e"); rm -f "$o" "$e"
  [ -z "$OUT_" ] || printf '%s\n' "$OUT_" | sed 's/^/  out| /'
  [ -z "$ERR_" ] || printf '%s\n' "$ERR_" | sed 's/^/  err| /'
  echo "  rc=$RC_"
}

# `jbox` is the launcher itself on PATH (not a function), so that `jbox run ... &` leaves in $!
# the pid of jbox, not of a subshell
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$HOME/.jbox-it/bin" && ln -sfn "$JBOX" "$HOME/.jbox-it/bin/jbox" && PATH=$HOME/.jbox-it/bin:$PATH
fi

# first line of stderr (or stdout), for failure reasons
said() { local s=${ERR_:-$OUT_}; s=${s%%$'\n'*}; echo "${s:0:160}"; }

expect_rc() {
  [ "$RC_" = "$1" ] || fail "exit $RC_, expected $1${2:+ ($2)}; said: $(said)"
}
expect_out_has() {
  [[ $OUT_ == *"$1"* ]] || fail "stdout lacks '$1'; stdout: $(echo "${OUT_:0:160}" | tr '\n' ' ')"
}
expect_out_matches() {
  grep -Eq -- "$1" <<<"$OUT_" || fail "stdout does not match /$1/; stdout: $(echo "${OUT_:0:160}" | tr '\n' ' ')"
}
expect_err_matches() {
  grep -Eiq -- "$1" <<<"$ERR_" || fail "stderr does not match /$1/; stderr: $(echo "${ERR_:0:200}" | tr '\n' ' ')"
}
# the message a user sees (stderr and stdout together)
expect_said_matches() {
  grep -Eiq -- "$1" <<<"$OUT_"$'\n'"$ERR_" ||
    fail "output does not match /$1/; said: $(echo "${ERR_:-$OUT_}" | head -c 200 | tr '\n' ' ')"
}
expect_no_stack_trace() {
  ! grep -Eq '^\s+at [a-zA-Z0-9_.$]+\(|Exception in thread' <<<"$ERR_" || fail "stack trace on stderr"
}

# wait_for SECONDS CMD...: polls CMD every 0.5 s until it succeeds
wait_for() { wait_while_alive "" "$@"; }
# wait_while_alive PID SECONDS CMD...: the same, but gives up as soon as process PID has ended
wait_while_alive() {
  local pid=$1 deadline=$(($(date +%s) + $2)); shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
}
