#!/usr/bin/env bash
# make bench: prints, from one run, what nugator costs compared with calling the plugins directly.
#   - the shim's start-to-exit time for VERSION, next to a reference plugin's (loopback) VERSION;
#   - ADD+DEL of the seed's two delegates (macvlan net0 + bridge net1, as in nugator-demo.conf)
#     through the shim and nugatord, next to the same two plugins exec'd directly;
#   - nugatord's and one shim's peak RSS;
#   - links on one node (scripts/bench-links.sh): ADD latency of a pod with 4 links next to a pod
#     with none; the KNE target, 1500 links between two pods from the first ADD to all carrier-up
#     and both DELs, next to ip -batch + tc -batch building the same patch panel and to plain veth
#     pairs made by ip -batch; nugatord's peak RSS after it; iperf3 and ping over a link through the
#     panel next to a plain veth pair;
#   - many nodes (scripts/bench-nodes.sh): 3 node netns, a 3-member etcd cluster, a nugatord each:
#     cross-node pairing latency next to the same panel ends and VXLAN made with ip and tc; a
#     bring-up of 200 pods and 400 links next to ip -batch + tc -batch; each nugatord's peak RSS;
#     etcd requests per ADD.
#   - the kubelet's path (scripts/bench-cri.sh): RunPodSandbox through containerd's CRI of a pod with
#     4 links, next to the same call with the pod network only.
# Everything runs in a node netns made here (fabric netns --veth-- node netns with eth0, cni0),
# with a fresh pod netns for every ADD+DEL round. nugatord runs in the node netns but the host's
# mount namespace (nsenter --net, not ip netns exec), so that the patch panel it binds at
# --panel-netns /run/netns/ntbx-<id>-panel0 is visible here and outlives it; the clean-up removes it
# (ip netns del) after stopping nugatord. It measures and prints; it asserts nothing.
# Knobs (environment): NUGATOR_BENCH_ROUNDS (20), NUGATOR_BENCH_LINKS (1500),
# NUGATOR_BENCH_COMMAND_TIMEOUT (nugatord's --command-timeout, 60), NUGATOR_BENCH_LOG_LEVEL (warn),
# NUGATOR_BENCH_ONLY (all; or a comma-separated list of the parts cni, links, nodes, cri), and the nodes
# part's own (see scripts/bench-nodes.sh).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
dist=$root/dist
rounds=${NUGATOR_BENCH_ROUNDS:-20}
nlinks=${NUGATOR_BENCH_LINKS:-1500}
# nugatord's --command-timeout for the whole run (its default is 60 s; the product allows 1..120).
command_timeout=${NUGATOR_BENCH_COMMAND_TIMEOUT:-60}
only=${NUGATOR_BENCH_ONLY:-all}
want() { [ "$only" = all ] || [[ ",$only," == *",$1,"* ]]; }

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Timestamps are ${EPOCHREALTIME/[.,]/}: microseconds from bash's own clock, no fork per reading,
# so the figures hold the calls and nothing else.

