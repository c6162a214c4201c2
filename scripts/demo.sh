#!/usr/bin/env bash
# make demo: the seed's nugator-demo.conf run through the real CNI shim for two pods, the way a
# container runtime would call it. Everything lives in network namespaces this script creates:
#
#   fabric netns ──veth── node netns (eth0: the macvlan master; nugatord; cni0 made by bridge)
#                              ├── pod A netns: net0 (macvlan), net1 (bridge), in1 (the link)
#                              ├── pod B netns: net0 (macvlan), net1 (bridge), in2 (the link)
#                              └── panel netns: nugatord's patch panel, in1's and in2's other sides wired by tc
#
# The root network namespace is never touched. Everything is removed on success, failure and Ctrl-C.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
dist=$root/dist

say() { printf '%s\n' "$*"; }
heading() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }
indent() { sed 's/^/   /'; }

[ "$(id -u)" -eq 0 ] || die "run as root (it creates network namespaces)"
[ -x "$dist/bin/nugator" ] && [ -x "$dist/bin/nugatord" ] || die "dist/bin/nugator or nugatord missing: run 'make build' (or 'make demo')"
[ -x /usr/lib/cni/macvlan ] && [ -x /usr/lib/cni/bridge ] || die "/usr/lib/cni has no macvlan/bridge: run 'make deps'"
command -v jq >/dev/null || scripts/install-deps.sh jq >/dev/null || die "jq is needed to edit the config and read results"
if command -v ping >/dev/null; then ping=(ping); else ping=(busybox ping); fi

