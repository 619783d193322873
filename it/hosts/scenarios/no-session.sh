# scenario no-session: alice without a user session (lingering off, her user manager stopped,
# reached with `runuser -u alice`, no XDG_RUNTIME_DIR, no user bus), as in a cron job or a su
# without login. Plain sandboxes must work; limits cannot be applied there, so they must be
# refused (exit 125, nothing started) with the `loginctl enable-linger` hint, never ignored.
SESSION_main=bare

prepare_main() {
  loginctl disable-linger alice
  for _ in $(seq 150); do
    [ "$(systemctl is-active user@1000.service)" != active ] && [ ! -e /run/user/1000 ] && break
    sleep 0.2
  done
  [ ! -e /run/user/1000/bus ] || { echo "alice's user manager is still running"; exit 1; }
  echo "user@1000.service: $(systemctl is-active user@1000.service)"
}

checks_main() {
  check "vm: no XDG_RUNTIME_DIR, no user bus, outside user-1000.slice" vm_no_session
  check "jbox: run -- id works without a session" jbox_plain_run
  check "jbox: --memory refused with the loginctl enable-linger hint, nothing started" jbox_limit_refused --memory 32m
  check "jbox: --pids-limit with --cgroup-manager=systemd refused with the hint" jbox_limit_refused --pids-limit 50 --cgroup-manager=systemd
  check "jbox: --cpus refused with the hint" jbox_limit_refused --cpus 0.5
  check "jbox: doctor names the missing user session and loginctl enable-linger" jbox_doctor_session
}

vm_no_session() {
  [ -z "${XDG_RUNTIME_DIR:-}" ] || fail "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
  [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || fail "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
  [ ! -e /run/user/1000/bus ] || fail "/run/user/1000/bus exists"
  ! grep -q user-1000.slice /proc/self/cgroup || fail "in $(cat /proc/self/cgroup)"
}
jbox_plain_run() {
  capture jbox run -- id -u
  expect_rc 0; [ "$OUT_" = 0 ] || fail "id -u inside is '$OUT_'"
}
jbox_limit_refused() {
  mkdir -p "$HOME/ns-marker"; rm -f "$HOME/ns-marker/started"
  capture jbox run "$@" -v "$HOME/ns-marker:/srv" -- touch /srv/started
  expect_rc 125 "refused"
  expect_said_matches 'loginctl enable-linger'
  expect_no_stack_trace
  [ ! -e "$HOME/ns-marker/started" ] || fail "the workload ran although its limit was refused"
}
jbox_doctor_session() {
  capture jbox doctor
  grep -Ei '^\W*(WARN|FAIL)' <<<"$OUT_" | grep -Eiq 'session|XDG_RUNTIME_DIR|systemd' ||
      fail "no WARN/FAIL line about the missing user session"
  expect_said_matches 'loginctl enable-linger'
  expect_no_stack_trace
}
