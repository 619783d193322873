# scenario stock: a systemd host set up as `jbox doctor` advises (the administrator delegates
# cpu, cpuset, io, memory and pids to users), alice logged in (as over ssh) with a lingering user
# manager. jbox must just work here: run, images on kernel overlay, pull, slirp4netns and pasta
# with published ports, and `jbox doctor` all OK. A second phase takes kernel overlayfs away
# (the module cannot load), as on hosts where unprivileged overlay mounts are not possible:
# images must still run, on fuse-overlayfs.
# Issue 15: no sandbox (the default root, the untrusted profile) may reach the host's unix sockets:
# alice's user manager (systemd-run --user), the user and system bus, sockets in /run/user/1000,
# ~, /tmp, /var/tmp -- unless bound in with -v.
PHASES="main no_kernel_overlay"
IMAGE=jbox-it/bbox:1

prepare_main() {
  mkdir -p /etc/systemd/system/user@.service.d
  printf '[Service]\nDelegate=cpu cpuset io memory pids\n' >/etc/systemd/system/user@.service.d/delegate.conf
  systemctl daemon-reload
  systemctl restart user@1000.service
  for _ in $(seq 300); do [ -S /run/user/1000/bus ] && break; sleep 0.2; done
  cat /sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers
}
checks_main() {
  check "vm: cgroup v2 only, alice's user manager running" vm_cgroup2_user_manager
  check "vm: alice's user manager has cpu cpuset io memory pids delegated" vm_all_delegated
  check "vm: alice in a login session scope, XDG_RUNTIME_DIR and user bus set" vm_login_session
  check "vm: JDK 25 runs (java -version)" vm_java
  check "vm: unprivileged user namespace (unshare -r id)" vm_unshare
  check "vm: /dev/fuse and /dev/net/tun are 0666 (udev)" vm_dev_modes
  check "vm: kernel overlay with userxattr inside a user namespace" vm_kernel_overlay
  check "vm: fuse-overlayfs inside a user namespace" vm_fuse_overlay
  check "vm: the jbox launcher and its distribution are shared in" vm_jbox_shared
  check "jbox: run -- id is uid 0 inside" jbox_id
  check "jbox: alice is mapped to root (uid_map 0 1000 1)" jbox_uid_map
  check "jbox: the command is pid 1, /proc shows only the sandbox" jbox_pid1
  check "jbox: --hostname" jbox_hostname
  check "jbox: exit status 3 passes through, a missing command is 127" jbox_exit_codes
  check "jbox: default network is loopback only" jbox_net_none
  check "jbox: doctor reports everything OK (Landlock may warn: the kernel's)" jbox_doctor
  check "jbox: --network host runs; the Landlock step is planned where doctor says the kernel scopes" jbox_host_net_landlock
  check "jbox: import an OCI layout, images lists it" jbox_import
  check "jbox: run an image on kernel overlay with its Env, WorkingDir, Cmd, whiteout" jbox_image_kernel_overlay
  check "jbox: an unnamed sandbox's writable layer is discarded at exit" jbox_image_discarded
  check "jbox: pull from a local registry and run it" jbox_pull
  check "jbox: --network slirp gives tap0 and a resolv.conf" jbox_slirp_inside
  check "jbox: --network slirp -p publishes a port (httpd inside)" jbox_publish slirp 18080
  check "jbox: --network pasta -p publishes a port (httpd inside)" jbox_publish pasta 18081
  # issue 15: a read-only host root does not stop connect(2) on the host's unix sockets
  check "vm: escape premise: outside jbox, systemd-run --user creates /home/alice/ESCAPED (bus, explicit env, private socket), busctl reaches the user and system bus, test sockets in /run/user/1000 ~ /tmp /var/tmp answer" vm_escape_premise
  local k
  for k in "default root" "untrusted profile"; do
    check "jbox: escape ($k): systemd-run --user cannot have alice's user manager create /home/alice/ESCAPED on the host" jbox_escape_systemd_run "$k"
    check "jbox: escape ($k): the user bus /run/user/1000/bus is unreachable (busctl --user list)" jbox_escape_probe_fails "$k" busctl-user
    check "jbox: escape ($k): the system bus /run/dbus/system_bus_socket is unreachable (busctl ListNames)" jbox_escape_probe_fails "$k" busctl-system
    check "jbox: host socket escape ($k): alice's test sockets in /run/user/1000, ~, /tmp, /var/tmp are unreachable" jbox_escape_sockets "$k"
  done
  check "jbox: host socket bound explicitly (-v /run/user/1000/test.sock:/run/user/1000/test.sock) is reachable" jbox_socket_bound
  check "jbox: no slirp4netns, pasta or fuse-overlayfs left behind" jbox_no_helpers_left
}

