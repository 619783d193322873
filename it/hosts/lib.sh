# it/hosts/lib.sh - shared by build-image, run-scenario and ci-stage (host side, sourced).
#
# The guest image lives outside the repo, in $JBOX_VM_CACHE (default /var/cache/jbox-vm):
#   debs/                      debootstrap's package cache, shared by every recipe
#   base-<hash>.tar            the last debootstrapped tree (hash of suite, mirror, packages)
#   images/<name>/             one built image: disk.img, vmlinux, initrd.img, recipe.txt, build.log
#   build.lock                 held while an image is being built
# <name> is "bookworm-" + the first 12 hex digits of the recipe hash, so a changed recipe
# (build-image, anything under image/, the JDK copied in) gets a new image and an unchanged
# one is reused.

HOSTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HOSTS_DIR/../.." && pwd)
VM_CACHE=${JBOX_VM_CACHE:-/var/cache/jbox-vm}
JDK_SRC=${JBOX_VM_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
DEBIAN_SUITE=bookworm

die() { echo "$(basename "$0"): $*" >&2; exit 2; }

# Prints what the image is built from, one "hash  name" line per input.
recipe_lines() {
  (cd "$HOSTS_DIR" && find build-image image -type f -print0 | sort -z | xargs -0 sha256sum)
  if [ -r "$JDK_SRC/release" ]; then
    printf '%s  jdk:%s\n' "$(sha256sum <"$JDK_SRC/release" | cut -d' ' -f1)" "$JDK_SRC"
  else
    printf 'missing  jdk:%s\n' "$JDK_SRC"
  fi
}

image_name() { echo "$DEBIAN_SUITE-$(recipe_lines | sha256sum | cut -c1-12)"; }
image_dir() { echo "$VM_CACHE/images/$(image_name)"; }

# seconds since $1 (an epoch with fractions), one decimal
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