# -- runs inside the node netns (re-exec'd through nsenter; same mount namespace as the caller, so
#    the pod netns it creates are visible to nugatord) ----------------------------------------------
in_node() {
  local r t0 t1 t2 t3
  mkdir -p "$work/samples"
  fail() {
    (($2 > 128)) && exit "$2"   # interrupted: the caller cleans up and says so
    printf 'bench: %s failed (exit %s):\n' "$1" "$2" >&2
    cat "$work/out" >&2; echo >&2
    ip netns del "$pod" 2>/dev/null || true
    exit 1
  }
  export CNI_PATH=$dist/bin:/usr/lib/cni CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default"

  for ((r = 0; r <= rounds; r++)); do   # round 0 warms both paths up and is not recorded
    # VERSION: the shim against nugatord, then the reference loopback plugin.
    t0=${EPOCHREALTIME/[.,]/}
    CNI_COMMAND=VERSION "$dist/bin/nugator" <"$work/nugator.conf" >"$work/out" || fail "nugator VERSION" $?
    t1=${EPOCHREALTIME/[.,]/}
    CNI_COMMAND=VERSION /usr/lib/cni/loopback <"$work/version.json" >"$work/out" || fail "loopback VERSION" $?
    t2=${EPOCHREALTIME/[.,]/}
    # shellcheck disable=SC2086
    "$dist/shim-bundle/runtime/bin/java" $floor_flags -XX:AOTCache="$work/floor/floor.aot" -cp "$work/floor/floor.jar" Floor >"$work/out" || fail "the floor" $?
    t3=${EPOCHREALTIME/[.,]/}
    if ((r > 0)); then
      echo $((t1 - t0)) >>"$work/samples/version-nugator"; echo $((t2 - t1)) >>"$work/samples/version-loopback"
      echo $((t3 - t2)) >>"$work/samples/version-floor"
    fi

    # ADD+DEL through nugator: one call each, nugatord runs macvlan then bridge (DEL in reverse).
    pod=ntbn-$id-$r; ip netns add "$pod"
    export CNI_CONTAINERID=ntbench-n-$id-$r CNI_NETNS=/run/netns/$pod CNI_IFNAME=eth0
    if ((r == 0)); then   # the warm-up ADD also gives one shim's peak RSS
      CNI_COMMAND=ADD /usr/bin/time -f %M -o "$work/shim-add-rss" "$dist/bin/nugator" <"$work/nugator.conf" >"$work/out" || fail "nugator ADD" $?
      CNI_COMMAND=DEL "$dist/bin/nugator" <"$work/nugator.conf" >"$work/out" || fail "nugator DEL" $?
    else
      t0=${EPOCHREALTIME/[.,]/}
      CNI_COMMAND=ADD "$dist/bin/nugator" <"$work/nugator.conf" >"$work/out" || fail "nugator ADD" $?
      t1=${EPOCHREALTIME/[.,]/}
      CNI_COMMAND=DEL "$dist/bin/nugator" <"$work/nugator.conf" >"$work/out" || fail "nugator DEL" $?
      t2=${EPOCHREALTIME/[.,]/}
      echo $((t1 - t0)) >>"$work/samples/add-nugator"; echo $((t2 - t1)) >>"$work/samples/del-nugator"
      echo $((t2 - t0)) >>"$work/samples/adddel-nugator"
    fi
    ip netns del "$pod"

    # The same two plugins exec'd directly, each with its own config and interface name.
    pod=ntbd-$id-$r; ip netns add "$pod"
    export CNI_CONTAINERID=ntbench-d-$id-$r CNI_NETNS=/run/netns/$pod
    t0=${EPOCHREALTIME/[.,]/}
    CNI_COMMAND=ADD CNI_IFNAME=net0 /usr/lib/cni/macvlan <"$work/macvlan.conf" >"$work/out" || fail "macvlan ADD" $?
    CNI_COMMAND=ADD CNI_IFNAME=net1 /usr/lib/cni/bridge <"$work/bridge.conf" >"$work/out" || fail "bridge ADD" $?
    t1=${EPOCHREALTIME/[.,]/}
    CNI_COMMAND=DEL CNI_IFNAME=net1 /usr/lib/cni/bridge <"$work/bridge.conf" >"$work/out" || fail "bridge DEL" $?
    CNI_COMMAND=DEL CNI_IFNAME=net0 /usr/lib/cni/macvlan <"$work/macvlan.conf" >"$work/out" || fail "macvlan DEL" $?
    t2=${EPOCHREALTIME/[.,]/}
    if ((r > 0)); then
      echo $((t1 - t0)) >>"$work/samples/add-direct"; echo $((t2 - t1)) >>"$work/samples/del-direct"
      echo $((t2 - t0)) >>"$work/samples/adddel-direct"
    fi
    ip netns del "$pod"
    printf '.' >&2
  done
  printf '\n' >&2
}

if [ "${1:-}" = --in-node ]; then in_node; exit 0; fi

# -- the caller: set-up, the run, the table, clean-up -------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root (it creates network namespaces)"
[[ $only =~ ^(all|(cni|links|nodes|cri)(,(cni|links|nodes|cri))*)$ ]] || die "NUGATOR_BENCH_ONLY='$only': say all, or some of cni,links,nodes,cri"
[ -x "$dist/bin/nugator" ] && [ -x "$dist/bin/nugatord" ] || die "dist/bin/nugator or nugatord missing: run 'make build' (or 'make bench')"
[ -x /usr/lib/cni/macvlan ] && [ -x /usr/lib/cni/bridge ] || die "/usr/lib/cni has no macvlan/bridge: run 'make deps'"
[ -x /usr/bin/time ] || scripts/install-deps.sh time >/dev/null || die "GNU time (/usr/bin/time) is needed for the shim's peak RSS"
command -v jq >/dev/null || scripts/install-deps.sh jq >/dev/null || die "jq is needed to write the plugin configs"

