# shellcheck shell=bash
# Sourced by scripts/bench.sh: issue 4's figures, many nodes. It measures and prints; it asserts
# nothing. Uses bench.sh's $work, $id, $dist, $command_timeout, pct and mib, and its clean-up trap,
# which calls nodes_cleanup EXIT_CODE (nugatords and etcd members stopped, then every ntb[fhpq]-$id-*
# netns and the nugatords' panels ntbx-$id-panel1..3 removed, whatever happened; on failure the
# nugatord logs' tails first; the work dir goes with bench.sh's).
#   nodes_setup     fabric netns (bridge br0), 3 node netns on it (eth0 198.18.0.1-3/24), a 3-member
#                   etcd cluster (one member per node netns), one nugatord per node on it, each
#                   started with nsenter --net (host mount namespace) and its own --panel-netns
#   nodes_pairs     cross-node pairing latency: $npairs links, pod a<i> on node1, b<i> on node2; from
#                   b<i>'s ADD returning to e1 in both pods up with carrier; each pair followed at
#                   once by the same built by hand as nugatord builds it (per node a veth pair pod
#                   <-> panel, a VXLAN in the panel, wired with tc), so that both meet the same machine
#   nodes_bringup   $nspread pods with 2 links each way (a ring and chords) round-robin on the 3
#                   nodes: from the first ADD to all links up; then ip -batch + tc -batch building
#                   the same panels; peak RSS of each nugatord, etcd requests per ADD; DEL all, leftovers
#   nodes_table     prints it all
# Every link end is a veth whose pod side has carrier exactly when the panels connect it to its
# peer (tc redirect to the peer's port, or to the link's VXLAN device in the panel); no VXLAN device
# is ever in a pod.
# Knobs: NUGATOR_BENCH_PAIRS (100), NUGATOR_BENCH_SPREAD_PODS (200), NUGATOR_BENCH_PARALLEL (8, shims
# at once in the bring-up and the DELs), NUGATOR_BENCH_ETCD_MAX_TXN_OPS (etcd's --max-txn-ops; 0,
# the default, runs etcd with its own limit of 128, which nugator's chunked writes stay under).

npairs=${NUGATOR_BENCH_PAIRS:-100}
nspread=${NUGATOR_BENCH_SPREAD_PODS:-200}
nparallel=${NUGATOR_BENCH_PARALLEL:-8}
pairs_mtu=1450       # replaced by the MTU nugatord gives the first pair's e1
etcd_max_txn_ops=${NUGATOR_BENCH_ETCD_MAX_TXN_OPS:-0}
nodes_pids=()        # etcd members and nugatords, in start order
nodes_jvm=()         # nugatord JVM of node i at index i
nodes_fabric=ntbf-$id-fabric
nodes_endpoints=198.18.0.1:2379,198.18.0.2:2379,198.18.0.3:2379

nhost() { echo "ntbh-$id-$1"; }            # node i's netns
npanel() { echo "ntbx-$id-panel$1"; }     # node i's nugatord's patch panel
nrefpanel() { echo "ntbq-$id-rp$1"; }     # node i's panel in the references by ip and tc
nodes_group=7239015                        # nugator's interface group of pod sides
nwork=$work/nodes          # this part's files (inside bench.sh's work dir)

