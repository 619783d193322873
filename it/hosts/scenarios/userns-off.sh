# scenario userns-off: a host that switched unprivileged user namespaces off, in the two ways
# distributions do it. jbox cannot work there; it must say which sysctl is the cause and how to
# fix it, and `jbox doctor` must say the same.
#   phase clone_off:  kernel.unprivileged_userns_clone=0 (Debian's and Ubuntu's switch)
#   phase max_zero:   user.max_user_namespaces=0 (the upstream knob; the Debian one back on)
PHASES="clone_off max_zero"

prepare_clone_off() { sysctl -w kernel.unprivileged_userns_clone=0; }
prepare_max_zero() { sysctl -w kernel.unprivileged_userns_clone=1 user.max_user_namespaces=0; }

checks_clone_off() {
  check "vm: unshare -r fails with EPERM (kernel.unprivileged_userns_clone=0)" vm_unshare_fails 'Operation not permitted'
  check "jbox: run fails with 125, names kernel.unprivileged_userns_clone and the fix" \
      jbox_run_names kernel.unprivileged_userns_clone 'kernel\.unprivileged_userns_clone *= *1'
  check "jbox: doctor fails and names kernel.unprivileged_userns_clone and the fix" \
      jbox_doctor_names kernel.unprivileged_userns_clone 'kernel\.unprivileged_userns_clone *= *1'
}
checks_max_zero() {
  check "vm: unshare -r fails with ENOSPC (user.max_user_namespaces=0)" vm_unshare_fails 'No space left on device'
  check "jbox: run fails with 125, names user.max_user_namespaces and the fix" \
      jbox_run_names user.max_user_namespaces 'user\.max_user_namespaces *= *[1-9]'
  check "jbox: doctor fails and names user.max_user_namespaces and the fix" \
      jbox_doctor_names user.max_user_namespaces 'user\.max_user_namespaces *= *[1-9]'
}

vm_unshare_fails() {
  capture unshare --user --map-root-user id -u
  [ "$RC_" != 0 ] || fail "unshare -r still works: the sysctl did not take"
  expect_err_matches "$1"
}
# jbox_run_names SYSCTL FIX-REGEX
jbox_run_names() {
  capture jbox run -- id
  expect_rc 125
  expect_said_matches "${1//./\\.}"
  expect_said_matches "$2"
  expect_no_stack_trace
}
jbox_doctor_names() {
  capture jbox doctor
  [ "$RC_" != 0 ] || fail "doctor exited 0 on a host where jbox cannot run"
  grep -Ei '^\W*FAIL' <<<"$OUT_" | grep -q "$1" || fail "no FAIL line names $1"
  expect_said_matches "$2"
  expect_no_stack_trace
}