id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
fabric=ntfab-$id
node=ntnode-$id
panel=ntpanel-$id
pods=(ntpoda-$id ntpodb-$id)
labels=(A B)
# The seed's announcer job names the two pods of its link; the demo's pods are those two.
set -a; . fixtures/seed/announcer.env; set +a
pod_names=("$POD_NAME" "$PAIR_NAME")
work=$(mktemp -d /tmp/ntdemo-"$id".XXXX)
sock=$work/nugator.sock
daemon_pid=
namespaces=()
declare -A added=()   # pod index -> 1 while the pod is ADDed and not yet DELed

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  heading "Cleaning up"
  local out
  for i in "${!added[@]}"; do
    if out=$(cni_call DEL "$i" 2>&1); then say "DEL pod ${labels[$i]}: ok"
    else say "DEL pod ${labels[$i]} failed: $(jq -r '"CNI error \(.code): \(.msg)"' <<<"$out" 2>/dev/null || printf '%s' "$out")"; fi
  done
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid"
    for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$daemon_pid" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
    say "stopped nugatord (pid $daemon_pid)"
  fi
  local gone=()
  ip netns del "$panel" 2>/dev/null && gone+=("$panel")
  for ((n = ${#namespaces[@]} - 1; n >= 0; n--)); do
    ip netns del "${namespaces[$n]}" 2>/dev/null && gone+=("${namespaces[$n]}")
  done
  [ ${#gone[@]} -eq 0 ] || say "removed netns ${gone[*]}"
  rm -rf "$work" && say "removed $work (config, nugatord state and log, host-local leases)"
  [ "$rc" -eq 0 ] && say "done" || say "demo failed (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'printf "\ninterrupted\n"; exit 130' INT
trap 'exit 143' TERM

# The seed's config as its users wrote it, plus where this demo's nugatord listens and where
# host-local keeps its leases (so that none land in /var/lib/cni).
jq --arg sock "$sock" --arg ipam "$work/ipam" \
  '.socket = $sock | .delegates |= map(.ipam.dataDir = $ipam)' \
  fixtures/seed/nugator-demo.conf >"$work/nugator-demo.conf"

# cni_call COMMAND POD_INDEX: runs the shim like a runtime; result on stdout, exit code kept.
cni_call() {
  CNI_COMMAND=$1 CNI_CONTAINERID=ntctr-${labels[$2],,}-$id CNI_NETNS=/run/netns/${pods[$2]} \
  CNI_IFNAME=eth0 CNI_PATH=$dist/bin:/usr/lib/cni \
  CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=${pod_names[$2]}" \
    "$dist/bin/nugator" <"$work/nugator-demo.conf"
}

show_log_tail() {
  say "last lines of the nugatord log:"
  tail -n 20 "$work/nugatord.log" "$work/nugatord.stderr" 2>/dev/null | indent
}

# One line per interface and address of a CNI result, whatever its version.
summarize_result() {
  jq -r '. as $r
    | "cniVersion \($r.cniVersion // "?")",
      (($r.interfaces // []) | to_entries[]
        | "interface \(.key)  \(.value.name)  \(if .value.sandbox then "in pod" else "on node" end)  mac \(.value.mac // "-")"),
      (($r.ips // [])[]
        | "address    \(.address)  gw \(.gateway // "-")  on \(if .interface == null then "?" else ($r.interfaces[.interface].name // "?") end)"),
      (if $r.ip4 then "ip4        \($r.ip4.ip)  gw \($r.ip4.gateway // "-")" else empty end),
      (if $r.ip6 then "ip6        \($r.ip6.ip)  gw \($r.ip6.gateway // "-")" else empty end)'
}

leases_left() {
  find "$work/ipam" -type f -regextype posix-extended -regex '.*/[0-9a-f.:]+$' 2>/dev/null |
    sed "s|$work/ipam/||" | sort
}

say "nugator demo: the seed's nugator-demo.conf for two pods, through the real CNI shim,"
say "             and the seed's announced link between them"
say "   node   $node: eth0 is a veth to $fabric and the macvlan master; nugatord runs here"
say "   pods   ${pods[0]} (A), ${pods[1]} (B)"
say "   net0   macvlan on the node's eth0, host-local 192.168.122.200-216/24"
say "   net1   bridge cni0 in the node, host-local 10.22.0.0/16, gateway 10.22.0.1"
say "   link   $POD_NAME:$LOCAL_IFNAME $LOCAL_IP <-> $PAIR_NAME:$PAIR_IFNAME $PAIR_IP (fixtures/seed/announcer.env)"

heading "Creating the node and starting nugatord"
namespaces+=("$fabric"); ip netns add "$fabric"
namespaces+=("$node"); ip netns add "$node"
ip -n "$node" link add eth0 type veth peer name eth0-"$id" netns "$fabric"
ip -n "$fabric" link set eth0-"$id" up
ip -n "$node" link set eth0 up
ip -n "$node" link set lo up
# nsenter, not `ip netns exec`: nugatord binds its panel under /run/netns, which must be the host's
nsenter --net=/run/netns/"$node" -- "$dist/bin/nugatord" --socket "$sock" --state-dir "$work/state" \
  --panel-netns /run/netns/"$panel" --log-file "$work/nugatord.log" --log-level info 2>"$work/nugatord.stderr" &
daemon_pid=$!
for _ in $(seq 300); do
  [ -S "$sock" ] && break
  kill -0 "$daemon_pid" 2>/dev/null || { show_log_tail; die "nugatord exited before it was ready"; }
  sleep 0.1
done
[ -S "$sock" ] || { show_log_tail; die "nugatord did not open $sock within 30 s"; }
say "nugatord ready: pid $daemon_pid in $node, socket $sock, patch panel $panel"

heading "Announcing the seed's link (nugatorctl announce, from announcer.env)"
"$dist/bin/nugatorctl" announce --socket "$sock" | indent
say "status before the pods exist:"
"$dist/bin/nugatorctl" status --socket "$sock" | indent

for i in 0 1; do
  heading "ADD pod ${labels[$i]}  (CNI_CONTAINERID=ntctr-${labels[$i],,}-$id CNI_NETNS=/run/netns/${pods[$i]} CNI_IFNAME=eth0)"
  namespaces+=("${pods[$i]}"); ip netns add "${pods[$i]}"
  ip -n "${pods[$i]}" link set lo up
  added[$i]=1
  if ! result=$(cni_call ADD "$i"); then
    say "ADD failed: $(jq -r '"CNI error \(.code): \(.msg)\(if .details and .details != "" then " (" + .details + ")" else "" end)"' <<<"$result" 2>/dev/null || printf '%s' "$result")"
    show_log_tail
    exit 1
  fi
  say "CNI result:"
  summarize_result <<<"$result" | indent
  if jq -e '.ip4 and (.interfaces | not)' <<<"$result" >/dev/null; then
    say "   (the seed's config has no cniVersion, so the result is 0.2.0: it holds one ip4 only)"
  fi
  say "interfaces in pod ${labels[$i]} (ip -br addr):"
  ip -n "${pods[$i]}" -br addr | indent
done

heading "The link: $LOCAL_IFNAME in pod A, $PAIR_IFNAME in pod B"
say "pod A: $(ip -n "${pods[0]}" -br addr show dev "$LOCAL_IFNAME")"
say "pod B: $(ip -n "${pods[1]}" -br addr show dev "$PAIR_IFNAME")"
pair_ip=${PAIR_IP%%/*}
ip netns exec "${pods[0]}" "${ping[@]}" -c 3 -W 2 -I "$LOCAL_IFNAME" "$pair_ip" 2>&1 | indent || die "pod A cannot reach $pair_ip over $LOCAL_IFNAME"
say "nugatorctl status:"
"$dist/bin/nugatorctl" status --socket "$sock" | indent
say "the patch panel (ip -n $panel -br link): each pod's link interface has its other side here"
ip -n "$panel" -br link | indent
say "and tc wires them (tc -n $panel filter show dev <side> ingress):"
for side in $(ip -n "$panel" -br link | awk '$1 != "lo" {sub(/@.*/, "", $1); print $1}'); do
  say "   $side -> $(tc -n "$panel" -j filter show dev "$side" ingress | jq -r '[.[] | .options.actions[]? | select(.kind == "mirred") | .to_dev] | first // "nothing"')"
done

heading "Pod A pings pod B over net1"
b_net1=$(ip -n "${pods[1]}" -4 -o addr show dev net1 | awk '{print $4}' | cut -d/ -f1)
[ -n "$b_net1" ] || die "pod B has no IPv4 address on net1"
say "route in pod A: $(ip -n "${pods[0]}" route get "$b_net1" | head -1)"
ip netns exec "${pods[0]}" "${ping[@]}" -c 3 -W 2 -I net1 "$b_net1" 2>&1 | indent || die "pod A cannot reach pod B's net1 ($b_net1)"

heading "DEL both pods"
say "host-local leases before DEL: $(leases_left | tr '\n' ' ')"
for i in 1 0; do
  if ! result=$(cni_call DEL "$i"); then
    say "DEL pod ${labels[$i]} failed: $result"
    show_log_tail
    exit 1
  fi
  unset "added[$i]"
  say "DEL pod ${labels[$i]}: ok, interfaces left in the pod: $(ip -n "${pods[$i]}" -br link | awk '{print $1}' | tr '\n' ' ')"
  if [ "$i" = 1 ]; then
    say "pod A keeps its end of the link, without carrier: $(ip -n "${pods[0]}" -br link show dev "$LOCAL_IFNAME")"
  fi
done
left=$(ip -n "$panel" -br link | awk '$1 != "lo" {print $1}' | tr '\n' ' ')
say "left in the panel: ${left:-nothing}"
left=$(leases_left)
say "host-local leases after DEL: ${left:-none}"
[ -z "$left" ] || die "DEL left leases behind"