# Stops what nodes_setup started (nugatords first, then etcd) and removes this run's node netns.
nodes_cleanup() {
  local k pid ns f
  if [ "${1:-0}" -ne 0 ] && [ -d "$nwork" ]; then
    for f in "$nwork"/nugatord?.log "$nwork"/nugatord?.stderr; do
      [ -s "$f" ] && { echo "last lines of $(basename "$f"):" >&2; tail -n 10 "$f" | sed 's/^/   /' >&2; }
    done
  fi
  for ((k = ${#nodes_pids[@]} - 1; k >= 0; k--)); do
    pid=${nodes_pids[k]}
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid"
  done
  for ((k = ${#nodes_pids[@]} - 1; k >= 0; k--)); do
    pid=${nodes_pids[k]}
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  nodes_pids=()
  # the nugatords are stopped: their panels are nobody's now
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^ntb[fhpq]-$id-[0-9a-z-]+$|^ntbx-$id-panel[1-3]$"); do ip netns del "$ns"; done
}

nnow() { echo "${EPOCHREALTIME/[.,]/}"; }
nsleep() { read -rt "$1" -u "$nodes_sleep_fd" || true; }   # no fork: waits on a fifo nobody writes
nctl() { ip netns exec "$(nhost 1)" "$dist/bin/nugatorctl" "$@" --etcd "$nodes_endpoints"; }
nfail() {  # what, exit code, output file
  (($2 > 128)) && exit "$2"
  printf '\nbench: %s failed (exit %s):\n' "$1" "$2" >&2
  cat "$3" >&2 2>/dev/null; echo >&2
  exit 1
}
# ncni COMMAND NODE POD NETNS: the shim as a runtime calls it, against NODE's nugatord; output in
# $nwork/out/POD. ncni_exec replaces the shell that runs it with the shim: run in the background, it
# costs one fork of this shell, as a runtime's fork and exec of a plugin (a subshell that then ran
# the shim as a command forked twice: harness work counted as the shims' CPU).
ncni_exec() {
  CNI_COMMAND=$1 CNI_CONTAINERID=ntbench-$id-$3 CNI_NETNS=/run/netns/$4 CNI_IFNAME=eth0 CNI_PATH=$dist/bin:/usr/lib/cni \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=$3" exec "$dist/bin/nugator" <"$nwork/node$2.conf" >"$nwork/out/$3"
}
ncni() { (ncni_exec "$@"); }
jvm_ticks() { local i s=0; for i in 1 2 3; do s=$((s + $(awk '{ print $14 + $15 }' /proc/"${nodes_jvm[i]}"/stat))); done; echo "$s"; }
# Waits until the 3 nugatords have been quiet for 1 s together (fewer than 3 ticks per 100 ms).
nodes_quiet() {
  local t0 last t prev cur
  t0=$(nnow); last=$t0; prev=$(jvm_ticks)
  while t=$(nnow); ((t - last < 1000000 && t - t0 < 60000000)); do
    sleep 0.1
    cur=$(jvm_ticks)
    ((cur - prev >= 3)) && last=$(nnow)
    prev=$cur
  done
  echo $((last - t0))
}
hwm() { awk '/^VmHWM:/ {print $2}' /proc/"$1"/status; }
# cpu_kinds FILE: CPU time so far, in ticks of 1/100 s, by process kind: this shell's reaped children
# (around run_parallel: the shims), the nugatords' JVMs, what they ran and reaped (the delegates), the
# etcd members. Writes "children nugatords delegates etcd" to FILE. Not in $(...): a subshell has no
# children of ours, so `times` must run in this shell.
cpu_kinds() {
  local i a b n=0 d=0 e=0 c
  times >"$1"
  c=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 100 }' "$1")
  for i in 1 2 3; do
    read -r a b < <(awk '{ print $14 + $15, $16 + $17 }' /proc/"${nodes_jvm[i]}"/stat)
    n=$((n + a)); d=$((d + b))
    e=$((e + $(awk '{ print $14 + $15 }' /proc/"${nodes_pids[i - 1]}"/stat)))
  done
  echo "$c $n $d $e" >"$1"
}
# cpu_delta FROM TO KIND (0 children, 1 nugatords, 2 delegates, 3 etcd): seconds between two cpu_kinds files.
cpu_delta() { awk -v k="$3" 'NR == FNR { split($0, a); next } { split($0, b); printf "%.1f", (b[k + 1] - a[k + 1]) / 100 }' "$1" "$2"; }

# -- set-up ----------------------------------------------------------------------------------------
nodes_setup() {
  local i ns peers="" pid
  { command -v etcd && command -v etcdctl; } >/dev/null || scripts/install-deps.sh etcd-server etcd-client >/dev/null \
    || die "etcd and etcdctl (etcd-server, etcd-client) are needed for the nodes part"
  command -v curl >/dev/null || scripts/install-deps.sh curl >/dev/null || die "curl is needed to read etcd's metrics"
  mkdir -p "$nwork/out" "$nwork/samples"
  mkfifo "$nwork/sleep.fifo"; exec {nodes_sleep_fd}<>"$nwork/sleep.fifo"
  printf 'bench: nodes: fabric, 3 node netns, etcd, ' >&2
  ip netns add "$nodes_fabric"
  ip -n "$nodes_fabric" link add br0 type bridge
  ip -n "$nodes_fabric" link set br0 up
  for i in 1 2 3; do
    ns=$(nhost "$i")
    ip netns add "$ns"
    ip -n "$ns" link add eth0 type veth peer name n$i-"$id" netns "$nodes_fabric"
    ip -n "$nodes_fabric" link set n$i-"$id" master br0 up
    ip -n "$ns" addr add 198.18.0.$i/24 dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    peers+=${peers:+,}m$i=http://198.18.0.$i:2380
  done
  local etcd_extra=()
  ((etcd_max_txn_ops > 0)) && etcd_extra=(--max-txn-ops "$etcd_max_txn_ops")
  for i in 1 2 3; do
    ip netns exec "$(nhost "$i")" env -u ETCDCTL_API etcd --name m$i --data-dir "$nwork/etcd$i" \
      --listen-client-urls http://198.18.0.$i:2379 --advertise-client-urls http://198.18.0.$i:2379 \
      --listen-peer-urls http://198.18.0.$i:2380 --initial-advertise-peer-urls http://198.18.0.$i:2380 \
      --initial-cluster "$peers" --initial-cluster-token ntbench-"$id" --initial-cluster-state new \
      "${etcd_extra[@]}" \
      --logger zap --log-outputs stderr --log-level warn </dev/null >"$nwork/etcd$i.log" 2>&1 &
    nodes_pids+=($!)
  done
  for _ in $(seq 150); do
    ETCDCTL_API=3 ip netns exec "$(nhost 1)" etcdctl --endpoints="$nodes_endpoints" --dial-timeout=1s endpoint health \
      >"$nwork/out/health" 2>&1 && break
    for pid in "${nodes_pids[@]}"; do kill -0 "$pid" 2>/dev/null || { tail "$nwork"/etcd*.log >&2; die "an etcd member exited"; }; done
    sleep 0.2
  done
  ETCDCTL_API=3 ip netns exec "$(nhost 1)" etcdctl --endpoints="$nodes_endpoints" endpoint health >"$nwork/out/health" 2>&1 \
    || { cat "$nwork/out/health" >&2; die "etcd not healthy within 30 s"; }

  printf 'nugatords, ' >&2
  for i in 1 2 3; do
    # nsenter, not `ip netns exec`: nugatord binds its panel under /run/netns, which must be the host's
    nsenter --net=/run/netns/"$(nhost "$i")" -- "$dist/bin/nugatord" --socket "$nwork/n$i.sock" --state-dir "$nwork/state$i" \
      --store etcd://"$nodes_endpoints" --node node$i --node-address 198.18.0.$i --panel-netns /run/netns/"$(npanel "$i")" \
      --log-level warn --log-file "$nwork/nugatord$i.log" --command-timeout "$command_timeout" 2>"$nwork/nugatord$i.stderr" &
    pid=$!
    nodes_pids+=("$pid")
    # nsenter and the launcher both exec, so this is the JVM; look one level down in case not.
    nodes_jvm[i]=$pid
    jq -n --arg sock "$nwork/n$i.sock" '{cniVersion: "1.0.0", name: "ntbench-nodes", type: "nugator", socket: $sock, delegates: []}' \
      >"$nwork/node$i.conf"
  done
  for i in 1 2 3; do
    for _ in $(seq 300); do
      [ -S "$nwork/n$i.sock" ] && break
      kill -0 "${nodes_jvm[i]}" 2>/dev/null || { cat "$nwork/nugatord$i.stderr" "$nwork/nugatord$i.log" >&2; die "nugatord on node$i exited before it was ready"; }
      sleep 0.1
    done
    [ -S "$nwork/n$i.sock" ] || die "nugatord on node$i did not open its socket within 30 s"
    [ "$(cat /proc/"${nodes_jvm[i]}"/comm 2>/dev/null)" = java ] \
      || nodes_jvm[i]=$(ps -o pid= --ppid "${nodes_jvm[i]}" | head -1 | tr -d ' ')
  done
  printf 'ready\n' >&2
}

# Link addresses: one /30 per link from 198.19.0.0/16 (pairs from 198.19.0.4, the bring-up from
# 198.19.16.0), inside the pods' own netns; the underlay is 198.18.0.0/24.

# end_ok NETNS IFNAME: the interface is a veth, up, with carrier (its port in the panel is wired
# through to the peer: the carrier is the cable).
end_ok() {
  local j
  j=$(ip -n "$1" -j -d link show "$2" 2>/dev/null) || return 1
  [[ $j == *'"info_kind":"veth"'* && $j == *'"UP"'* && $j == *'"LOWER_UP"'* ]]
}
# wait_pair NETNS_A NETNS_B: polls both e1 every ~5 ms; prints the time of the successful poll's end
# (microseconds), or nothing after 30 s.
wait_pair() {
  local t start
  start=$(nnow)
  while :; do
    if end_ok "$1" e1 && end_ok "$2" e1; then nnow; return; fi
    t=$(nnow)
    ((t - start > 30000000)) && return
    nsleep 0.005
  done
}

# -- (1) cross-node pairing latency ----------------------------------------------------------------
nodes_pairs() {
  local i na nb t0 t1 t2 t3 a b
  awk -v n="$npairs" -v w="$nwork" 'function ip4(k, h) { k = 4 * k + h; return sprintf("198.19.%d.%d/30", int(k / 256), k % 256) }
    BEGIN {
      print "name: ntbench-pairs" >(w "/pairs.yaml"); print "links:" >(w "/pairs.yaml")
      for (i = 1; i <= n; i++)
        printf "  - a: {pod: pa%d, ifname: e1, ipv4: %s}\n    b: {pod: pb%d, ifname: e1, ipv4: %s}\n", i, ip4(i, 1), i, ip4(i, 2) >(w "/pairs.yaml")
    }'
  printf 'bench: nodes: %s cross-node pairs: topology apply, ' "$npairs" >&2
  t0=$(nnow)
  nctl topology apply -f "$nwork/pairs.yaml" >"$nwork/out/apply" 2>&1 || nfail "nugatorctl topology apply ($npairs links)" $? "$nwork/out/apply"
  pairs_apply=$(($(nnow) - t0))
  pairs_settle=$(nodes_quiet)
  # Each pair through nugator, then the same pair built by hand as nugatord builds it, one after
  # the other: both see the machine as it is at that moment (a drift in its speed over the run
  # moves both columns, not their ratio), and each starts 30 ms after the other's last command, so
  # that neither is timed while the daemons still answer the other's changes. The reference has two
  # pod netns and a panel per node for all its pairs; each of its pairs is deleted, untimed, before
  # the next nugator pair.
  printf 'ADD a, ADD b, poll; ip + tc, poll ' >&2
  pairs_timeouts=0
  local ra=ntbq-$id-pa rb=ntbq-$id-pb
  ip netns add "$ra"; ip netns add "$rb"
  ref_panels 1 2
  for ((i = 1; i <= npairs; i++)); do
    na=ntbp-$id-pa$i; nb=ntbp-$id-pb$i
    ip netns add "$na"; ip netns add "$nb"
    nsleep 0.03
    t0=$(nnow)
    ncni ADD 1 pa$i "$na" || nfail "ADD of pa$i on node1" $? "$nwork/out/pa$i"
    t1=$(nnow)
    ncni ADD 2 pb$i "$nb" || nfail "ADD of pb$i on node2" $? "$nwork/out/pb$i"
    t2=$(nnow)
    t3=$(wait_pair "$na" "$nb")
    if [ -z "$t3" ]; then pairs_timeouts=$((pairs_timeouts + 1)); t3=$(nnow); fi
    echo $((t1 - t0)) >>"$nwork/samples/pair-add-a"; echo $((t2 - t1)) >>"$nwork/samples/pair-add-b"
    echo $((t3 - t2)) >>"$nwork/samples/pair-wait"; echo $((t3 - t0)) >>"$nwork/samples/pair-total"
    ((i == 1)) && pairs_mtu=$(ip -n "$na" -j link show e1 | jq '.[0].mtu // 1450')

    a=$(awk -v k=$((4 * i + 1)) 'BEGIN { printf "198.19.%d.%d/30", int(k / 256), k % 256 }')
    b=$(awk -v k=$((4 * i + 2)) 'BEGIN { printf "198.19.%d.%d/30", int(k / 256), k % 256 }')
    nsleep 0.03
    t0=$(nnow)
    ref_end 1 "$ra" "$a" 2 $((100000 + i))
    ref_end 2 "$rb" "$b" 1 $((100000 + i))
    t1=$(wait_pair "$ra" "$rb")
    [ -n "$t1" ] || { echo "bench: the pair $i built by ip and tc is not up" >&2; exit 1; }
    echo $((t1 - t0)) >>"$nwork/samples/pair-ip"
    ip -n "$ra" link del e1; ip -n "$rb" link del e1   # their ports go along
    ip -n "$(nrefpanel 1)" link del pair-v; ip -n "$(nrefpanel 2)" link del pair-v
    ((i % 10 == 0)) && printf '.' >&2
  done
  ip netns del "$(nrefpanel 1)"; ip netns del "$(nrefpanel 2)"
  ip netns del "$ra"; ip netns del "$rb"
  pairs_hwm=(0 "$(hwm "${nodes_jvm[1]}")" "$(hwm "${nodes_jvm[2]}")" "$(hwm "${nodes_jvm[3]}")")
  printf ' DEL (%s at once), ' "$nparallel" >&2
  for ((i = 1; i <= npairs; i++)); do echo "1 pa$i ntbp-$id-pa$i"; echo "2 pb$i ntbp-$id-pb$i"; done >"$nwork/pairs.pods"
  run_parallel DEL "$nwork/pairs.pods"
  pairs_del_failed=$(shim_failures)
  for ((i = 1; i <= npairs; i++)); do ip netns del ntbp-$id-pa$i; ip netns del ntbp-$id-pb$i; done
  nctl topology delete ntbench-pairs >"$nwork/out/delete" 2>&1 || nfail "nugatorctl topology delete ntbench-pairs" $? "$nwork/out/delete"
  printf '\n' >&2
}

# ref_panels I...: a fresh reference panel for each node I, IPv6 off in it as nugatord has it.
ref_panels() {
  local i
  for i in "$@"; do
    ip netns add "$(nrefpanel "$i")"
    ip netns exec "$(nrefpanel "$i")" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
}
# ref_end NODE POD_NETNS ADDRESS PEER_NODE VNI: one cross-node end as nugatord builds it, by hand:
# e1 in the pod (up, link MTU, nugator's group) paired with port pair-a in the node's panel, its
# address; the VXLAN device pair-v made from the node netns into the panel; both wired with tc
# (clsact, u32 catch-all, mirred redirect to the other), then both up. 4 commands.
ref_end() {
  local rp
  rp=$(nrefpanel "$1")
  ip -n "$2" -batch - <<<"link add e1 up mtu $pairs_mtu group $nodes_group type veth peer name pair-a mtu $pairs_mtu netns $rp
addr add $3 dev e1"
  ip -n "$(nhost "$1")" link add pair-v netns "$rp" mtu "$pairs_mtu" type vxlan id "$5" local 198.18.0."$1" remote 198.18.0."$4" \
    dstport 4789 nolearning dev eth0
  tc -n "$rp" -batch - <<<"qdisc add dev pair-a clsact
filter add dev pair-a ingress prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev pair-v
qdisc add dev pair-v clsact
filter add dev pair-v ingress prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev pair-a"
  ip -n "$rp" -batch - <<<"link set pair-v up
link set pair-a up"
}

# -- (2) 3-node bring-up ---------------------------------------------------------------------------
# Pod s<p> runs on node p%3+1. Links: ring s<p>:r0 -- s<p+1>:r1, chords s<p>:c0 -- s<p+C>:c1 with
# C = n/4 (50 for 200 pods): every pod has 4 links; with 200 pods, 150 of the chords and all of the
# ring cross nodes (a VXLAN device in each panel), 50 chords (wrapping round) stay on one node (port
# to port in its panel).
# spread_files [MTU]: the topology, the wanted interfaces and the count of cross-node links; with
# MTU, the reference's batches too (link L's ports l<L>-a, l<L>-b, its VXLAN device l<L>-v):
#   ref-pod<p>.batch  (ip -n POD) each end: veth pair, pod side up in nugator's group, port in the
#                     panel of the pod's node; its address
#   ref-vx<i>.batch   (ip -n NODE) VXLAN devices made from the node netns into its panel
#   ref-tc<i>.batch   (tc -n PANEL) clsact and a u32 catch-all mirred redirect, each way
#   ref-up<i>.batch   (ip -n PANEL) ports and VXLAN devices up
spread_files() {
  awk -v n="$nspread" -v w="$nwork" -v nsp="ntbq-$id-s" -v rp="ntbq-$id-rp" -v mtu="${1:-}" -v g="$nodes_group" '
    function ip4(k, h) { k = 4 * (k + 1024) + h; return sprintf("198.19.%d.%d/30", int(k / 256), k % 256) }
    function node(p) { return p % 3 + 1 }
    function wire(i, from, to) {
      printf "qdisc add dev %s clsact\nfilter add dev %s ingress prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev %s\n", \
        from, from, to >(w "/ref-tc" i ".batch")
      printf "link set %s up\n", from >(w "/ref-up" i ".batch")
    }
    function end(p, ifn, q, a, L, port) {   # pod p, interface ifn, peer pod q, its address; link L, its port here
      want[p] = want[p] sprintf("%s\"%s\"", want[p] == "" ? "" : ",", ifn)
      if (mtu == "") return
      printf "link add %s up mtu %d group %d type veth peer name %s mtu %d netns %s%d\naddr add %s dev %s\n", \
        ifn, mtu, g, port, mtu, rp, node(p), a, ifn >(w "/ref-pod" p ".batch")
      if (node(p) != node(q)) {
        printf "link add l%d-v netns %s%d mtu %d type vxlan id %d local 198.18.0.%d remote 198.18.0.%d dstport 4789 nolearning dev eth0\n", \
          L, rp, node(p), mtu, 100000 + L, node(p), node(q) >(w "/ref-vx" node(p) ".batch")
        wire(node(p), port, "l" L "-v"); wire(node(p), "l" L "-v", port)
      }
    }
    function link(L, p, ifp, q, ifq) {
      printf "  - a: {pod: s%d, ifname: %s, ipv4: %s}\n    b: {pod: s%d, ifname: %s, ipv4: %s}\n", p, ifp, ip4(L, 1), q, ifq, ip4(L, 2) >(w "/spread.yaml")
      end(p, ifp, q, ip4(L, 1), L, "l" L "-a"); end(q, ifq, p, ip4(L, 2), L, "l" L "-b")
      if (node(p) != node(q)) cross++
      else if (mtu != "") { wire(node(p), "l" L "-a", "l" L "-b"); wire(node(p), "l" L "-b", "l" L "-a") }
    }
    BEGIN {
      c = int(n / 4); if (c < 1) c = 1
      print "name: ntbench-spread" >(w "/spread.yaml"); print "links:" >(w "/spread.yaml")
      for (p = 0; p < n; p++) link(p, p, "r0", (p + 1) % n, "r1")
      for (p = 0; p < n; p++) link(n + p, p, "c0", (p + c) % n, "c1")
      for (i = 1; i <= 3; i++) { printf "" >>(w "/ref-vx" i ".batch"); printf "" >>(w "/ref-tc" i ".batch"); printf "" >>(w "/ref-up" i ".batch") }
      printf "{" >(w "/want.json")
      for (p = 0; p < n; p++) printf "%s\"s%d\":[%s]", p ? "," : "", p, want[p] >(w "/want.json")
      print "}" >(w "/want.json")
      print cross >(w "/cross")
    }'
}

# spread_ready PREFIX: of the pods in $nwork/pending, drops those whose 4 interfaces are veths, UP
# and LOWER_UP, and which hold no VXLAN device; the time the dumps were done goes to $nwork/ready-at.
spread_ready() {
  local p
  : >"$nwork/dump.json"
  while read -r p; do
    { printf '{"pod":"%s","links":' "$p"; ip -n "$1$p" -j -d link show 2>/dev/null || printf '[]'; printf '}\n'; } >>"$nwork/dump.json"
  done <"$nwork/pending"
  nnow >"$nwork/ready-at"
  jq -r --slurpfile want "$nwork/want.json" '
    . as $d | select((([$want[0][$d.pod][] as $w | any($d.links[];
      .ifname == $w and (.linkinfo.info_kind // "") == "veth" and any(.flags[]; . == "UP") and any(.flags[]; . == "LOWER_UP"))] | all)
      and ([$d.links[] | (.linkinfo.info_kind // "") != "vxlan"] | all)) | not) | .pod' \
    "$nwork/dump.json" >"$nwork/pending.next"
  mv "$nwork/pending.next" "$nwork/pending"
}
# wait_spread PREFIX TIMEOUT_S: polls until no pod is pending; prints the time of the last dump, or
# nothing when some are still pending after the timeout.
wait_spread() {
  local start
  start=$(nnow)
  seq 0 $((nspread - 1)) | sed 's/^/s/' >"$nwork/pending"
  while :; do
    spread_ready "$1"
    [ -s "$nwork/pending" ] || { cat "$nwork/ready-at"; return; }
    (($(nnow) - start > $2 * 1000000)) && return
    sleep 0.05
  done
}

# etcd_counts: the 3 members' /metrics summed; prints "unary Range Txn Put DeleteRange LeaseGrant
# keepalive-msgs watch-msgs-sent" (gRPC calls handled, messages on the streams).
etcd_counts() {
  local i
  for i in 1 2 3; do
    ip netns exec "$(nhost "$i")" curl -sf --max-time 5 http://198.18.0.$i:2379/metrics || echo "bench: no metrics from etcd member $i" >&2
  done | awk '
    /^grpc_server_handled_total\{/ && /grpc_type="unary"/ {
      m = $0; sub(/.*grpc_method="/, "", m); sub(/".*/, "", m); u += $NF; by[m] += $NF }
    /^grpc_server_msg_received_total\{/ && /grpc_method="LeaseKeepAlive"/ { ka += $NF }
    /^grpc_server_msg_sent_total\{/ && /grpc_method="Watch"/ { ws += $NF }
    END { printf "%d %d %d %d %d %d %d %d\n", u, by["Range"], by["Txn"], by["Put"], by["DeleteRange"], by["LeaseGrant"], ka, ws }'
}

# run_parallel COMMAND FILE: the shim with COMMAND for each "NODE POD NETNS" line of FILE, in that
# order, $nparallel at once; then, as a runtime would, once more one by one for those that failed.
# Failures (pod, exit code, the shim's output) in $nwork/failed.first and, after the retry, $nwork/failed.
run_parallel() {
  local node pod ns done_pid rest rc
  local -A shims=()   # the shims' pids (a bare wait would wait for etcd and nugatord too), with their pods
  : >"$nwork/failed"
  while read -r node pod ns; do
    ncni_exec "$1" "$node" "$pod" "$ns" &
    shims[$!]=$pod
    if ((${#shims[@]} >= nparallel)); then
      rc=0; wait -n -p done_pid "${!shims[@]}" || rc=$?
      shim_done "$rc" "${shims[$done_pid]}"
      unset "shims[$done_pid]"
    fi
  done <"$2"
  for done_pid in "${!shims[@]}"; do
    rc=0; wait "$done_pid" || rc=$?
    shim_done "$rc" "${shims[$done_pid]}"
  done
  mv "$nwork/failed" "$nwork/failed.first"; : >"$nwork/failed"
  while read -r pod rest; do
    read -r node _ ns < <(grep " $pod " "$2")
    ncni "$1" "$node" "$pod" "$ns" || echo "$pod $? $(head -c 300 "$nwork/out/$pod")" >>"$nwork/failed"
  done <"$nwork/failed.first"
}
# shim_done EXIT POD: a shim of run_parallel ended; a failure goes to $nwork/failed.
shim_done() {
  (($1 == 0)) || echo "$2 $1 $(head -c 300 "$nwork/out/$2")" >>"$nwork/failed"
}
# shim_failures: "N failed, M of them again on the retry" for the last run_parallel, plus the first error.
shim_failures() {
  local n m
  n=$(wc -l <"$nwork/failed.first"); m=$(wc -l <"$nwork/failed")
  printf '%s failed, %s of them again on the retry' "$n" "$m"
  ((n == 0)) || printf ' (first: %s)' "$(head -1 "$nwork/failed.first" | sed 's/"details":.*//' | cut -c1-160)"
}

# spread_up FROM TO: every pod of the bring-up ADDed ($nparallel at once), then polled until all its
# links are up. CPU snapshots cpu.FROM before the ADDs and cpu.TO after them. Sets round_adds,
# round_total, round_wait (microseconds), round_failed (shim_failures) and round_pending (pods not up).
spread_up() {
  local t0 t1 t2
  cpu_kinds "$nwork/cpu.$1"
  t0=$(nnow)
  run_parallel ADD "$nwork/spread.pods"
  t1=$(nnow)
  cpu_kinds "$nwork/cpu.$2"
  round_failed=$(shim_failures)
  printf 'poll, ' >&2
  t2=$(wait_spread ntbp-$id- 120)
  round_pending=$(wc -l <"$nwork/pending")
  [ -n "$t2" ] || t2=$(nnow)
  round_adds=$((t1 - t0)); round_total=$((t2 - t0)); round_wait=$((t2 - t1))
}
# spread_down FROM TO: every pod DELed; CPU snapshots cpu.FROM and cpu.TO around. Sets round_del, round_failed.
spread_down() {
  local t0
  cpu_kinds "$nwork/cpu.$1"
  t0=$(nnow)
  run_parallel DEL "$nwork/spread.pods"
  round_del=$(($(nnow) - t0))
  cpu_kinds "$nwork/cpu.$2"
  round_failed=$(shim_failures)
}

nodes_bringup() {
  local i p t0 t1 t2 before after
  spread_files
  spread_cross=$(cat "$nwork/cross")
  printf 'bench: nodes: %s pods, %s links on 3 nodes: topology apply, ' "$nspread" $((2 * nspread)) >&2
  t0=$(nnow)
  nctl topology apply -f "$nwork/spread.yaml" >"$nwork/out/apply" 2>&1 || nfail "nugatorctl topology apply ($((2 * nspread)) links)" $? "$nwork/out/apply"
  spread_apply=$(($(nnow) - t0))
  spread_settle=$(nodes_quiet)
  for ((p = 0; p < nspread; p++)); do ip netns add ntbp-$id-s$p; echo "$((p % 3 + 1)) s$p ntbp-$id-s$p"; done >"$nwork/spread.pods"
  before=$(etcd_counts)
  printf 'ADDs (%s at once), ' "$nparallel" >&2
  spread_up 0 1
  spread_add_failed=$round_failed; spread_pending=$round_pending
  spread_adds=$round_adds; spread_total=$round_total; spread_wait=$round_wait
  spread_mtu=$(ip -n ntbp-$id-s0 -j link show r0 2>/dev/null | jq '.[0].mtu // 1450')
  spread_panels=$(panel_counts)
  # etcd traffic until the nugatords are quiet again (their watches and reconcilers included)
  spread_settle_up=$(nodes_quiet)
  cpu_kinds "$nwork/cpu.2"
  after=$(etcd_counts)
  read -r -a etcd_before <<<"$before"; read -r -a etcd_after <<<"$after"
  for i in 1 2 3; do spread_hwm[i]=$(hwm "${nodes_jvm[i]}"); done
  printf 'status, ' >&2
  nctl status -o json >"$nwork/status.json" 2>"$nwork/out/status" || nfail "nugatorctl --etcd status -o json" $? "$nwork/out/status"
  spread_status=$(jq -r '([.links[] | select(.state == "up")] | length) as $u | ([.links[] | select(.state == "error")] | length) as $e
    | ([.links[] | select(.vni != null)] | length) as $v | "\($u) up, \($e) error, \($v) with a VNI, of \(.links | length) links"' "$nwork/status.json")
  spread_vnis=$(jq '[.links[] | .vni | select(. != null)] | (length - (unique | length))' "$nwork/status.json")

  printf 'DELs, ' >&2
  spread_down 3 4
  spread_del=$round_del; spread_del_failed=$round_failed
  spread_panels_del=$(panel_counts)
  spread_left_pods=0
  for ((p = 0; p < nspread; p++)); do
    spread_left_pods=$((spread_left_pods + $(ip -n ntbp-$id-s$p -o link show | grep -vc ': lo:' || true)))
  done

  # The same bring-up again, now that the nugatords have run it once: a lab started on nodes whose
  # nugatord has been up a while (its JIT has compiled the ADD path; the first run paid for that).
  printf 'again: ADDs, ' >&2
  nodes_quiet >/dev/null
  spread_up w0 w1
  warm_add_failed=$round_failed; warm_pending=$round_pending
  warm_adds=$round_adds; warm_total=$round_total; warm_wait=$round_wait
  nodes_quiet >/dev/null
  printf 'DELs, ' >&2
  spread_down w2 w3
  warm_del=$round_del; warm_del_failed=$round_failed
  printf 'topology delete, ' >&2
  nctl topology delete ntbench-spread >"$nwork/out/delete" 2>&1 || nfail "nugatorctl topology delete ntbench-spread" $? "$nwork/out/delete"
  t0=$(nnow)
  for _ in $(seq 100); do nodes_leftovers; [ "$nodes_left" = 0 ] && break; sleep 0.2; done
  spread_clean=$(($(nnow) - t0))
  for ((p = 0; p < nspread; p++)); do ip netns del ntbp-$id-s$p; done

  # The reference: the same panels built by ip -batch and tc -batch (fresh pods and panels): one
  # ip batch per pod (its ends made and addressed), then per node one ip batch (VXLAN devices from
  # the node netns into its panel), one tc batch (the wiring) and one ip batch in its panel (up).
  # Three runs, the one with the median total kept: a single run of it varies by a third.
  printf 'ip -batch + tc -batch (3 runs)' >&2
  spread_files "$spread_mtu"
  : >"$nwork/ref-runs"
  for run in 1 2 3; do
    for ((p = 0; p < nspread; p++)); do ip netns add ntbq-$id-s$p; done
    ref_panels 1 2 3
    cpu_kinds "$nwork/cpu.r0"
    t0=$(nnow)
    for ((p = 0; p < nspread; p++)); do
      ip -n ntbq-$id-s$p -batch "$nwork/ref-pod$p.batch" || { echo "bench: ip -batch in pod s$p failed" >&2; exit 1; }
    done
    t1=$(nnow)
    for i in 1 2 3; do
      ip -n "$(nhost "$i")" -batch "$nwork/ref-vx$i.batch" || { echo "bench: ip -batch (VXLAN) in node$i failed" >&2; exit 1; }
      tc -n "$(nrefpanel "$i")" -batch "$nwork/ref-tc$i.batch" || { echo "bench: tc -batch in node$i's panel failed" >&2; exit 1; }
      ip -n "$(nrefpanel "$i")" -batch "$nwork/ref-up$i.batch" || { echo "bench: ip -batch (up) in node$i's panel failed" >&2; exit 1; }
    done
    t2=$(nnow)
    cpu_kinds "$nwork/cpu.r1"
    t3=$(wait_spread ntbq-$id- 60)
    [ -n "$t3" ] || { echo "bench: the interfaces built by ip and tc are not all up" >&2; exit 1; }
    # total, pods, batches, wait, CPU seconds
    echo "$((t3 - t0)) $((t1 - t0)) $((t2 - t0)) $((t3 - t2)) $(cpu_delta "$nwork/cpu.r0" "$nwork/cpu.r1" 0)" >>"$nwork/ref-runs"
    for ((p = 0; p < nspread; p++)); do ip netns del ntbq-$id-s$p; done
    for i in 1 2 3; do ip netns del "$(nrefpanel "$i")"; done
    printf '.' >&2
  done
  read -r ref_spread ref_pods ref_batches ref_wait ref_cpu < <(sort -n "$nwork/ref-runs" | sed -n 2p)
  ref_range=$(sort -n "$nwork/ref-runs" | awk 'NR == 1 { a = $1 } END { printf "%.2f-%.2f s", a / 1000000, $1 / 1000000 }')
  printf '\n' >&2
}

# panel_counts: the devices in each node's panel besides lo, as "N (P ports, V vxlan) / ..." for node1 / 2 / 3.
panel_counts() {
  local i
  for i in 1 2 3; do ip -n "$(npanel "$i")" -j -d link show | jq -r '[.[] | select(.ifname != "lo")]
    | "\(length) (\([.[] | select(.linkinfo.info_kind == "veth")] | length) ports, \([.[] | select(.linkinfo.info_kind == "vxlan")] | length) vxlan)"'; done | paste -sd/ | sed 's|/| / |g'
}

# What is left of nugator's: devices in each nugatord's panel, interfaces in the node netns but lo
# and eth0 (a VXLAN device, a port or an older nugator's parked end there would be ours), etcd keys
# under pods/, vnis/, link-vnis/, errors/. Sets nodes_left (their sum) and nodes_left_line.
nodes_leftovers() {
  local i k panels="" inpanels=0 innodes=0 pods vnis lvnis errs
  for i in 1 2 3; do
    k=$(ip -n "$(npanel "$i")" -j link show | jq '[.[] | select(.ifname != "lo")] | length')
    panels+=${panels:+/}$k; inpanels=$((inpanels + k))
    k=$(ip -n "$(nhost "$i")" -j link show | jq '[.[] | select(.ifname != "lo" and .ifname != "eth0")] | length')
    innodes=$((innodes + k))
  done
  keys() { ETCDCTL_API=3 ip netns exec "$(nhost 1)" etcdctl --endpoints="$nodes_endpoints" get --prefix --keys-only "$1" | grep -c . || true; }
  pods=$(keys /nugator/v1/pods/); vnis=$(keys /nugator/v1/vnis/); lvnis=$(keys /nugator/v1/link-vnis/); errs=$(keys /nugator/v1/errors/)
  nodes_left=$((inpanels + innodes + pods + vnis + lvnis + errs))
  nodes_left_line="devices in the panels (node1/2/3) $panels; in the node netns besides lo, eth0: $innodes; etcd keys: $pods pods/, $vnis vnis/, $lvnis link-vnis/, $errs errors/"
}

# -- the table -------------------------------------------------------------------------------------
nodes_table() {
  local i ms u d
  s() { awk -v u="$1" 'BEGIN { printf "%.2f s", u / 1000000 }'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'; }
  prow() {  # label, nugator samples, reference samples (or -)
    local nm n9 dm="" d9=""
    nm=$(pct "$nwork/samples/$2" 0.5); n9=$(pct "$nwork/samples/$2" 0.99)
    if [ "$3" != - ]; then dm=$(pct "$nwork/samples/$3" 0.5); d9=$(pct "$nwork/samples/$3" 0.99); fi
    printf '%-32s %9s %9s   %9s %9s   %10s\n' "$1" "$nm" "$n9" "$dm" "$d9" "$([ "$3" != - ] && ratio "$nm" "$dm")"
  }
  srow() { printf '%-32s %19s   %19s   %10s\n' "$1" "$(s "$2")" "$([ -n "$3" ] && s "$3")" "$([ -n "$3" ] && ratio "$2" "$3")"; }
  per() { awk -v a="$1" -v b="$2" -v n="$nspread" 'BEGIN { printf "%.1f", (a - b) / n }'; }

  echo
  echo "many nodes: 3 node netns on a fabric bridge, a 3-member etcd cluster (one member per node), one nugatord"
  echo "per node (--store etcd://..., --log-level warn); links-only network (no delegates), pods via the shim"
  echo "etcd $(etcd --version | awk '/^etcd Version/ { print $3 }'), data on $(df --output=source "$nwork" | tail -1), --max-txn-ops $( ((etcd_max_txn_ops > 0)) && echo "$etcd_max_txn_ops" || echo "128 (its default)")"
  echo "host: $(nproc) CPUs, kernel $(uname -r); load average before the run $load_start, after $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "cross-node pairing: $npairs links, pod pa<i> on node1 -- pod pb<i> on node2, one after the other;"
  echo "milliseconds, median and p99 (nearest rank)"
  echo
  printf '%-32s %19s   %19s   %10s\n' "" "through nugator" "ip + tc, by hand" "ratio"
  printf '%-32s %9s %9s   %9s %9s   %10s\n' "" median p99 median p99 median
  prow "ADD b returned -> both up" pair-wait pair-ip
  prow "ADD a start -> both up" pair-total pair-ip
  prow "  ADD a (peer not running)" pair-add-a -
  prow "  ADD b (peer on node1)" pair-add-b -
  echo
  echo "both up: e1 in both pods is a veth, UP, LOWER_UP (the carrier is the cable: its port in the panel is wired"
  echo "through to the other node's), \`ip -n POD -j -d link show e1\` polled every ~5 ms; pairs not up within 30 s: $pairs_timeouts"
  echo "ip + tc, by hand, right after each pair through nugator: what nugatord builds (MTU $pairs_mtu), node1's end then node2's,"
  echo "4 commands each, into two pod netns and a panel netns per node (IPv6 off) kept for all pairs, each pair deleted"
  echo "(untimed) before the next: \`ip -n POD -batch\` (link add e1 up mtu M group $nodes_group type veth"
  echo "peer name pair-a mtu M netns PANEL; addr add), \`ip -n NODE link add pair-v netns PANEL mtu M type vxlan id N local .."
  echo "remote .. dstport 4789 nolearning dev eth0\`, \`tc -n PANEL -batch\` (clsact and a u32 catch-all mirred redirect on"
  echo "pair-a -> pair-v and pair-v -> pair-a), \`ip -n PANEL -batch\` (both up); then the same poll"
  printf '%-32s %s\n' "topology apply ($npairs links)" "$(s "$pairs_apply") (nugatorctl --etcd; then the nugatords busy $(s "$pairs_settle") more)"
  echo
  echo "bring-up: $nspread pods round-robin on 3 nodes, $((2 * nspread)) links (ring + chords, 4 per pod; $spread_cross cross nodes through"
  echo "a VXLAN device in each panel, $((2 * nspread - spread_cross)) on one node port to port); ADDs $nparallel at once; nugator one run (twice: see"
  echo "first, again), ip + tc -batch the median of 3 runs ($ref_range); seconds"
  echo
  printf '%-32s %19s   %19s   %10s\n' "" "through nugator" "ip + tc -batch" "ratio"
  srow "first ADD -> all links up" "$spread_total" "$ref_spread"
  srow "  all ADDs / all batches" "$spread_adds" "$ref_batches"
  srow "  then until all up" "$spread_wait" "$ref_wait"
  srow "DEL of all $nspread pods" "$spread_del" ""
  srow "again: first ADD -> all up" "$warm_total" "$ref_spread"
  srow "  all ADDs / all batches" "$warm_adds" "$ref_batches"
  srow "  then until all up" "$warm_wait" "$ref_wait"
  srow "  DEL of all $nspread pods" "$warm_del" ""
  echo
  echo "first: the nugatords' first bring-up since they started (cold: their JIT compiles the ADD path meanwhile);"
  echo "again: the same pods ADDed and DELed a second time, the same ip + tc reference"
  echo "all up: every pod's 4 interfaces are veths, UP and LOWER_UP, and no VXLAN device is in any pod (\`ip -n POD -j -d"
  echo "link show\` for the pods not yet up, after the last ADD returned, every ~50 ms + dump time)"
  echo "ip + tc -batch: the panels nugatord builds (MTU $spread_mtu), into fresh pod netns and a fresh panel netns per node"
  echo "(IPv6 off): one \`ip -n POD -batch\` per pod (per end: link add IF up mtu M group $nodes_group type veth peer name PORT"
  echo "mtu M netns PANEL; addr add; $(s "$ref_pods") for all pods), then per node \`ip -n NODE -batch\` (link add l<L>-v netns"
  echo "PANEL mtu M type vxlan id .. local .. remote .. dstport 4789 nolearning dev eth0), \`tc -n PANEL -batch\` (clsact and a"
  echo "u32 catch-all mirred redirect, port <-> port or port <-> VXLAN) and \`ip -n PANEL -batch\` (link set up); one after"
  echo "the other; then the same poll"
  c() { cpu_delta "$nwork/cpu.$1" "$nwork/cpu.$2" "$3"; }
  printf '%-32s %s\n' "CPU seconds, bring-up" "shims $(c 0 1 0), nugatords $(c 0 2 1), delegates $(c 0 2 2), etcd members $(c 0 2 3); ip + tc -batch $ref_cpu"
  printf '%-32s %s\n' "CPU seconds, DELs" "shims $(c 3 4 0), nugatords $(c 3 4 1), delegates $(c 3 4 2), etcd members $(c 3 4 3)"
  printf '%-32s %s\n' "CPU seconds, again: bring-up" "shims $(c w0 w1 0), nugatords $(c w0 w2 1), delegates $(c w0 w2 2), etcd members $(c w0 w2 3)"
  printf '%-32s %s\n' "CPU seconds, again: DELs" "shims $(c w2 w3 0), nugatords $(c w2 w3 1), delegates $(c w2 w3 2), etcd members $(c w2 w3 3)"
  echo "  (utime + stime: the shims from this shell's reaped children during the ADDs (DELs); the nugatords and etcd"
  echo "  from /proc/PID/stat, from the first ADD until the nugatords were quiet; delegates are the nugatords' reaped"
  echo "  children; the machine has $(nproc) CPUs, so CPU seconds / $(nproc) bound the wall time they can take)"
  printf '%-32s %s\n' "panels when all were up" "$spread_panels devices (node1 / node2 / node3)"
  printf '%-32s %s\n' "panels after the DELs" "$spread_panels_del devices (a DEL retires its links' VXLAN devices; they are removed"
  printf '%-32s %s\n' "" "together a moment later, in one request per batch)"

  printf '%-32s %s\n' "topology apply ($((2 * nspread)) links)" "$(s "$spread_apply") (nugatorctl --etcd; then the nugatords busy $(s "$spread_settle") more)"
  printf '%-32s %s\n' "ADDs (through the shim)" "$spread_add_failed; pods not up after 120 s: $spread_pending"
  printf '%-32s %s\n' "DELs (through the shim)" "$spread_del_failed"
  printf '%-32s %s\n' "again: ADDs, DELs" "$warm_add_failed; pods not up after 120 s: $warm_pending / $warm_del_failed"
  printf '%-32s %s\n' "DELs of the pairs' pods" "$pairs_del_failed"
  printf '%-32s %s\n' "status after the bring-up" "$spread_status; VNIs held twice: $spread_vnis"
  for i in 1 2 3; do
    printf '%-32s %s\n' "peak RSS, nugatord node$i" "$(mib "${spread_hwm[i]}") (VmHWM after the bring-up; $(mib "${pairs_hwm[i]}") after the pairs)"
  done
  u=$(per "${etcd_after[0]}" "${etcd_before[0]}")
  printf '%-32s %s\n' "etcd requests per ADD" "$u gRPC calls (Range $(per "${etcd_after[1]}" "${etcd_before[1]}"), Txn $(per "${etcd_after[2]}" "${etcd_before[2]}"), Put $(per "${etcd_after[3]}" "${etcd_before[3]}"), DeleteRange $(per "${etcd_after[4]}" "${etcd_before[4]}"), LeaseGrant $(per "${etcd_after[5]}" "${etcd_before[5]}"))"
  printf '%-32s %s\n' "" "+ $(per "${etcd_after[6]}" "${etcd_before[6]}") lease keep-alives and $(per "${etcd_after[7]}" "${etcd_before[7]}") watch messages sent, per ADD"
  echo "  (grpc_server_* summed over the 3 members' /metrics, from before the first ADD to the nugatords quiet after all"
  echo "  links were up ($(s "$spread_settle_up") after); includes every nugatord's watches, reconcilers and lease traffic, divided by $nspread)"
  printf '%-32s %s\n' "left in the pods after the DELs" "$spread_left_pods interfaces besides lo (in the $nspread pods' netns, before their removal)"
  printf '%-32s %s\n' "left after DEL + topology delete" "$nodes_left_line (checked for $(s "$spread_clean"))"
  for i in 1 2 3; do
    d=$(grep -cE '^[^ ].* (WARN|ERROR) ' "$nwork/nugatord$i.log" 2>/dev/null || true)
    ms=$(cat "$nwork/nugatord$i.stderr" 2>/dev/null | grep -c . || true)
    printf '%-32s %s\n' "nugatord node$i log" "${d:-0} WARN/ERROR lines; $ms lines on stderr"
    grep -E '^[^ ].* (WARN|ERROR) ' "$nwork/nugatord$i.log" 2>/dev/null | head -3 | cut -c1-220 | sed 's/^/    /' || true
  done
}
