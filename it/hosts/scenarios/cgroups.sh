# scenario cgroups: the cgroup-delegate plugin for real. Alice logged in, her user manager
# delegating cpu, memory and pids (Debian's user@.service default; io is not delegated).
# Limits must be enforced with both backends: systemd (a transient scope over D-Bus) and
# cgroupfs (a leaf in a delegated subtree: here a `systemd-run --user --scope -p Delegate=yes`).
#
# run-scenario --break limits makes every limit in this scenario one that does not limit
# (systemd: properties that exist but do not cap; jbox: values too large to bite) while the
# checks still expect the real ones: each enforcement check must then FAIL.

if [ "${JBOX_VM_BREAK:-}" = limits ]; then
  SD_MEMORY=MemoryLow=32M SD_TASKS=TasksMax=5000 SD_CPU=CPUWeight=50
  CG_MEMORY=1G CG_PIDS=5000 CG_CPU="max 100000"
  J_MEMORY=1g J_PIDS=5000 J_CPUS=4
else
  SD_MEMORY=MemoryMax=32M SD_TASKS=TasksMax=50 SD_CPU=CPUQuota=50%
  CG_MEMORY=32M CG_PIDS=50 CG_CPU="50000 100000"
  J_MEMORY=32m J_PIDS=50 J_CPUS=0.5
fi
USER_MANAGER_CG=/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service

checks_main() {
  check "vm: alice's user manager has cpu memory pids delegated, not io" vm_delegated
  check "vm: systemd-run --user --scope -p MemoryMax=32M OOM-kills a hog" sd_oom
  check "vm: systemd-run --user --scope -p TasksMax=50 stops a fork loop" sd_pids
  check "vm: systemd-run --user --scope with MemoryMax TasksMax CPUQuota: limits found from outside, cpu.stat throttled" sd_limits_applied
  check "vm: by hand in a Delegate=yes scope, a leaf with memory.max pids.max cpu.max: found from outside, throttled" cgfs_limits_applied
  local b
  for b in systemd cgroupfs; do
    check "jbox[$b]: --memory 32m --pids-limit 50 --cpus 0.5 on the sandbox's own cgroup, cpu.stat throttled" jbox_limits_applied $b
    check "jbox[$b]: --memory 32m OOM-kills a hog, exit 137, reported as out of memory" jbox_oom $b
    check "jbox[$b]: --pids-limit 50 stops a fork loop" jbox_pids $b
  done
  check "jbox[auto]: --memory picks systemd in a login session and OOM-kills a hog" jbox_oom auto
  check "jbox[systemd]: no jbox-* scope or slice left after a run and after an OOM kill" jbox_scope_gone
  check "jbox: --io-weight refused (io not delegated), names the controller and the fix" jbox_io_refused
  check "jbox: without limits the sandbox stays in the caller's cgroup" jbox_no_limits_no_cgroup
  check "jbox: doctor warns that io is not delegated, with the delegate.conf fix" jbox_doctor_io
}

vm_delegated() {
  local c; c=$(cat "$USER_MANAGER_CG/cgroup.controllers")
  echo "user@1000.service cgroup.controllers: $c"
  for k in cpu memory pids; do [[ " $c " == *" $k "* ]] || fail "$k not delegated: '$c'"; done
  [[ " $c " != *" io "* ]] || fail "io is delegated too: the io-weight refusal check needs it not to be"
}
sd_oom() {
  capture systemd-run --user --scope --quiet -p "$SD_MEMORY" -p MemorySwapMax=0 -- sh -c "$HOG_SCRIPT" hog "$HOME"
  expect_rc 137 "the hog killed by the OOM killer"
}
sd_pids() {
  local unit=it-pids-$$
  mkdir -p "$HOME/fork-sd"; rm -f "$HOME/fork-sd/count"
  capture systemd-run --user --scope --quiet -p "$SD_TASKS" --unit=$unit -- sh -c "$FORK_SCRIPT" fork "$HOME/fork-sd"
  systemctl --user stop $unit.scope 2>/dev/null
  expect_fork_loop_stopped "$HOME/fork-sd"
}
expect_fork_loop_stopped() {
  local n; n=$(cat "$1/count" 2>/dev/null)
  echo "forked: ${n:-none}"
  [[ $OUT_ != *all-forked* ]] || fail "all 100 forks succeeded"
  [ -n "$n" ] && [ "$n" -lt 50 ] || fail "forked ${n:-none}, expected fewer than 50"
}
# jbox_with BACKEND SUBCOMMAND ARGS...: jbox with --cgroup-manager=BACKEND; for cgroupfs, from
# inside a delegated scope (what a user does with systemd-run, or in a container with a subtree)
jbox_with() {
  local b=$1 sub=$2; shift 2
  case $b in
    auto) "$JBOX" "$sub" "$@" ;;
    cgroupfs) systemd-run --user --scope --quiet -p Delegate=yes --unit="it-cgroupfs-$$-$RANDOM" -- \
                  "$JBOX" "$sub" --cgroup-manager=cgroupfs "$@" ;;
    *) "$JBOX" "$sub" --cgroup-manager="$b" "$@" ;;
  esac
}

