#!/bin/bash
# Regenerates the precompiled default seccomp filters,
#   core/src/main/java/dev/jbox/linux/seccomp/DefaultFilterCode.java,
# from DefaultProfile.java. Run it after changing the default profile, the compiler or the
# syscall tables; PrecompiledFilterTest fails until you do. Needs JDK 25 (JAVA_HOME or PATH).
# Run as the user who owns the worktree (here: asjbox core/scripts/gen-default-filters.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -q -B -o -pl core compile
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp core/target/classes dev.jbox.linux.seccomp.PrecompiledFilter \
  core/src/main/java/dev/jbox/linux/seccomp
