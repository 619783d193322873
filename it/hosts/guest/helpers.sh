# it/hosts/guest/helpers.sh - workloads and probes the scenarios share (sourced by checklib.sh).

# ---- cgroups, seen from outside the sandbox ---------------------------------------------------

# pid_of_marker MARKER: the pid of the workload started as `sh -c SCRIPT MARKER`
# (the jbox JVM and launcher carry the marker too, but their command lines do not start with sh)
# (fails when there is none: a loop's condition)
pid_of_marker() {
  local pids; pids=$(pgrep -u "$(id -u)" -f -- "^(/bin/|/usr/bin/)?sh -c .* $1\$") || return 1
  echo "${pids%%$'\n'*}"
}

cgroup_dir_of() { echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$1/cgroup")"; }

# limit_in_chain DIR FILE: "dir value" of the first cgroup from DIR upwards (below alice's user
# manager) whose FILE is not "max": where a limit on DIR's processes really comes from
limit_in_chain() {
  local d=$1 v
  while [ -n "$d" ] && [ "$d" != /sys/fs/cgroup ] && [[ $d != */user@1000.service ]]; do
    if [ -r "$d/$2" ]; then
      v=$(cat "$d/$2")
      [[ $v == max* ]] || { echo "$d $v"; return 0; }
    fi
    d=${d%/*}
  done
  return 1
}

stat_field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# jbox's per-sandbox units and cgroups in alice's user manager (jbox-<id>.scope, jbox-<id>.slice),
# which must all be gone after a run; jbox.slice, the parent they share, may stay (empty)
leftover_jbox_units() {
  systemctl --user list-units --all --no-legend --plain 'jbox-*' 2>/dev/null | awk '{ print $1 }'
  find /sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service -type d -name 'jbox-*' 2>/dev/null
}

# ---- workloads ---------------------------------------------------------------------------------

# a memory hog that is the workload itself (pid 1 after exec): tail keeps a newline-free
# stream in memory, 200 MiB of it, read from a fifo in directory $1 (default /tmp)
HOG_SCRIPT='f=${1:-/tmp}/hog.fifo; rm -f "$f"; mkfifo "$f" && { head -c 200M /dev/zero >"$f" & exec tail "$f" >/dev/null; }'
# a fork loop: up to 100 background sleeps, the count so far in $1/count (dash stops at the
# first failed fork with "Cannot fork")
FORK_SCRIPT='i=0; while [ $i -lt 100 ]; do sleep 60 & i=$((i + 1)); echo $i >"$1/count"; done; echo all-forked'
BURN_SCRIPT='while :; do :; done'
# a workload that idles (a loop, so that sh does not exec sleep and lose its marker)
IDLE_SCRIPT='while :; do sleep 1; done'

# ---- an OCI image built from busybox-static -----------------------------------------------------

# blob_add LAYOUT FILE: stores FILE as a blob of the OCI layout, prints "sha256-hex size"
blob_add() {
  local hex size
  hex=$(sha256sum <"$2" | cut -d' ' -f1); size=$(stat -c %s "$2")
  cp "$2" "$1/blobs/sha256/$hex"
  echo "$hex $size"
}

# oci_test_layout DIR: a two-layer image as an OCI image layout (tag "1"):
#   layer 1: busybox and its applets, /etc/passwd, /work, /gone
#   layer 2: /etc/layer2 and a whiteout of /gone
#   config:  Env PATH=/bin IMGVAR=from-config, WorkingDir /work, Cmd prints both
oci_test_layout() {
  local dir=$1 w l hex size diff layers="" diffs="" cfg manifest
  [ -e "$dir/index.json" ] && return 0
  w=$(mktemp -d); mkdir -p "$dir/blobs/sha256"
  mkdir -p "$w/l1/bin" "$w/l1/etc" "$w/l1/work" "$w/l1/tmp" "$w/l2/etc"
  cp /bin/busybox "$w/l1/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$w/l1/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$w/l1/etc/passwd"; echo 'root:x:0:' >"$w/l1/etc/group"
  echo layer1 >"$w/l1/gone"
  echo layer2 >"$w/l2/etc/layer2"; : >"$w/l2/.wh.gone"
  for l in l1 l2; do
    tar --numeric-owner --owner=0 --group=0 --sort=name -C "$w/$l" -cf "$w/$l.tar" .
    diff=$(sha256sum <"$w/$l.tar" | cut -d' ' -f1)
    gzip -n -c "$w/$l.tar" >"$w/$l.tar.gz"
    read -r hex size < <(blob_add "$dir" "$w/$l.tar.gz")
    layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$size}"
    diffs+="${diffs:+,}\"sha256:$diff\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin","IMGVAR=from-config"],"WorkingDir":"/work","Cmd":["/bin/sh","-c","echo image-cmd IMGVAR=$IMGVAR pwd=$(pwd); cat /etc/layer2"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
      "$diffs" >"$w/config.json"
  read -r hex size < <(blob_add "$dir" "$w/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
      "$hex" "$size" "$layers" >"$w/manifest.json"
  read -r hex size < <(blob_add "$dir" "$w/manifest.json")
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
      "$hex" "$size" >"$dir/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  rm -rf "$w"
}

# ---- a local registry (Debian's docker-registry) -------------------------------------------------

REGISTRY=127.0.0.1:5000

# registry_start DIR: serves DIR on $REGISTRY in the background; its pid in DIR/pid
registry_start() {
  mkdir -p "$1/data"
  printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
      "$1/data" "$REGISTRY" >"$1/config.yml"
  docker-registry serve "$1/config.yml" >"$1/log" 2>&1 &
  echo $! >"$1/pid"
  wait_for 60 curl -sf "http://$REGISTRY/v2/"
}
registry_stop() { kill "$(cat "$1/pid")" 2>/dev/null; }

# registry_push LAYOUT REPO TAG: uploads the blobs and the manifest of an OCI layout
registry_push() {
  local layout=$1 repo=$2 tag=$3 blob hex loc manifest
  for blob in "$layout"/blobs/sha256/*; do
    hex=${blob##*/}
    loc=$(curl -sf -X POST -D - -o /dev/null "http://$REGISTRY/v2/$repo/blobs/uploads/" |
          tr -d '\r' | sed -n 's/^[Ll]ocation: *//p')
    [ -n "$loc" ] || return 1
    case $loc in /*) loc=http://$REGISTRY$loc ;; esac
    case $loc in *\?*) loc=$loc\&digest=sha256:$hex ;; *) loc=$loc?digest=sha256:$hex ;; esac
    curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$blob" "$loc" || return 1
  done
  manifest=$(sed -n 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$layout/index.json")
  curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
      --data-binary "@$layout/blobs/sha256/$manifest" "http://$REGISTRY/v2/$repo/manifests/$tag"
}

# ---- HTTP behind a published port --------------------------------------------------------------

# web_root DIR: a document root with a known index.html
web_root() { mkdir -p "$1"; echo "hello from inside jbox" >"$1/index.html"; }
