#!/usr/bin/env bash
# Lays out dist/ from the Maven build: jars under dist/lib, launchers under dist/bin, and the
# shim's AOT cache, trained against a real nugatord so that the reply path is in it too.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=$(scripts/find-jdk.sh)}"
export JAVA_HOME
java="$JAVA_HOME/bin/java"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

# The launchers find their dist (or bundle) directory from their own path: \$0 itself when it is
# absolute and not a link (no process started), else through one readlink (a CNI bin dir holds a
# link). A shim lives some 30 ms; the two dirname processes this replaced cost some 2 ms of it.
find_home='self=$0; case $self in /*) [ -L "$self" ] && self=$(readlink -f "$self") ;; *) self=$(readlink -f "$self") ;; esac; home=${self%/*/*}'
rm -rf dist.tmp && mkdir -p dist.tmp/bin dist.tmp/lib/daemon
(cd daemon && mvn -B -q -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=../dist.tmp/lib/daemon)
cp daemon/target/nugator-daemon-"$version".jar dist.tmp/lib/daemon/nugator-daemon.jar

# The shim: every flag here is about start-up time and about keeping stdout for the CNI result
# (unified logging writes warnings to stdout unless told otherwise). Native reflection accessors
# spare the security provider lookup behind the first UNIX socket from spinning method handles.
# -Xint: a call lasts some 30 ms, too short for any compiled code to pay back its compilation; the
# interpreter alone spends about 10 ms less CPU per call than C1 (measured: STATUS 36 ms against 47,
# VERSION 27 against 35), and a bring-up of hundreds of pods is bound by the shims' CPU.
# ArchiveRelocationMode=0: map the AOT cache at the address it was written for instead of a random
# one (the JDK's default since 21), which spares relocating every pointer in it, some 3 ms of CPU per
# call (STATUS 31 against 34 ms). The cache's address is then predictable; the shim is Java, with no
# native code of its own that such an address could help an attacker exploit.
# -XX:-AOTReplayTraining: the cache holds the training run's profiles, and by default a thread of the
# JVM's replays them for the JIT, woken by every class the shim initialises; interpreted, the shim
# has no use for them. Measured: 1.3 ms less per call (ADD 23.3 against 22.0 ms, median of 80).
# -XX:-UseContainerSupport: the heap is -Xmx32m whatever the cgroup allows, and one thread does the
# work, so the JVM need not read /proc/self/mountinfo (a line per netns mount on a busy node), the
# cgroup hierarchy's memory and CPU files and /proc/cpuinfo at every start. Measured: 0.5 ms less
# per call (two runs of 80, alternating).
shim_flags="-Xlog:disable -Xlog:all=error:stderr -Xint -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -XX:-AOTReplayTraining -XX:-UseContainerSupport -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -Xmx32m -Djdk.reflect.useNativeAccessorOnly=true"

# The shim bundle: the one way the shim runs, from dist/bin/nugator here and from what `nugatorctl
# install` puts on a host that has no Java. In it:
# - a runtime jlinked from the modules the shim needs (jdeps says which: java.base), whose
#   java.security is the shim's own (shim/src/main/config/shim.security): its first provider answers
#   the SecureRandom that the JDK's first UNIX socket asks for, so that the SUN provider is never
#   built, and there is no 70 KB file of the JDK's to parse (with java.base alone, no other module's
#   provider is built either). Measured: 33 against 26 ms of CPU per STATUS call, then 1 ms less;
# - the shim's classes and the wire's as one module, dev.nugator.shim, linked into that runtime's
#   image (shim/src/main/module/module-info.java): no class path, so no jar to open or check against
#   the AOT cache, and the JDK's provider loader finds UrandomProvider among the modules' services
#   without scanning one. Measured: 55 against 49 million instructions per STATUS call (callgrind),
#   about 2.5 ms less.
# - its own AOT cache, made below by that very runtime (a cache only matches the JVM that wrote it);
# - a launcher that finds the bundle through the link a CNI bin dir holds.
# Uncompressed modules: start-up over size.
bundle=dist.tmp/shim-bundle
mkdir -p "$bundle/bin" "$bundle/lib"
classes=dist.tmp/shim-classes   # inside dist.tmp: a failed build leaves nothing elsewhere
mkdir -p "$classes"
(cd "$classes" && "$JAVA_HOME/bin/jar" --extract --file "$OLDPWD/wire/target/nugator-wire-$version.jar" \
  && "$JAVA_HOME/bin/jar" --extract --file "$OLDPWD/shim/target/nugator-shim-$version.jar" && rm -rf META-INF)
