# Sourced by bench/run and bench/side-by-side: the busybox root filesystem every benchmark uses
# (laid out as jbox's TestRootfs builds it). core/scripts/docker-archive makes an image of it.

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