id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
fabric=ntfab-$id
node=ntnode-$id
panel=ntbx-$id-panel0   # nugatord's patch panel (the nodes part's are ntbx-$id-panel1..3)
work=$(mktemp -d /tmp/ntbench-"$id".XXXX)
sock=$work/nugator.sock
daemon_pid=
export work id rounds dist
. "$root/scripts/bench-links.sh"
. "$root/scripts/bench-nodes.sh"
. "$root/scripts/bench-cri.sh"

cleanup() {
  local rc=$? ns
  trap - EXIT INT TERM
  set +e
  if [ "$rc" -ne 0 ] && [ -s "$work/nugatord.log" -o -s "$work/nugatord.stderr" ]; then
    echo "last lines of the nugatord log:" >&2
    tail -n 20 "$work/nugatord.log" "$work/nugatord.stderr" 2>/dev/null | sed 's/^/   /' >&2
  fi
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid"
    for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$daemon_pid" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
  fi
  links_cleanup
  nodes_cleanup "$rc"
  cri_cleanup
  # pods, references and the panel (nugatord is stopped: the panel is nobody's now)
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^ntb[ndlkrx]-$id-[0-9a-z]+$"); do ip netns del "$ns"; done
  ip netns del "$node" 2>/dev/null
  ip netns del "$fabric" 2>/dev/null
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'printf "\ninterrupted\n" >&2; exit 130' INT
trap 'exit 143' TERM

# nugatord_start NODE PANEL DIR PIDVAR: nugatord in netns NODE with its socket DIR/nugator.sock and its
# state and logs in DIR, its panel bound at /run/netns/PANEL; its pid goes to the variable PIDVAR
# (before the wait, for the clean-up); returns once the socket is there. nsenter, not
# `ip netns exec`: nugatord binds its panel under /run/netns, which must be the host's.
nugatord_start() {
  local pid
  nsenter --net=/run/netns/"$1" -- "$dist/bin/nugatord" --socket "$3/nugator.sock" --state-dir "$3/state" \
    --panel-netns /run/netns/"$2" --log-file "$3/nugatord.log" --log-level "${NUGATOR_BENCH_LOG_LEVEL:-warn}" \
    --command-timeout "$command_timeout" 2>"$3/nugatord.stderr" &
  pid=$!
  printf -v "$4" %s "$pid"
  for _ in $(seq 300); do
    [ -S "$3/nugator.sock" ] && return 0
    kill -0 "$pid" 2>/dev/null || die "nugatord ($3) exited before it was ready"
    sleep 0.1
  done
  die "nugatord did not open $3/nugator.sock within 30 s"
}

# The two header lines of a table comparing nugator's column group ($1) with a reference's ($2).
table_header() {
  printf '%-30s %19s   %19s   %10s\n' "" "$1" "$2" "difference"
  printf '%-30s %9s %9s   %9s %9s   %10s\n' "" median p90 median p90 median
}

# Nearest-rank percentile of a sample file (microseconds), printed in milliseconds.
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(p * NR + 0.999999); if (i < 1) i = 1; printf "%.1f", v[i] / 1000 }'; }
row() {  # label, nugator samples, reference samples
  local nm n9 dm d9
  nm=$(pct "$work/samples/$2" 0.5); n9=$(pct "$work/samples/$2" 0.9)
  dm=$(pct "$work/samples/$3" 0.5); d9=$(pct "$work/samples/$3" 0.9)
  printf '%-30s %9s %9s   %9s %9s   %+10.1f\n' "$1" "$nm" "$n9" "$dm" "$d9" "$(awk -v a="$nm" -v b="$dm" 'BEGIN { print a - b }')"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

if want cni || want links; then
# Configs: the seed's, pointed at this run's socket and lease dir; and each delegate on its own,
# with the cniVersion and name nugatord gives it (inherited from the top level: none => 0.2.0).
jq --arg sock "$sock" --arg ipam "$work/ipam" '.socket = $sock | .delegates |= map(.ipam.dataDir = $ipam)' \
  fixtures/seed/nugator-demo.conf >"$work/nugator.conf"
for d in 0 1; do
  jq --arg ipam "$work/ipam" --argjson d "$d" \
    '. as $top | .delegates[$d] | .cniVersion //= ($top.cniVersion // "0.2.0") | .name //= $top.name | .ipam.dataDir = $ipam' \
    fixtures/seed/nugator-demo.conf >"$work/delegate$d.conf"
done
mv "$work/delegate0.conf" "$work/macvlan.conf"; mv "$work/delegate1.conf" "$work/bridge.conf"
echo '{"cniVersion":"1.0.0","name":"ntbench","type":"loopback"}' >"$work/version.json"

ip netns add "$fabric"
ip netns add "$node"
ip -n "$node" link add eth0 type veth peer name eth0-"$id" netns "$fabric"
ip -n "$fabric" link set eth0-"$id" up
ip -n "$node" link set eth0 up
ip -n "$node" link set lo up
nugatord_start "$node" "$panel" "$work" daemon_pid
# nsenter and the launcher exec, so this is the JVM; look one level down in case a launcher forks.
daemon_jvm=$daemon_pid
[ "$(cat /proc/"$daemon_pid"/comm 2>/dev/null)" = java ] || daemon_jvm=$(ps -o pid= --ppid "$daemon_pid" | head -1 | tr -d ' ')

fi

if want cni; then
# The JVM's own floor for the VERSION row: a class that prints one line, run by the shim bundle's
# runtime with the shim launcher's flags and an AOT cache of its own, trained here.
floor_flags=$(sed -n 's|^exec "[^"]*/runtime/bin/java" \(.*\) -XX:AOTCache=.*|\1|p' "$dist/shim-bundle/bin/nugator")
[ -n "$floor_flags" ] || die "cannot read the JVM flags from $dist/shim-bundle/bin/nugator"
mkdir -p "$work/floor"
printf 'public class Floor { public static void main(String[] a) { System.out.println("{}"); } }\n' >"$work/floor/Floor.java"
jdk=$(scripts/find-jdk.sh)
"$jdk/bin/javac" --release 25 -d "$work/floor/classes" "$work/floor/Floor.java"
"$jdk/bin/jar" --create --no-compress --file "$work/floor/floor.jar" -C "$work/floor/classes" .   # an AOT cache takes jars only
# shellcheck disable=SC2086
"$dist/shim-bundle/runtime/bin/java" $floor_flags -XX:AOTCacheOutput="$work/floor/floor.aot" -cp "$work/floor/floor.jar" Floor \
  >"$work/floor/training.log" 2>&1 || { cat "$work/floor/training.log" >&2; die "the floor's AOT cache could not be made"; }
export floor_flags
printf 'bench: %s rounds (+1 warm-up) in node netns %s ' "$rounds" "$node" >&2
nsenter --net=/run/netns/"$node" -- bash "$root/scripts/bench.sh" --in-node

CNI_COMMAND=VERSION /usr/bin/time -f %M -o "$work/shim-version-rss" "$dist/bin/nugator" <"$work/nugator.conf" >/dev/null
daemon_hwm=$(awk '/^VmHWM:/ {print $2}' /proc/"$daemon_jvm"/status)
leases=$(find "$work/ipam" -type f -regextype posix-extended -regex '.*/[0-9a-f.:]+$' | wc -l)
fi

if want links; then
# Links on one node, with the same nugatord (warm from the rounds above when those ran).
links_conf
links_add_rounds
links_kne
links_datapath
fi

if want nodes; then
# Many nodes: their own netns, etcd cluster and nugatords (the single-node ones above are left idle).
nodes_setup
nodes_pairs
nodes_bringup
fi

# The kubelet's path: its own node netns, nugatord and containerd.
if want cri; then cri_run; fi

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
if want cni; then
echo
echo "nugator bench: $rounds rounds after 1 warm-up, one run; milliseconds, median and p90 (nearest rank)"
echo "host: $(nproc) CPUs ($cpu), kernel $(uname -r)"
echo
table_header "through nugator" "direct / reference"
row "VERSION, start to exit" version-nugator version-loopback
row "  against the JVM's floor" version-nugator version-floor
row "ADD+DEL, macvlan + bridge" adddel-nugator adddel-direct
row "  ADD" add-nugator add-direct
row "  DEL" del-nugator del-direct
echo
printf '%-30s %s\n' "peak RSS, nugatord" "$(mib "$daemon_hwm") (VmHWM after all rounds)"
printf '%-30s %s\n' "peak RSS, one shim" "$(mib "$(cat "$work/shim-version-rss")") for VERSION, $(mib "$(cat "$work/shim-add-rss")") for ADD (GNU time %M)"
echo
echo "through nugator: dist/bin/nugator -> nugatord -> macvlan (net0), bridge (net1); DEL in reverse"
echo "direct:          the same plugins exec'd one after the other with their own configs, from the node netns"
echo "reference:       /usr/lib/cni/loopback VERSION (a Go binary), for the VERSION row; the JVM's floor: a class that"
echo "                 prints one line, run by the shim bundle's runtime with the shim's flags and its own AOT cache"
echo "each ADD+DEL round uses a fresh pod netns; host-local leases left after the run: $leases"
fi

if want links; then links_table; fi
if want nodes; then nodes_table; fi
if want cri; then cri_table; fi
