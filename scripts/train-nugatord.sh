#!/usr/bin/env bash
# Writes nugatord's AOT cache (DIST/lib/nugatord.aot) from a training run of the work a lab's
# bring-up gives it: two nodes on a bridge, a one-member etcd, a topology of 96 pods in a ring with
# chords (links on one node and across nodes), every pod ADDed through the shim and DELed, twice.
# With the cache, nugatord loads its classes from it and, with -XX:+AOTCompileEagerly (the launcher
# gives both), compiles what the training run compiled as soon as those classes are used: its
# first bring-up runs compiled code instead of paying for the JIT in the middle of it.
# The training run compiles at a tenth of the JIT's usual thresholds (-XX:CompileThresholdScaling=0.1):
# a node of the training ADDs 96 pods, and most of the ADD path runs once or a few times per pod, under
# the 200 calls after which C1 compiles a method; a real node's bring-up is no longer, so without the
# lower thresholds that path stayed interpreted in production too (JFR: half the samples of nugatord's
# Java code in a 200-pod bring-up were in the interpreter, in the second bring-up as in the first).
# It also writes DIST/lib/nugatord.classes, the classes that run initialised, in order: nugatord
# initialises them as it starts (ClassWarmup), which is what sets the eager compilations off, so that
# they happen then and not during the first ADDs.
#
# usage: scripts/train-nugatord.sh DIST   (as root; needs etcd and ip, as make test installs them)
# Without etcd it writes nothing and says so: nugatord runs without the cache, only slower to warm.
set -euo pipefail
dist=$(readlink -f "$1")
cache=$dist/lib/nugatord.aot
classes=$dist/lib/nugatord.classes
rm -f "$cache" "$classes"
if ! command -v etcd >/dev/null || ! command -v ip >/dev/null; then
  echo "train-nugatord: no etcd or ip here: nugatord gets no AOT cache (make test installs them; make build again after)" >&2
  exit 0
fi