prepare_no_kernel_overlay() {
  echo 'install overlay /bin/false' >/etc/modprobe.d/jbox-it-no-overlay.conf
  if grep -qw overlay /proc/filesystems; then modprobe -r overlay; fi
  ! grep -qw overlay /proc/filesystems
}
checks_no_kernel_overlay() {
  check "vm: kernel overlay cannot be mounted (module blocked)" vm_no_kernel_overlay
  check "jbox: an image runs on fuse-overlayfs when the kernel has no overlay" jbox_image_fuse_overlay
  check "jbox: no fuse-overlayfs left behind" jbox_no_helpers_left
}

# ---- the guest itself ----------------------------------------------------------------------------

vm_cgroup2_user_manager() {
  [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || fail "/sys/fs/cgroup is $(stat -fc %T /sys/fs/cgroup), not cgroup2fs"
  capture systemctl --user is-system-running
  [[ $OUT_ == running || $OUT_ == degraded ]] || fail "user manager is '$OUT_'"
}
vm_all_delegated() {
  local c k; c=$(cat /sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers)
  for k in cpu cpuset io memory pids; do [[ " $c " == *" $k "* ]] || fail "$k not delegated: '$c'"; done
}
vm_login_session() {
  grep -Eq '^0::/user.slice/user-1000.slice/session-[0-9a-z]+.scope$' /proc/self/cgroup ||
    fail "not in a session scope: $(cat /proc/self/cgroup)"
  [ "${XDG_RUNTIME_DIR:-}" = /run/user/1000 ] || fail "XDG_RUNTIME_DIR='${XDG_RUNTIME_DIR:-}'"
  [ -S /run/user/1000/bus ] || fail "no user bus socket /run/user/1000/bus"
}
vm_java() {
  capture java -version
  expect_rc 0
  expect_err_matches 'version "25'
}
vm_unshare() {
  capture unshare --user --map-root-user --pid --fork --mount --net id -u
  expect_rc 0; [ "$OUT_" = 0 ] || fail "id -u inside is '$OUT_'"
}
vm_dev_modes() {
  local d
  for d in /dev/fuse /dev/net/tun; do
    [ "$(stat -c %a "$d" 2>/dev/null)" = 666 ] || fail "$d: mode $(stat -c %a "$d" 2>&1)"
  done
}
vm_kernel_overlay() {
  mkdir -p ov/{l,u,w,m}; echo lower >ov/l/f
  capture unshare -rm sh -c 'mount -t overlay overlay -o lowerdir=ov/l,upperdir=ov/u,workdir=ov/w,userxattr ov/m && cat ov/m/f && echo up >ov/m/g'
  expect_rc 0; expect_out_has lower
  [ -e ov/u/g ] || fail "the write did not land in the upper dir"
}
vm_fuse_overlay() {
  mkdir -p fov/{l,u,w,m}; echo lower >fov/l/f
  capture unshare -rm sh -c 'fuse-overlayfs -o lowerdir=fov/l,upperdir=fov/u,workdir=fov/w fov/m && cat fov/m/f && grep " $PWD/fov/m " /proc/self/mountinfo; fusermount3 -u fov/m'
  expect_rc 0; expect_out_has lower; expect_out_has fuse.fuse-overlayfs
}
vm_no_kernel_overlay() {
  mkdir -p nov/{l,u,w,m}
  capture unshare -rm mount -t overlay overlay -o lowerdir=nov/l,upperdir=nov/u,workdir=nov/w,userxattr nov/m
  [ "$RC_" != 0 ] || fail "kernel overlay still mounts"
}
vm_jbox_shared() {
  [ -x "$JBOX" ] || fail "$JBOX missing: the repo share has no jbox launcher yet"
  [ -d "$REPO/target/dist" ] || fail "$REPO/target/dist missing: jbox was not built before the stage"
}

# ---- jbox ------------------------------------------------------------------------------------------

jbox_id() {
  capture jbox run -- id
  expect_rc 0; expect_out_has 'uid=0(root) gid=0(root)'
}
jbox_uid_map() {
  capture jbox run -- cat /proc/self/uid_map /proc/self/gid_map
  expect_rc 0
  [ "$(grep -cE '^\s*0\s+1000\s+1$' <<<"$OUT_")" = 2 ] || fail "uid_map/gid_map are not '0 1000 1'"
}
jbox_pid1() {
  capture jbox run -- sh -c 'echo pid=$$; ls /proc | grep -c "^[0-9]"'
  expect_rc 0; expect_out_has pid=1
  [ "$(sed -n 2p <<<"$OUT_")" -le 3 ] || fail "/proc shows $(sed -n 2p <<<"$OUT_") processes"
}
jbox_hostname() {
  capture jbox run --hostname jbox-it -- hostname
  expect_rc 0; [ "$OUT_" = jbox-it ] || fail "hostname is '$OUT_'"
}
jbox_exit_codes() {
  capture jbox run -- sh -c 'exit 3'
  expect_rc 3
  capture jbox run -- /no/such/command
  expect_rc 127 "command not found inside"; expect_no_stack_trace
}
jbox_net_none() {
  capture jbox run -- cat /proc/net/dev
  expect_rc 0
  local ifs; ifs=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' <<<"$OUT_" | tr '\n' ' ')
  [ "$ifs" = "lo " ] || fail "interfaces inside: $ifs"
}
jbox_doctor() {
  capture jbox doctor
  expect_rc 0
  # Landlock's WARN is the kernel's (no scoping before ABI 6, Linux 6.12), not the host's setup.
  local bad; bad=$(grep -Ei '^\W*(FAIL|WARN)' <<<"$OUT_" | grep -Eiv '^\W*WARN +Landlock ')
  [ -z "$bad" ] || fail "not all OK: $(head -3 <<<"$bad" | tr '\n' ' ')"
  grep -Eiq '^\W*OK' <<<"$OUT_" || fail "no OK line"
}
# --network host runs on any kernel; the Landlock step is planned exactly where doctor says it scopes
jbox_host_net_landlock() {
  capture jbox doctor
  local scopes=no
  grep -Eq '^\W*OK +Landlock ' <<<"$OUT_" && scopes=yes
  grep -Eq '^\W*(OK|WARN) +Landlock ' <<<"$OUT_" || fail "no Landlock line in doctor"
  capture jbox run --dry-run --network host -- true
  expect_rc 0
  local planned=no
  grep -q 'restricting with Landlock: abstract unix sockets scoped' <<<"$OUT_" && planned=yes
  [ "$planned" = "$scopes" ] || fail "doctor says the kernel scopes: $scopes; the plan has the Landlock step: $planned"
  capture jbox run --network host -- true
  expect_rc 0
}

ensure_imported() {
  oci_test_layout "$HOME/oci-bbox"
  jbox images 2>/dev/null | grep -q "jbox-it/bbox" || jbox import "$HOME/oci-bbox" "$IMAGE" >/dev/null 2>&1
}
jbox_import() {
  oci_test_layout "$HOME/oci-bbox"
  capture jbox import "$HOME/oci-bbox" "$IMAGE"
  expect_rc 0
  capture jbox images
  expect_rc 0; expect_out_has jbox-it/bbox
}
# fstype of the root mount, as the sandbox sees it
ROOT_FSTYPE='sed -n "s/^[0-9]* [0-9]* [^ ]* [^ ]* \/ .* - \([^ ]*\) .*/\1/p" /proc/self/mountinfo'
jbox_image_kernel_overlay() {
  ensure_imported
  capture jbox run --image "$IMAGE"
  expect_rc 0; expect_out_has 'image-cmd IMGVAR=from-config pwd=/work'; expect_out_has layer2
  capture jbox run --image "$IMAGE" -- sh -c "$ROOT_FSTYPE; test ! -e /gone || echo whiteout-ignored"
  expect_rc 0; [ "$OUT_" = overlay ] || fail "root filesystem is '$OUT_', expected kernel overlay (or /gone visible)"
}
jbox_image_fuse_overlay() {
  ensure_imported
  capture jbox run --image "$IMAGE" -- sh -c "$ROOT_FSTYPE; cat /etc/layer2; test ! -e /gone || echo whiteout-ignored"
  expect_rc 0; expect_out_has fuse.fuse-overlayfs; expect_out_has layer2
  [[ $OUT_ != *whiteout-ignored* ]] || fail "/gone is visible: whiteout ignored"
}
jbox_image_discarded() {
  ensure_imported
  capture jbox run --image "$IMAGE" -- sh -c 'echo scratch >/etc/scratch && cat /etc/scratch'
  expect_rc 0; expect_out_has scratch
  capture jbox run --image "$IMAGE" -- sh -c 'cat /etc/scratch 2>&1 || echo absent'
  expect_out_has absent
}
jbox_pull() {
  oci_test_layout "$HOME/oci-bbox"
  registry_start "$HOME/registry" || fail "docker-registry did not start: $(tail -1 "$HOME/registry/log")"
  registry_push "$HOME/oci-bbox" jbox-it/pulled 2 || { registry_stop "$HOME/registry"; fail "push to the local registry failed"; }
  capture jbox pull "$REGISTRY/jbox-it/pulled:2"
  registry_stop "$HOME/registry"
  expect_rc 0
  capture jbox run --image "$REGISTRY/jbox-it/pulled:2" -- cat /etc/layer2
  expect_rc 0; expect_out_has layer2
}
jbox_slirp_inside() {
  capture jbox run --network slirp -- sh -c 'ip -o addr show; cat /etc/resolv.conf'
  expect_rc 0; expect_out_matches 'tap0 +inet 10\.0\.2\.'; expect_out_matches '^nameserver 10\.0\.2\.3'
}
# jbox_publish slirp|pasta HOSTPORT: busybox httpd inside on :8080, fetched from alice's side
jbox_publish() {
  local net=$1 port=$2 pid body
  if [ "$net" = pasta ] && ! command -v pasta >/dev/null; then skip "passt (pasta) is not installed in the guest"; fi
  web_root "$HOME/www-$net"
  jbox run --stop-timeout 2 --network "$net" -p "127.0.0.1:$port:8080" -v "$HOME/www-$net:/srv:ro" -- \
      /bin/busybox httpd -f -p 8080 -h /srv >"$HOME/httpd-$net.log" 2>&1 &
  pid=$!
  wait_while_alive $pid $((CHECK_TIMEOUT * 2 / 3)) curl -sf "http://127.0.0.1:$port/index.html"
  body=$(curl -sf "http://127.0.0.1:$port/index.html")
  kill -TERM $pid 2>/dev/null; wait $pid
  echo "jbox exited $?"; sed 's/^/  jbox| /' "$HOME/httpd-$net.log"
  [ "$body" = "hello from inside jbox" ] || fail "no answer on 127.0.0.1:$port (got '$body'); jbox said: $(head -1 "$HOME/httpd-$net.log")"
}
helpers_running() { pgrep -u "$(id -u)" -l -x 'slirp4netns|pasta|passt|fuse-overlayfs'; }
jbox_no_helpers_left() {
  wait_for 10 eval '! helpers_running' || fail "left behind: $(helpers_running | tr '\n' ' ')"
}

# ---- issue 15: the host's unix sockets from inside a sandbox -----------------------------------
# One probe script, run once outside jbox (the vm: premise: everything must be reached, so the
# probe can see an escape) and once per kind of sandbox (nothing may be reached); each probe run
# is kept in ~/escape-probe-<kind>.txt and judged by several checks (one jbox start per kind).
# Args: the marker file, then the directories holding a test.sock. A line "probe NAME rc=N (Tms)"
# each.
#   systemd-run-*  rc 0: alice's user manager ran `touch MARKER` on the host (--wait: over the user
#                  bus; without --wait and with the bus address made useless: over the manager's
#                  private socket $XDG_RUNTIME_DIR/systemd/private)
#   busctl-*       rc 0: the bus answered
#   socket:PATH    curl --unix-socket: rc 7 = connect(2) failed; anything else = it connected
ESCAPE_PROBE_SCRIPT='m=$1; shift
bus="XDG_RUNTIME_DIR=/run/user/1000 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus"
p() { n=$1; shift; t=$(date +%s%N); o=$(timeout 30 "$@" 2>&1 </dev/null); r=$?; t=$((($(date +%s%N) - t) / 1000000))
      [ -z "$o" ] || printf "%s\n" "$o" | head -3 | cut -c1-160 | sed "s/^/    /"; echo "probe $n rc=$r (${t}ms)"; }
echo "uid $(id -u), env: $(env | grep -E "^(XDG_RUNTIME_DIR|DBUS_SESSION_BUS_ADDRESS)=" | tr "\n" " ")"
echo "/run/user/1000: $(ls -A /run/user/1000 2>&1 | tr "\n" " ")"
p systemd-run-as-passed systemd-run --user --wait --quiet touch "$m"
p systemd-run-env env $bus systemd-run --user --wait --quiet touch "$m"
p systemd-run-private env XDG_RUNTIME_DIR=/run/user/1000 DBUS_SESSION_BUS_ADDRESS=unix:path=/dev/null/no-bus systemd-run --user --quiet touch "$m"
p busctl-user env $bus busctl --user --no-pager list
p busctl-system busctl --system --no-pager call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ListNames
for d in "$@"; do p "socket:$d/test.sock" curl -sS --max-time 10 --unix-socket "$d/test.sock" http://jbox-it/; done'
ESCAPE_MARKER=/home/alice/ESCAPED
ESCAPE_SOCKET_DIRS="/run/user/1000 /home/alice /tmp /var/tmp"

# test_listeners_start DIR...: alice's own service on DIR/test.sock for each DIR, answering
# "reached" (systemd-socket-activate: one sh per connection on stdin/stdout); pids in $LISTENERS
test_listeners_start() {
  local d
  LISTENERS=
  for d in "$@"; do
    rm -f "$d/test.sock"
    systemd-socket-activate -l "$d/test.sock" --accept --inetd -- \
        sh -c 'printf "HTTP/1.0 200 OK\r\nContent-Length: 8\r\n\r\nreached\n"; cat >/dev/null' 2>>"$HOME/listeners.log" &
    LISTENERS+=" $!"
  done
  trap 'kill $LISTENERS 2>/dev/null' EXIT
  for d in "$@"; do wait_for 10 test -S "$d/test.sock" || fail "no listener on $d/test.sock: $(tail -1 "$HOME/listeners.log")"; done
}

# escape_probe KIND [LAUNCHER...]: the probe run for KIND (made once, then reused), printed
escape_probe() {
  local kind=$1 report=$HOME/escape-probe-${1// /-}.txt; shift
  if [ -s "$report" ]; then echo "# the probe run for '$kind', made by an earlier check:"; cat "$report"; return 0; fi
  test_listeners_start $ESCAPE_SOCKET_DIRS
  rm -f "$ESCAPE_MARKER"
  echo "\$ ${*:-(outside jbox)} sh -c \"\$ESCAPE_PROBE_SCRIPT\" probe $ESCAPE_MARKER $ESCAPE_SOCKET_DIRS"
  { "$@" sh -c "$ESCAPE_PROBE_SCRIPT" probe "$ESCAPE_MARKER" $ESCAPE_SOCKET_DIRS; echo "launcher exit $?"
    # systemd-run without --wait returns before the unit ran
    ! grep -q '^probe systemd-run-private rc=0 ' "$report.part" || wait_for 5 test -e "$ESCAPE_MARKER"
    if [ -e "$ESCAPE_MARKER" ]; then echo "host: $ESCAPE_MARKER EXISTS"; else echo "host: $ESCAPE_MARKER absent"; fi
  } >"$report.part" 2>&1
  kill $LISTENERS 2>/dev/null
  mv "$report.part" "$report"; cat "$report"
}
# the probe run of a sandbox of KIND
escape_probe_in() {
  case $1 in
    "default root") escape_probe "$1" jbox run -- ;;
    "untrusted profile") escape_probe "$1" jbox run --profile "$REPO/examples/profiles/untrusted.toml" -- ;;
  esac
}
# probe_rc KIND NAME: the probe's exit status in KIND's report, in $P_RC; fails the check when
# the probe did not run there (a sandbox that did not start proves nothing)
probe_rc() {
  local report=$HOME/escape-probe-${1// /-}.txt
  P_RC=$(sed -n "s|^probe $2 rc=\([0-9]*\) .*|\1|p" "$report")
  [ -n "$P_RC" ] || fail "the probe '$2' did not run ($1): $(grep -m1 -iE 'jbox|error|launcher exit' "$report")"
}

vm_escape_premise() {
  escape_probe outside
  local n bad=
  for n in systemd-run-as-passed systemd-run-env systemd-run-private busctl-user busctl-system; do
    probe_rc outside $n; [ "$P_RC" = 0 ] || bad+=" $n"
  done
  for n in $ESCAPE_SOCKET_DIRS; do probe_rc outside "socket:$n/test.sock"; [ "$P_RC" = 0 ] || bad+=" $n/test.sock"; done
  grep -q "^host: .* EXISTS$" "$HOME/escape-probe-outside.txt" || bad+=" $ESCAPE_MARKER-not-created"
  # for the record: the listening unix sockets of this host, and the socket files alice can connect to
  echo "# ss -xl (listening unix sockets):"; ss -xlH | awk '{ print "  " $1, $5 }' | sort -u
  echo "# socket files (find /run /tmp /var/tmp /var/lib /home /dev -type s), mode owner path:"
  find /run /tmp /var/tmp /var/lib /home /dev -type s -printf '  %m %u %p\n' 2>/dev/null
  [ -z "$bad" ] || fail "outside jbox these do not work, so the escape checks cannot see an escape:$bad"
}
jbox_escape_systemd_run() {
  escape_probe_in "$1"
  local n escaped=
  for n in systemd-run-as-passed systemd-run-env systemd-run-private; do
    probe_rc "$1" $n; [ "$P_RC" != 0 ] || escaped+=" $n"
  done
  ! grep -q "^host: .* EXISTS$" "$HOME/escape-probe-${1// /-}.txt" || escaped+=" ($ESCAPE_MARKER created on the host)"
  [ -z "$escaped" ] || fail "ESCAPE: alice's user manager ran a command for the sandbox:$escaped"
}
jbox_escape_probe_fails() {
  escape_probe_in "$1"
  probe_rc "$1" "$2"; [ "$P_RC" != 0 ] || fail "ESCAPE: $2 succeeded from inside the sandbox"
}
jbox_escape_sockets() {
  escape_probe_in "$1"
  local d reached=
  for d in $ESCAPE_SOCKET_DIRS; do probe_rc "$1" "socket:$d/test.sock"; [ "$P_RC" = 7 ] || reached+=" $d/test.sock"; done
  [ -z "$reached" ] || fail "connected from inside the sandbox to:$reached"
}
jbox_socket_bound() {
  local s=/run/user/1000/test.sock
  test_listeners_start /run/user/1000
  capture jbox run -v "$s:$s" -- curl -sS --max-time 10 --unix-socket "$s" http://jbox-it/
  expect_rc 0; expect_out_has reached
}