"$JAVA_HOME/bin/javac" --release 25 -d "$classes" --patch-module dev.nugator.shim="$classes" shim/src/main/module/module-info.java
"$JAVA_HOME/bin/jar" --create --no-compress --file dist.tmp/shim-module.jar -C "$classes" .
rm -rf "$classes"
modules=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps dist.tmp/shim-module.jar)
"$JAVA_HOME/bin/jlink" --module-path dist.tmp/shim-module.jar --add-modules dev.nugator.shim --output "$bundle/runtime" \
  --strip-debug --no-man-pages --no-header-files
rm dist.tmp/shim-module.jar
cp shim/src/main/config/shim.security "$bundle/runtime/conf/security/java.security"
# shim_java BUNDLE_DIR: the command line that runs the shim from that bundle (\$-escaped for a launcher)
shim_java() {
  echo "\"$1/runtime/bin/java\" $shim_flags -XX:AOTCache=\"$1/lib/nugator-shim.aot\" -m dev.nugator.shim/dev.nugator.shim.Main"
}
# The installed launcher is run through a link in the CNI bin dir. nugatorctl install writes the way
# from that dir to the bundle into from_link (ShimInstaller), so that such a call finds the bundle by
# string operations alone; readlink, a fork and an exec, costs about 1 ms of each call otherwise.
cat > "$bundle/bin/nugator" <<SH
#!/bin/sh
# nugator CNI shim with its own Java runtime (modules: $modules, and the shim's own, dev.nugator.shim).
# A CNI bin dir holds a link to this file (nugatorctl install makes it); the bundle is found through it.
from_link=''
if [ -n "\$from_link" ] && [ -x "\${0%/*}/\$from_link/runtime/bin/java" ]; then home=\${0%/*}/\$from_link; else $find_home; fi
exec $(shim_java '$home')
SH
cat > dist.tmp/bin/nugator <<SH
#!/bin/sh
# nugator CNI shim: forwards the CNI call to nugatord, run from this dist's shim bundle. Symlink it
# into a CNI bin dir (a copy works too when NUGATOR_HOME names this dist directory).
home=\${NUGATOR_HOME:-}
if [ -z "\$home" ]; then $find_home; fi
exec $(shim_java '$home/shim-bundle')
SH

# The daemon waits on plugins and sockets, not on the CPU: C1 code, a small start heap and a
# small code cache keep its footprint low (bench: 105 MiB peak RSS with the JVM's defaults, 66 without).
# jetcd's protobuf still reads through sun.misc.Unsafe, which JDK 25 warns about unless allowed.
# The etcd client's netty pools direct memory in chunks of 4 MiB by default, two of them with what a
# node sends and receives; chunks of 1 MiB (maxOrder 7) hold the same traffic in far less (bench: peak
# RSS 127-128 against 122 MiB per nugatord in the 200-pod bring-up; etcd messages are small). And
# one arena of each kind, not two per CPU: one event loop and a few callers allocate from them
# (bench harness, 200-pod bring-up without the pairs: 118.9 against 122.1 MiB, CPU the same).
# Its AOT cache (scripts/train-nugatord.sh, below) holds its classes and what a training run of a
# bring-up compiled; it only fits the JVM that wrote it, so another one (NUGATOR_JAVA) runs without.
cat > dist.tmp/bin/nugatord <<SH
#!/bin/sh
# nugatord: the nugator node daemon. Runs in the foreground; --help lists its flags.
home=\${NUGATOR_HOME:-}
if [ -z "\$home" ]; then $find_home; fi
aot=
if [ -z "\${NUGATOR_JAVA:-}" ] && [ -s "\$home/lib/nugatord.aot" ]; then
  aot="-XX:AOTCache=\$home/lib/nugatord.aot -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly"
  [ -s "\$home/lib/nugatord.classes" ] && aot="\$aot -Dnugator.warmup=\$home/lib/nugatord.classes"
fi
# Two malloc arenas, not one per thread that mallocs: the JVM's own threads (C1's above all) and the
# CNI workers then share them (bench, 200-pod bring-up: peak RSS 1.5 MiB less, CPU the same).
export MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}
exec "\${NUGATOR_JAVA:-$java}" -Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -XX:-UsePerfData \\
  -Xms8m -Xmx256m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -Xss1m -Dnugator.process=nugatord -Dio.netty.allocator.maxOrder=7 -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \$aot \${NUGATORD_JAVA_OPTS:-} \\
  -cp "\$home/lib/daemon/*" dev.nugator.daemon.Main "\$@"
SH
cat > dist.tmp/bin/nugatorctl <<SH
#!/bin/sh
# nugatorctl: announce links, apply topologies, show link status. --help lists the commands.
home=\${NUGATOR_HOME:-}
if [ -z "\$home" ]; then $find_home; fi
exec "\${NUGATOR_JAVA:-$java}" -Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -XX:-UsePerfData \\
  -XX:TieredStopAtLevel=1 -Xshare:auto -Dnugator.process=nugatorctl --sun-misc-unsafe-memory-access=allow \\
  -cp "\$home/lib/daemon/*" dev.nugator.cli.Main "\$@"
SH
chmod 755 dist.tmp/bin/* "$bundle/bin/nugator"

# Train the shim's AOT cache on a STATUS call answered by a real nugatord: the request and reply
# path every ADD and DEL takes. (VERSION is answered by the shim alone.)
train=$(mktemp -d)
# The training nugatord's patch panel: a namespace of its own, removed with it (nothing is linked).
panel=ntaot-$$-$RANDOM
stop_training() {
  local rc=$?
  kill "$daemon_pid" 2>/dev/null
  wait "$daemon_pid" 2>/dev/null || true   # it exits 143 on SIGTERM; set -e must not take that for ours
  umount -l /run/netns/"$panel" 2>/dev/null || true; rm -f /run/netns/"$panel"   # what ip netns del does
  rm -rf "$train"
  exit "$rc"
}
trap stop_training EXIT
dist.tmp/bin/nugatord --socket "$train/sock" --state-dir "$train/state" --panel-netns /run/netns/"$panel" \
  --log-level warn 2>"$train/log" &
daemon_pid=$!
for _ in $(seq 100); do [ -S "$train/sock" ] && break; sleep 0.1; done
[ -S "$train/sock" ] || { echo "make-dist: nugatord did not start:" >&2; cat "$train/log" >&2; exit 1; }
# The bundle's runtime makes the call from its own module, with the launcher's flags.
echo "{\"cniVersion\":\"1.1.0\",\"name\":\"aot-training\",\"type\":\"nugator\",\"socket\":\"$train/sock\"}" \
  | CNI_COMMAND=STATUS CNI_PATH="$train" \
  "$bundle/runtime/bin/java" $shim_flags -XX:AOTCacheOutput="$PWD/$bundle/lib/nugator-shim.aot" \
  -m dev.nugator.shim/dev.nugator.shim.Main \
  >/dev/null 2>"$train/aot.log" || { cat "$train/aot.log" >&2; exit 1; }
[ -s "$bundle/lib/nugator-shim.aot" ] || { echo "make-dist: the shim bundle's AOT cache was not written" >&2; exit 1; }
# Its version names the directory it is installed in (/opt/nugator/shim-<version>): the project's
# version and a digest of what runs, so that a rebuild never overwrites the files of a shim running.
digest=$(cd "$bundle" && find bin lib runtime -type f ! -name '*.aot' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
echo "$version-$digest" > "$bundle/VERSION"

rm -rf dist && mv dist.tmp dist
# nugatord's AOT cache, trained where it will run (the cache names the jars by their paths)
scripts/train-nugatord.sh dist
echo "make-dist: dist/bin/nugator, dist/bin/nugatord ready" >&2
