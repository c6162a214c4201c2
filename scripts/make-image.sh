#!/usr/bin/env bash
# Builds dist/nugator-image.tar, an OCI archive of nugatord, nugatorctl and the shim, without pulling
# anything: a minimal Debian root file system made by mmdebstrap from Debian's packages, a Java
# runtime jlinked from the modules nugatord and nugatorctl need, and dist/. buildah commits it FROM
# scratch in a storage of its own (the machine's containers storage is neither read nor changed).
#
# The root file system is cached outside the clone, keyed by everything that goes into it
# (NUGATOR_IMAGE_CACHE, default /var/cache/nugator/rootfs-<hash>.tar); a missing cache is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=$(scripts/find-jdk.sh)}"
[ -x dist/bin/nugatord ] && [ -d dist/shim-bundle ] || { echo "make-image: no dist/ (or no dist/shim-bundle): run make build first" >&2; exit 1; }
for tool in mmdebstrap buildah; do
  command -v "$tool" >/dev/null || { echo "make-image: $tool is missing: apt-get install $tool (make deps does)" >&2; exit 1; }
done
started=$(date +%s)
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

# What nugatord needs at run time from Debian: libc (the JVM, FFM's netlink calls, sqlite-jdbc's and
# netty's bundled native code) and a shell for the launchers and probes. minbase brings both; no
# iproute2 (nugatord speaks rtnetlink itself) and no CNI plugins (delegates are the host's).
release=bookworm
packages=""
# Debian's own mirrors for the release, its updates and its security fixes (mmdebstrap's default for
# a stable release), or the sources.list or deb822 .sources file NUGATOR_DEBIAN_SOURCES names.
sources=${NUGATOR_DEBIAN_SOURCES:-}
[ -z "$sources" ] || [ -f "$sources" ] || { echo "make-image: NUGATOR_DEBIAN_SOURCES=$sources is not a file" >&2; exit 1; }
# Documentation goes, but for the copyright files: they are the licenses of what the image ships.
trim='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/usr/share/man "$1"/usr/share/info'
trim+=' "$1"/usr/share/locale "$1"/usr/share/lintian; find "$1"/usr/share/doc -type f ! -name copyright -delete'
key=$( { printf '%s\n' "$release" minbase merged-usr "$packages" "$trim"; [ -z "$sources" ] || cat "$sources"; } | sha256sum | cut -c1-16)
cache_dir=${NUGATOR_IMAGE_CACHE:-/var/cache/nugator}
rootfs=$cache_dir/rootfs-$key.tar
if [ ! -s "$rootfs" ]; then
  echo "make-image: making the Debian $release root file system (minbase) into $rootfs" >&2
  mkdir -p "$cache_dir"
  # a name of this run's own: two builds at once each make a whole file, and the last rename wins
  part=$rootfs.$$.part
  # merged /usr made by mmdebstrap's hook, not by the usrmerge package (which brings all of perl)
  # its hooks talk even with --quiet: their words are shown only when it fails
  mmdebstrap --quiet --variant=minbase ${packages:+--include="$packages"} --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --customize-hook="$trim" \
    --format=tar "$release" "$part" ${sources:+"$sources"} > "$part.log" 2>&1 || { cat "$part.log" >&2; rm -f "$part" "$part.log"; exit 1; }
  rm -f "$part.log"
  mv "$part" "$rootfs"
else
  echo "make-image: using the cached root file system $rootfs" >&2
fi

work=$(mktemp -d /var/tmp/nugator-image.XXXXXX)
bah() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }
cleanup() {
  local rc=$?
  [ -n "${ctr:-}" ] && bah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work" dist/nugator-image.tar.tmp
  exit "$rc"
}
trap cleanup EXIT

# The daemon's runtime: the modules whose packages nugatord's and nugatorctl's classes really use
# (jdeps, package by package, through the whole class path), plus what is only looked up at run time
# (DNS through JNDI for etcd names). Not --print-module-deps: it follows the jars' module
# descriptors too, and one that names java.desktop would bring AWT into the image for nothing.
# A default CDS archive speeds up every nugatorctl start (the probes run one every few seconds);
# compressed modules cost little with it. The archive for heaps over 32 GiB goes: nugatord's is
# 256 MiB at most.
modules=$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps -recursive -summary --class-path 'dist/lib/daemon/*' \
  dist/lib/daemon/nugator-daemon.jar | sed -nE 's/^.* -> ((java|jdk)\.[a-z.]+)$/\1/p' | sort -u | paste -sd, -)
modules="$modules,jdk.naming.dns"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$work/runtime" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --generate-cds-archive >/dev/null
rm -f "$work/runtime/lib/server/classes_nocoops.jsa"
echo "make-image: nugatord's runtime has $modules" >&2

# /opt/nugator: dist/ less what the image cannot use (nugatord's AOT cache, which fits the build
# machine's JDK only, and its class list, of no use without it) and dist/bin/nugator (the image
# links the bundle's launcher instead), the runtime, and bin/ with the three commands.
mkdir -p "$work/opt/nugator/bin" "$work/opt/nugator/dist"
cp -a dist/bin dist/lib dist/shim-bundle "$work/opt/nugator/dist/"
rm -rf "$work/opt/nugator/dist/bin/nugator" "$work/opt/nugator/dist/lib/nugatord.aot" "$work/opt/nugator/dist/lib/nugatord.classes"
mv "$work/runtime" "$work/opt/nugator/runtime"
ln -s ../dist/bin/nugatord "$work/opt/nugator/bin/nugatord"
ln -s ../dist/bin/nugatorctl "$work/opt/nugator/bin/nugatorctl"
ln -s ../dist/shim-bundle/bin/nugator "$work/opt/nugator/bin/nugator"

ctr=$(bah from scratch)
bah add "$ctr" "$rootfs" / >/dev/null
bah copy "$ctr" "$work/opt/nugator" /opt/nugator >/dev/null
bah config --env PATH=/opt/nugator/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NUGATOR_JAVA=/opt/nugator/runtime/bin/java --workingdir / --cmd '["nugatord", "--help"]' \
  --label org.opencontainers.image.title=nugator --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.licenses=Apache-2.0 "$ctr"
bah commit --quiet --format oci --omit-history --disable-compression=false "$ctr" "oci-archive:$PWD/dist/nugator-image.tar.tmp:localhost/nugator:$version" >/dev/null
mv dist/nugator-image.tar.tmp dist/nugator-image.tar
size=$(stat -c %s dist/nugator-image.tar)
echo "make-image: dist/nugator-image.tar (localhost/nugator:$version): $((size / 1024 / 1024)) MiB" \
  "(root file system $(( $(stat -c %s "$rootfs") / 1024 / 1024 )) MiB, runtime $(du -sm "$work/opt/nugator/runtime" | cut -f1) MiB," \
  "dist $(du -sm "$work/opt/nugator/dist" | cut -f1) MiB), in $(( $(date +%s) - started )) s" >&2