id=$$-$RANDOM
work=$(mktemp -d)
pids=()
pods=96
fabric=ntaot-$id-f
node() { echo "ntaot-$id-n$1"; }
panel() { echo "/run/netns/ntaot-$id-p$1"; }
cleanup() {
  local rc=$? pid ns
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^ntaot-$id-"); do ip netns del "$ns" 2>/dev/null || true; done
  if ((rc != 0)); then
    echo "train-nugatord: failed; the logs:" >&2
    tail -n 20 "$work"/*.log >&2 2>/dev/null || true
    rm -f "$cache" "$classes"
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

ip netns add "$fabric"
ip -n "$fabric" link add br0 type bridge
ip -n "$fabric" link set br0 up
for i in 1 2; do
  ip netns add "$(node "$i")"
  ip -n "$(node "$i")" link add eth0 type veth peer name n$i netns "$fabric"
  ip -n "$fabric" link set n$i master br0 up
  ip -n "$(node "$i")" addr add 198.18.251.$i/24 dev eth0
  ip -n "$(node "$i")" link set eth0 up
  ip -n "$(node "$i")" link set lo up
done
ip netns exec "$(node 1)" env -u ETCDCTL_API etcd --name train --data-dir "$work/etcd" \
  --listen-client-urls http://198.18.251.1:2379 --advertise-client-urls http://198.18.251.1:2379 \
  --listen-peer-urls http://198.18.251.1:2380 --initial-advertise-peer-urls http://198.18.251.1:2380 \
  --initial-cluster train=http://198.18.251.1:2380 --log-level warn </dev/null >"$work/etcd.log" 2>&1 &
pids+=($!)

# Node 1's nugatord writes the cache at its exit; node 2's is only its peer. nsenter, not ip netns
# exec: nugatord binds its panel under /run/netns, which must be the host's.
for i in 1 2; do
  opts=""
  # %p: the JVM that assembles the cache at the exit is started with the same options and writes its own log
  ((i == 1)) && opts="-XX:AOTCacheOutput=$cache -XX:CompileThresholdScaling=0.1 -Xlog:class+init=info:file=$work/init-%p.log"
  NUGATORD_JAVA_OPTS="$opts" nsenter --net=/run/netns/"$(node "$i")" -- "$dist/bin/nugatord" \
    --socket "$work/n$i.sock" --state-dir "$work/state$i" --store etcd://198.18.251.1:2379 --node train$i \
    --node-address 198.18.251.$i --panel-netns "$(panel "$i")" --log-level warn --log-file "$work/nugatord$i.log" \
    2>"$work/nugatord$i.stderr.log" &
  pids+=($!)
  jq -n --arg sock "$work/n$i.sock" '{cniVersion: "1.0.0", name: "aot-training", type: "nugator", socket: $sock, delegates: []}' >"$work/node$i.conf"
done
for i in 1 2; do
  for _ in $(seq 300); do [ -S "$work/n$i.sock" ] && break; sleep 0.1; done
  [ -S "$work/n$i.sock" ] || { echo "train-nugatord: nugatord on node $i did not start" >&2; exit 1; }
done

# 96 pods, alternately on node 1 and 2: a ring (across nodes) and chords to the pod two on (the same node)
{
  addr() { local k=$((4 * $2 + $3)); echo "198.19.$(($1 + k / 256)).$((k % 256))/30"; }   # base, link, host
  echo "name: aot-training"; echo "links:"
  for ((p = 0; p < pods; p++)); do
    printf '  - a: {pod: t%d, ifname: r0, ipv4: %s}\n    b: {pod: t%d, ifname: r1, ipv4: %s}\n' \
      "$p" "$(addr 240 "$p" 1)" $(((p + 1) % pods)) "$(addr 240 "$p" 2)"
    printf '  - a: {pod: t%d, ifname: c0, ipv4: %s}\n    b: {pod: t%d, ifname: c1, ipv4: %s}\n' \
      "$p" "$(addr 244 "$p" 1)" $(((p + 2) % pods)) "$(addr 244 "$p" 2)"
  done
} >"$work/topology.yaml"
ctl() { ip netns exec "$(node 1)" "$dist/bin/nugatorctl" "$@" --etcd 198.18.251.1:2379; }
ctl topology apply -f "$work/topology.yaml" >"$work/apply.log" 2>&1
for ((p = 0; p < pods; p++)); do ip netns add "ntaot-$id-t$p"; done

cni() {  # command, pod
  local n=$(($2 % 2 + 1))
  CNI_COMMAND=$1 CNI_CONTAINERID=aot-$id-$2 CNI_NETNS=/run/netns/ntaot-$id-t$2 CNI_IFNAME=eth0 CNI_PATH=$dist/bin \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=t$2" "$dist/bin/nugator" <"$work/node$n.conf" >"$work/cni.out" 2>&1 \
    || { echo "train-nugatord: $1 of pod t$2 failed: $(head -c 300 "$work/cni.out")" >&2; return 1; }
}
all() {  # command: every pod, 8 at once (as a kubelet starts pods)
  local p j calls=()
  for ((p = 0; p < pods; p++)); do
    cni "$1" "$p" &
    calls+=($!)
    if ((${#calls[@]} == 8)); then for j in "${calls[@]}"; do wait "$j"; done; calls=(); fi
  done
  for j in "${calls[@]}"; do wait "$j"; done
}
for round in 1 2; do
  all ADD
  ctl status >"$work/status.log" 2>&1
  all DEL
done
ctl topology delete aot-training >"$work/delete.log" 2>&1

# The cache is written as node 1's nugatord exits.
kill -TERM "${pids[1]}"
for _ in $(seq 1200); do kill -0 "${pids[1]}" 2>/dev/null || break; sleep 0.1; done
wait "${pids[1]}" 2>/dev/null || true
[ -s "$cache" ] || { echo "train-nugatord: nugatord wrote no AOT cache" >&2; cat "$work/nugatord1.stderr.log" >&2; exit 1; }
# The classes node 1's nugatord initialised (lines "N Initializing 'a/b/C'"), but those made as it ran,
# which no class loader finds by name: hidden ones (lambdas, lambda forms: "+0x" or "/0x" in the
# name), proxies ($ProxyN) and method handle species (BoundMethodHandle$Species_...).
[ -s "$work/init-${pids[1]}.log" ] || { echo "train-nugatord: nugatord logged no class initialisation" >&2; exit 1; }
sed -n "s|.* Initializing '\([^']*\)'.*|\1|p" "$work/init-${pids[1]}.log" \
  | grep -v -e '+0x' -e '/0x' -e '/\$Proxy[0-9]*$' -e '\$Species_' | tr / . >"$classes.tmp"
mv "$classes.tmp" "$classes"
echo "train-nugatord: $cache ($(($(stat -c %s "$cache") / 1024 / 1024)) MiB), $classes ($(wc -l <"$classes") classes)" >&2