# limits_applied CGROUP-GLOB LAUNCHER...: starts `LAUNCHER... sh -c BUSY-LOOP MARKER` in the
# background, finds the loop from outside, and checks where its limits really are: the nearest
# memory.max, pids.max, cpu.max above it (below alice's user manager) and throttling in cpu.stat;
# its cgroup must match CGROUP-GLOB
limits_applied() {
  local glob=$1 marker=it-burn-$$-$RANDOM pid cg launcher_pid; shift
  "$@" sh -c "$BURN_SCRIPT" "$marker" >"$HOME/$marker.log" 2>&1 &
  launcher_pid=$!
  wait_while_alive $launcher_pid $((CHECK_TIMEOUT * 2 / 3)) pid_of_marker "$marker" ||
    { kill $launcher_pid 2>/dev/null; fail "the workload never started: $(head -1 "$HOME/$marker.log")"; }
  pid=$(pid_of_marker "$marker"); cg=$(cgroup_dir_of "$pid")
  echo "workload pid $pid in $cg"
  sleep 3
  local mem pids cpu throttled unit
  mem=$(limit_in_chain "$cg" memory.max); pids=$(limit_in_chain "$cg" pids.max); cpu=$(limit_in_chain "$cg" cpu.max)
  printf 'memory.max: %s\npids.max: %s\ncpu.max: %s\n' "$mem" "$pids" "$cpu"
  [ -z "$cpu" ] || { cat "${cpu%% *}/cpu.stat"; throttled=$(stat_field "${cpu%% *}/cpu.stat" nr_throttled); }
  unit=$(tr / '\n' <<<"$cg" | grep -m1 '\.scope$')
  [ -z "$unit" ] || systemctl --user show -p Id -p MemoryMax -p TasksMax -p CPUQuotaPerSecUSec -p Delegate "$unit"
  kill -KILL "$pid"; wait $launcher_pid 2>/dev/null
  [[ $cg == $glob ]] || fail "the workload's cgroup $cg is not $glob"
  [ "${mem#* }" = 33554432 ] || fail "memory.max ${mem:-not set below the user manager}, expected 33554432"
  [ "${pids#* }" = 50 ] || fail "pids.max ${pids:-not set below the user manager}, expected 50"
  [ "${cpu#* }" = "50000 100000" ] || fail "cpu.max ${cpu:-not set below the user manager}, expected 50000 100000"
  [ "${throttled:-0}" -gt 0 ] || fail "nr_throttled is ${throttled:-absent} in ${cpu%% *}/cpu.stat after 3 s of busy loop"
}
sd_limits_applied() {
  limits_applied "*/app.slice/run-*.scope" systemd-run --user --scope --quiet -p "$SD_MEMORY" -p "$SD_TASKS" -p "$SD_CPU" --
}
# what the cgroupfs backend does, by hand, as a launcher: in a delegated scope, move itself to a
# supervisor leaf, enable the controllers, write the limits on a sandbox leaf, exec into it
cgroupfs_by_hand() {
  systemd-run --user --scope --quiet -p Delegate=yes -- sh -c '
    C=/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)
    mkdir "$C/supervisor" "$C/sandbox" && echo $$ >"$C/supervisor/cgroup.procs" &&
    echo "+memory +pids +cpu" >"$C/cgroup.subtree_control" &&
    echo "$1" >"$C/sandbox/memory.max" && echo "$2" >"$C/sandbox/pids.max" && echo "$3" >"$C/sandbox/cpu.max" &&
    echo $$ >"$C/sandbox/cgroup.procs" && shift 3 && exec "$@"' by-hand "$CG_MEMORY" "$CG_PIDS" "$CG_CPU" "$@"
}
cgfs_limits_applied() { limits_applied "*/run-*.scope/sandbox" cgroupfs_by_hand; }
# systemd: a jbox unit's cgroup; cgroupfs: a leaf inside the Delegate=yes scope jbox runs in (its
# own delegated subtree, issue 7), not a cgroup of the user manager's own tree such as app.slice
jbox_limits_applied() {
  local where="*/jbox*"
  [ "$1" != cgroupfs ] || where="*/app.slice/it-cgroupfs-*.scope/*"
  limits_applied "$where" jbox_with "$1" run --memory "$J_MEMORY" --pids-limit "$J_PIDS" --cpus "$J_CPUS" --
}
jbox_oom() {
  capture jbox_with "$1" run --memory "$J_MEMORY" -- sh -c "$HOG_SCRIPT"
  expect_rc 137 "the hog killed by the OOM killer"
  expect_said_matches 'out of memory'
  expect_no_stack_trace
}
jbox_pids() {
  mkdir -p "$HOME/fork-$1"; rm -f "$HOME/fork-$1/count"
  capture jbox_with "$1" run --pids-limit "$J_PIDS" -v "$HOME/fork-$1:/srv" -- sh -c "$FORK_SCRIPT" fork /srv
  expect_fork_loop_stopped "$HOME/fork-$1"
}
jbox_scope_gone() {
  capture jbox run --cgroup-manager=systemd --memory "$J_MEMORY" -- true
  expect_rc 0
  local left; left=$(leftover_jbox_units)
  [ -z "$left" ] || fail "left after a normal run: $(echo $left)"
  capture jbox run --cgroup-manager=systemd --memory "$J_MEMORY" -- sh -c "$HOG_SCRIPT"
  left=$(leftover_jbox_units)
  [ -z "$left" ] || fail "left after an OOM kill: $(echo $left)"
}
jbox_io_refused() {
  mkdir -p "$HOME/io-marker"; rm -f "$HOME/io-marker/started"
  capture jbox run --io-weight 100 -v "$HOME/io-marker:/srv" -- touch /srv/started
  expect_rc 125 "refused"
  expect_said_matches '\bio\b'
  expect_said_matches 'delegat'
  expect_no_stack_trace
  [ ! -e "$HOME/io-marker/started" ] || fail "the workload ran although the limit was refused"
}
jbox_no_limits_no_cgroup() {
  local marker=it-plain-$$ pid
  jbox run -- sh -c "$IDLE_SCRIPT" "$marker" >"$HOME/plain.log" 2>&1 &
  local jpid=$!
  wait_while_alive $jpid $((CHECK_TIMEOUT * 2 / 3)) pid_of_marker "$marker" || { kill $jpid; fail "the workload never started: $(head -1 "$HOME/plain.log")"; }
  pid=$(pid_of_marker "$marker")
  local mine theirs; mine=$(cat /proc/self/cgroup); theirs=$(cat "/proc/$pid/cgroup")
  kill -KILL "$pid"; wait $jpid
  [ "$mine" = "$theirs" ] || fail "the sandbox moved to $theirs (caller: $mine)"
}
jbox_doctor_io() {
  capture jbox doctor
  grep -Ei '^\W*(WARN|FAIL)' <<<"$OUT_" | grep -qw io || fail "no WARN/FAIL line names io"
  expect_said_matches 'user@\.service\.d/.*Delegate='
}
