# Sourced by bench/run and bench/side-by-side: the busybox root filesystem every benchmark uses
# (laid out as jbox's TestRootfs builds it) and a one-layer image of it.

# make_busybox_rootfs DIR: busybox in DIR/bin with a link per applet, the usual directories, passwd.
make_busybox_rootfs() {
  local rootfs="$1" busybox=/bin/busybox applet
  [ -x "$busybox" ] || { echo "bench: needs /bin/busybox (apt install busybox-static)" >&2; return 2; }
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,proc,dev,sys,tmp,root,home,var/tmp}
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
}

# make_docker_archive DIR TAG OUT: a `docker save` archive of DIR as a one-layer image named TAG,
# which `jbox import OUT TAG` takes.
make_docker_archive() {
  local dir="$1" tag="$2" out="$3" work diff arch
  work="$(mktemp -d)"
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
  tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$work/layer.tar" .
  diff="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  printf '{"architecture":"%s","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}\n' \
    "$arch" "$diff" >"$work/config.json"
  printf '[{"Config":"config.json","RepoTags":["%s"],"Layers":["layer.tar"]}]\n' "$tag" >"$work/manifest.json"
  tar -C "$work" -cf "$out" manifest.json config.json layer.tar
  rm -rf "$work"
}
