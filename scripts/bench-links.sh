# shellcheck shell=bash
# Sourced by scripts/bench.sh: issue 3's figures, links on one node. It measures and prints; it
# asserts nothing. Uses bench.sh's $work, $id, $node, $panel, $sock, $dist, $daemon_jvm, $rounds,
# $nlinks, $command_timeout, $load_start, row and mib, and its clean-up trap (which calls
# links_cleanup, then removes every ntb?-$id-* netns made here and nugatord's panel, whatever
# happened).
#   links_add_rounds  ADD (and DEL) of a pod with 4 links whose 4 peers run, and of a pod with no
#                     links, same network config, $rounds rounds after 1 warm-up
#   links_kne         the KNE target: $nlinks links between pod A and pod B, from the first ADD to
#                     every link carrier-up, and both DELs; then the same panel built by ip -batch and
#                     tc -batch as nugatord builds it, and plain veth pairs made by ip -batch
#   links_datapath    iperf3 and ping over one link through nugator's panel, and over a plain veth
#                     pair between two fresh namespaces
#   links_table       prints it all
#   links_cleanup     (from the trap) kills any iperf3 this part started
#
# nugatord's panel: every link end is a veth pair, the pod side in the pod (group 7239015), the
# port in the panel netns ($panel); ports are wired with tc (clsact + u32 catch-all + mirred
# redirect to the peer's port) and up exactly when wired, so a pod side has carrier exactly when its
# peer is reachable.

links_group=7239015   # nugator's interface group of pod sides ("nug")

# All links-bench pods use one network config with no delegates (a links-only network), so the
# figures hold the shim, nugatord and the links and nothing else.
links_conf() {
  jq -n --arg sock "$sock" '{cniVersion: "1.0.0", name: "ntbench-links", type: "nugator", socket: $sock, delegates: []}' \
    >"$work/links.conf"
}

# lcni COMMAND CONTAINER_ID NETNS POD: the shim, called like a runtime; its output in $work/out.
lcni() {
  CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/$3 CNI_IFNAME=eth0 CNI_PATH=$dist/bin:/usr/lib/cni \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=$4" "$dist/bin/nugator" <"$work/links.conf" >"$work/out"
}
lfail() {  # what, exit code
  (($2 > 128)) && exit "$2"
  printf '\nbench: %s failed (exit %s):\n' "$1" "$2" >&2
  cat "$work/out" >&2; echo >&2
  if grep -q '"code":11' "$work/out" 2>/dev/null; then
    echo "bench: nugatord's --command-timeout was $command_timeout s; NUGATOR_BENCH_COMMAND_TIMEOUT=120 raises it" >&2
  fi
  exit 1
}
lbatch() {  # ip|tc, netns, batch file: one -batch run; a failure ends the bench with what failed
  "$1" -n "$2" -batch "$3" || { echo "bench: $1 -n $2 -batch $(basename "$3") failed" >&2; exit 1; }
}
ctl() { NUGATOR_SOCKET=$sock "$dist/bin/nugatorctl" "$@" --timeout 600; }
now() { echo "${EPOCHREALTIME/[.,]/}"; }
# Interfaces in a netns but lo; with a jq filter, those that match it.
devices() { ip -n "$1" -j link show | jq "[.[] | select(.ifname != \"lo\") ${2:+| select($2)}] | length"; }
# How many of a netns' interfaces still redirect their ingress somewhere (tc mirred filters).
wired() {
  ip -n "$1" -j link show | jq -r '.[] | select(.ifname != "lo") | "filter show dev \(.ifname) ingress"' \
    | tc -n "$1" -batch - 2>/dev/null | grep -c mirred || true
}

# nugatord's CPU time so far, in clock ticks (utime + stime, 10 ms each).
daemon_ticks() { awk '{ print $14 + $15 }' /proc/"$daemon_jvm"/stat; }
# Waits until nugatord has been quiet for 1 s (no 100 ms with 2 ticks or more: its store watch is
# done with what came before); prints for how long it was still busy, in microseconds (±0.1 s).
wait_quiet() {
  local t0 last t prev cur
  t0=$(now); last=$t0; prev=$(daemon_ticks)
  while t=$(now); ((t - last < 1000000 && t - t0 < 300000000)); do
    sleep 0.1
    cur=$(daemon_ticks)
    ((cur - prev >= 2)) && last=$(now)
    prev=$cur
  done
  echo $((last - t0))
}

# wait_up NETNS_A NETNS_B N [TIMEOUT_S]: polls `ip -j link` in both until N a<n> and N b<n> have
# carrier; prints the time the successful poll's dumps were done, in microseconds (an upper bound).
# Fails (status 1, a message on stderr) after TIMEOUT_S (300).
wait_up() {
  local t ua ub start
  start=$(now)
  while :; do
    ip -n "$1" -j link show >"$work/poll-a.json"; ip -n "$2" -j link show >"$work/poll-b.json"
    t=$(now)
    ua=$(jq '[.[] | select((.ifname | test("^a[0-9]+$")) and any(.flags[]; . == "LOWER_UP"))] | length' "$work/poll-a.json")
    ub=$(jq '[.[] | select((.ifname | test("^b[0-9]+$")) and any(.flags[]; . == "LOWER_UP"))] | length' "$work/poll-b.json")
    if ((ua >= $3 && ub >= $3)); then echo "$t"; return 0; fi
    ((t - start > ${4:-300} * 1000000)) && { echo "bench: links between $1 and $2 not carrier-up after ${4:-300} s ($ua/$ub of $3)" >&2; return 1; }
    sleep 0.02
  done
}

# -- ADD latency: a pod with 4 links, its 4 peers running; a pod with no links --------------------
links_add_rounds() {
  local k r ns
  mkdir -p "$work/samples"
  {
    echo "name: ntbench-star"
    echo "links:"
    for k in 1 2 3 4; do
      echo "  - a: {pod: bench-c, ifname: e$k, ipv4: 10.200.$k.0/31}"
      echo "    b: {pod: bench-p$k, ifname: e0, ipv4: 10.200.$k.1/31}"
    done
  } >"$work/star.yaml"
  ctl topology apply -f "$work/star.yaml" >"$work/out" 2>&1 || lfail "nugatorctl topology apply (4 links)" $?
  for k in 1 2 3 4; do   # the peers run for the whole section
    ip netns add "ntbl-$id-p$k"
    lcni ADD "ntbench-p$k-$id" "ntbl-$id-p$k" "bench-p$k" || lfail "ADD of peer bench-p$k" $?
  done
  printf 'bench: ADD of a pod with 4 links / no links, %s rounds (+1 warm-up) ' "$rounds" >&2
  for ((r = 0; r <= rounds; r++)); do
    # The pod with 4 links: a new container each round (as a restart). Its peers run, so its ADD
    # makes 4 veth pairs in place (pod side in the fresh netns, port in the panel), addresses them
    # and wires each port to its peer's with tc, ports up; its DEL removes its 4 pod sides in one
    # request (their ports go with them) and takes the 4 peers' ports down.
    ns=ntbl-$id-c$r; ip netns add "$ns"
    t0=$(now)
    lcni ADD "ntbench-c-$id-$r" "$ns" bench-c || lfail "ADD of the pod with 4 links" $?
    t1=$(now)
    if ((r == 0)); then
      k=$(jq '[.interfaces[]? | select(.name | test("^e[1-4]$"))] | length' "$work/out")
      ((k == 4)) || { echo "bench: the ADD result lists $k of 4 link interfaces:" >&2; cat "$work/out" >&2; exit 1; }
    fi
    lcni DEL "ntbench-c-$id-$r" "$ns" bench-c || lfail "DEL of the pod with 4 links" $?
    t2=$(now)
    ip netns del "$ns"
    if ((r > 0)); then echo $((t1 - t0)) >>"$work/samples/add-links4"; echo $((t2 - t1)) >>"$work/samples/del-links4"; fi

    # The pod with no links: same config, a pod name no link mentions.
    ns=ntbl-$id-z$r; ip netns add "$ns"
    t0=$(now)
    lcni ADD "ntbench-z-$id-$r" "$ns" bench-z || lfail "ADD of the pod with no links" $?
    t1=$(now)
    lcni DEL "ntbench-z-$id-$r" "$ns" bench-z || lfail "DEL of the pod with no links" $?
    t2=$(now)
    ip netns del "$ns"
    if ((r > 0)); then echo $((t1 - t0)) >>"$work/samples/add-links0"; echo $((t2 - t1)) >>"$work/samples/del-links0"; fi
    printf '.' >&2
  done
  printf '\n' >&2
  for k in 1 2 3 4; do
    lcni DEL "ntbench-p$k-$id" "ntbl-$id-p$k" "bench-p$k" || lfail "DEL of peer bench-p$k" $?
    ip netns del "ntbl-$id-p$k"
  done
  ctl topology delete ntbench-star >"$work/out" 2>&1 || lfail "nugatorctl topology delete ntbench-star" $?
}

# -- the KNE target: N links between two pods -------------------------------------------------------
# Link i: a<i> in pod A with 198.18.x.y/31 (even), b<i> in pod B with the odd address after it.
# Direct (as before the panel): ref-a (pairs made straight into A and B, A's ends addressed and up)
# then ref-b (B's ends addressed and up).
kne_files() {
  awk -v n="$nlinks" -v w="$work" -v nsb="ntbr-$id-b" 'BEGIN {
    print "name: ntbench-kne" >(w "/kne.yaml"); print "links:" >(w "/kne.yaml")
    for (i = 0; i < n; i++) {
      e = 2 * i; o = e + 1
      ea = sprintf("198.%d.%d.%d/31", 18 + int(e / 65536), int(e / 256) % 256, e % 256)
      ob = sprintf("198.%d.%d.%d/31", 18 + int(o / 65536), int(o / 256) % 256, o % 256)
      printf "  - a: {pod: bench-ka, ifname: a%d, ipv4: %s}\n    b: {pod: bench-kb, ifname: b%d, ipv4: %s}\n", i, ea, i, ob >(w "/kne.yaml")
      printf "link add a%d type veth peer name b%d netns %s\naddr add %s dev a%d\nlink set a%d up\n", i, i, nsb, ea, i, i >(w "/ref-a.batch")
      printf "addr add %s dev b%d\nlink set b%d up\n", ob, i, i >(w "/ref-b.batch")
    }
  }'
}

# The panel by ip and tc, step for step as nugatord builds it (PlanApplier): ADD A (peer not
# running) makes each pair in place, pod side up in nugator's group with the link MTU, port down
# in the panel with its clsact qdisc, and addresses the pod side; ADD B does the same in B, then
# wires both ports (u32 catch-all, mirred redirect to the other port) and brings both up. DEL A removes A's pod sides
# by group (their ports go along), unwires B's ports (their filters) and takes them down; DEL B
# removes B's by group.
# $1: the link MTU nugatord gave a0.
kne_panel_files() {
  awk -v n="$nlinks" -v w="$work" -v p="ntbr-$id-p" -v mtu="$1" -v g="$links_group" 'BEGIN {
    for (i = 0; i < n; i++) {
      e = 2 * i; o = e + 1
      ea = sprintf("198.%d.%d.%d/31", 18 + int(e / 65536), int(e / 256) % 256, e % 256)
      ob = sprintf("198.%d.%d.%d/31", 18 + int(o / 65536), int(o / 256) % 256, o % 256)
      printf "link add a%d up mtu %d group %d type veth peer name pa%d mtu %d netns %s\naddr add %s dev a%d\n", i, mtu, g, i, mtu, p, ea, i >(w "/panel-a.batch")
      printf "link add b%d up mtu %d group %d type veth peer name pb%d mtu %d netns %s\naddr add %s dev b%d\n", i, mtu, g, i, mtu, p, ob, i >(w "/panel-b.batch")
      printf "qdisc add dev pa%d clsact\n", i >(w "/panel-a-qdisc.batch")
      printf "qdisc add dev pb%d clsact\n", i >(w "/panel-b-qdisc.batch")
      for (s = 0; s < 2; s++) {
        from = (s ? "pb" : "pa") i; to = (s ? "pa" : "pb") i
        printf "filter add dev %s ingress prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev %s\n", from, to >(w "/panel-wire.batch")
      }
      printf "link set pa%d up\nlink set pb%d up\n", i, i >(w "/panel-up.batch")
      printf "filter del dev pb%d ingress prio 1\n", i >(w "/panel-unwire.batch")
      printf "link set pb%d down\n", i >(w "/panel-down.batch")
    }
  }'
}

links_kne() {
  local ka=ntbk-$id-a kb=ntbk-$id-b ra=ntbr-$id-a rb=ntbr-$id-b rp=ntbr-$id-p t0 t1 t2 t3 t4
  kne_files
  printf 'bench: %s links between two pods: topology apply, ' "$nlinks" >&2
  t0=$(now)
  ctl topology apply -f "$work/kne.yaml" >"$work/out" 2>&1 || lfail "nugatorctl topology apply ($nlinks links)" $?
  t1=$(now)
  kne_apply=$((t1 - t0))
  printf 'store watch settling, ' >&2
  kne_settle=$(wait_quiet)

  printf 'ADD A, ' >&2
  ip netns add "$ka"; ip netns add "$kb"
  t0=$(now)
  lcni ADD "ntbench-ka-$id" "$ka" bench-ka || lfail "ADD of pod A ($nlinks links)" $?
  t1=$(now)
  cp "$work/out" "$work/kne-add-a.json"
  printf 'ADD B, ' >&2
  lcni ADD "ntbench-kb-$id" "$kb" bench-kb || lfail "ADD of pod B ($nlinks links)" $?
  t2=$(now)
  printf 'carrier, ' >&2
  t3=$(wait_up "$ka" "$kb" "$nlinks") || { ctl status >&2 || true; exit 1; }
  kne_add_a=$((t1 - t0)); kne_add_b=$((t2 - t1)); kne_wait=$((t3 - t2)); kne_total=$((t3 - t0))
  kne_result_ifs=$(jq '[.interfaces[]? | select(.name | test("^a[0-9]+$"))] | length' "$work/kne-add-a.json")
  kne_hwm=$(awk '/^VmHWM:/ {print $2}' /proc/"$daemon_jvm"/status)
  kne_mtu=$(ip -n "$ka" -j link show a0 | jq '.[0].mtu')
  kne_panel_up=$(devices "$panel" 'any(.flags[]; . == "UP")')

  printf 'status, ' >&2
  t0=$(now)
  ctl status -o json >"$work/status.json" 2>"$work/out" || lfail "nugatorctl status -o json" $?
  t1=$(now)
  kne_status=$((t1 - t0))
  kne_status_up=$(jq '[.links[] | select(.state == "up")] | length' "$work/status.json")

  printf 'DEL A, ' >&2
  t0=$(now)
  lcni DEL "ntbench-ka-$id" "$ka" bench-ka || lfail "DEL of pod A ($nlinks links)" $?
  t1=$(now)
  kne_after_a="$(devices "$panel") devices in the panel, $(devices "$panel" 'any(.flags[]; . == "UP")') up, $(wired "$panel") with a redirect; B has $(devices "$kb" '.ifname | test("^b[0-9]+$")') b<i>, $(devices "$kb" 'any(.flags[]; . == "LOWER_UP")') with carrier"
  printf 'DEL B, ' >&2
  lcni DEL "ntbench-kb-$id" "$kb" bench-kb || lfail "DEL of pod B ($nlinks links)" $?
  t2=$(now)
  kne_del_a=$((t1 - t0)); kne_del_b=$((t2 - t1))
  kne_left_pods=$(($(devices "$ka") + $(devices "$kb")))
  kne_left_panel=$(devices "$panel")
  ip netns del "$ka"; ip netns del "$kb"
  t0=$(now)
  ctl topology delete ntbench-kne >"$work/out" 2>&1 || lfail "nugatorctl topology delete ntbench-kne" $?
  kne_delete=$(($(now) - t0))
  kne_hwm_end=$(awk '/^VmHWM:/ {print $2}' /proc/"$daemon_jvm"/status)
  kne_settle_delete=$(wait_quiet)

  # Reference 1: the panel by ip -batch and tc -batch, between fresh pod namespaces and a fresh
  # panel netns with IPv6 off (as nugatord makes its own), the same MTU.
  printf 'panel by ip + tc: ADD A, ADD B, carrier, DEL A, DEL B, ' >&2
  kne_panel_files "$kne_mtu"
  ip netns add "$ra"; ip netns add "$rb"; ip netns add "$rp"
  ip netns exec "$rp" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  t0=$(now)
  lbatch ip "$ra" "$work/panel-a.batch"
  lbatch tc "$rp" "$work/panel-a-qdisc.batch"
  t1=$(now)
  lbatch ip "$rb" "$work/panel-b.batch"
  lbatch tc "$rp" "$work/panel-b-qdisc.batch"
  lbatch tc "$rp" "$work/panel-wire.batch"
  lbatch ip "$rp" "$work/panel-up.batch"
  t2=$(now)
  t3=$(wait_up "$ra" "$rb" "$nlinks") || exit 1
  pref_a=$((t1 - t0)); pref_b=$((t2 - t1)); pref_wait=$((t3 - t2)); pref_total=$((t3 - t0))
  t0=$(now)
  ip -n "$ra" link del group "$links_group"
  t1=$(now)
  lbatch tc "$rp" "$work/panel-unwire.batch"
  lbatch ip "$rp" "$work/panel-down.batch"
  t2=$(now)
  ip -n "$rb" link del group "$links_group"
  t3=$(now)
  pref_del_a=$((t2 - t0)); pref_del_a_group=$((t1 - t0)); pref_del_b=$((t3 - t2))
  pref_left=$(($(devices "$ra") + $(devices "$rb") + $(devices "$rp")))
  ip netns del "$ra"; ip netns del "$rb"; ip netns del "$rp"

  # Reference 2: plain veth pairs, addresses and up, by ip -batch between two fresh namespaces.
  printf 'direct veth by ip, carrier' >&2
  ip netns add "$ra"; ip netns add "$rb"
  t0=$(now)
  lbatch ip "$ra" "$work/ref-a.batch"
  t1=$(now)
  lbatch ip "$rb" "$work/ref-b.batch"
  t2=$(now)
  t3=$(wait_up "$ra" "$rb" "$nlinks") || exit 1
  ref_a=$((t1 - t0)); ref_b=$((t2 - t1)); ref_wait=$((t3 - t2)); ref_total=$((t3 - t0))
  # Untimed: the pairs into a group and deleted by it (one request, where a link del each costs
  # ~18 ms here), so that no netns teardown runs on into what comes next.
  sed -n "s/^link add \(a[0-9]*\) .*/link set \1 group $links_group/p" "$work/ref-a.batch" | ip -n "$ra" -batch - >/dev/null
  ip -n "$ra" link del group "$links_group"
  ip netns del "$ra"; ip netns del "$rb"
  printf '\n' >&2
}

# -- the data path: one link through the panel against a plain veth pair ----------------------------
links_datapath() {
  local pa=ntbl-$id-ia pb=ntbl-$id-ib da=ntbr-$id-ia db=ntbr-$id-ib t
  command -v iperf3 >/dev/null || scripts/install-deps.sh iperf3 >/dev/null 2>&1 || true
  command -v ping >/dev/null || scripts/install-deps.sh iputils-ping >/dev/null 2>&1 || true
  printf 'bench: data path: one link through nugator, ' >&2
  printf 'name: ntbench-dp\nlinks:\n  - a: {pod: bench-ia, ifname: a0, ipv4: 192.0.2.1/30}\n    b: {pod: bench-ib, ifname: b0, ipv4: 192.0.2.2/30}\n' \
    >"$work/dp.yaml"
  ctl topology apply -f "$work/dp.yaml" >"$work/out" 2>&1 || lfail "nugatorctl topology apply (data path link)" $?
  ip netns add "$pa"; ip netns add "$pb"
  lcni ADD "ntbench-ia-$id" "$pa" bench-ia || lfail "ADD of data path pod A" $?
  lcni ADD "ntbench-ib-$id" "$pb" bench-ib || lfail "ADD of data path pod B" $?
  dp_mtu=$(ip -n "$pa" -j link show a0 | jq '.[0].mtu')
  if t=$(wait_up "$pa" "$pb" 1 30); then
    dp_measure panel "$pa" "$pb"
  else
    dp_note+="the panel link had no carrier 30 s after both ADDs; "
    dp_ping[panel]="-"; dp_gbps[panel]="-"
  fi
  lcni DEL "ntbench-ia-$id" "$pa" bench-ia || lfail "DEL of data path pod A" $?
  lcni DEL "ntbench-ib-$id" "$pb" bench-ib || lfail "DEL of data path pod B" $?
  ip netns del "$pa"; ip netns del "$pb"
  ctl topology delete ntbench-dp >"$work/out" 2>&1 || lfail "nugatorctl topology delete ntbench-dp" $?

  printf 'a veth pair, ' >&2
  ip netns add "$da"; ip netns add "$db"
  ip -n "$da" link add a0 mtu "$dp_mtu" type veth peer name b0 mtu "$dp_mtu" netns "$db"
  ip -n "$da" addr add 192.0.2.1/30 dev a0; ip -n "$db" addr add 192.0.2.2/30 dev b0
  ip -n "$da" link set a0 up; ip -n "$db" link set b0 up
  wait_up "$da" "$db" 1 30 >/dev/null || exit 1
  dp_measure direct "$da" "$db"
  ip netns del "$da"; ip netns del "$db"
  printf '\n' >&2
}

declare -A dp_ping=() dp_gbps=()
dp_note=
# in_bg NETNS COMMAND...: runs COMMAND in NETNS and waits for it in the background, output in
# $work/bg.out. ping and iperf3 handle SIGINT and exit normally, and bash then forgets a Ctrl-C
# that came while it waited for them in the foreground; a trapped signal ends a `wait` at once.
in_bg() {
  ip netns exec "$@" >"$work/bg.out" 2>&1 &
  wait $!
}
# dp_measure LABEL NETNS_A NETNS_B: ping, then iperf3 (server in B on 192.0.2.2, client in A); sets
# dp_ping[LABEL] ("avg / mdev" in ms) and dp_gbps[LABEL] (receiver's Gbit/s), or why not.
dp_measure() {
  local rtt pidfile=$work/iperf-$1.pid
  printf '%s: ping, ' "$1" >&2
  if ! command -v ping >/dev/null; then
    dp_ping[$1]="no ping"
  elif ! in_bg "$2" ping -c 2 -W 2 -q 192.0.2.2; then   # also resolves the neighbour
    dp_ping[$1]="no reply"; dp_note+="$1: 192.0.2.2 did not answer ping; "
  else
    in_bg "$2" ping -c 20 -i 0.05 -q 192.0.2.2 || true
    rtt=$(sed -n 's|^rtt [^=]*= [^/]*/\([^/]*\)/[^/]*/\([^ ]*\) ms|\1 / \2|p' "$work/bg.out")
    dp_ping[$1]=${rtt:-"-"}
  fi
  if ! command -v iperf3 >/dev/null; then
    dp_gbps[$1]="-"; return
  fi
  printf 'iperf3, ' >&2
  rm -f "$pidfile"
  ip netns exec "$3" iperf3 -s -D -1 -B 192.0.2.2 -I "$pidfile" || { dp_gbps[$1]="server failed"; return; }
  for _ in $(seq 100); do   # -D returns before the daemon listens
    [ -s "$pidfile" ] && [ -n "$(ip netns exec "$3" ss -Hltn 'sport = :5201')" ] && break
    sleep 0.05
  done
  if in_bg "$2" iperf3 -c 192.0.2.2 -t 4 -J; then
    cp "$work/bg.out" "$work/iperf-$1.json"
    dp_gbps[$1]=$(jq -r '.end.sum_received.bits_per_second / 1e9 | . * 100 | round / 100' "$work/iperf-$1.json")
  else
    dp_gbps[$1]="failed"
    dp_note+="$1: iperf3 -c: $(jq -r '.error // empty' "$work/bg.out" 2>/dev/null | head -c 120); "
  fi
  for _ in $(seq 50); do [ -e "$pidfile" ] || break; sleep 0.1; done   # -1: the server ends after its one test
  links_cleanup
}

# Kills the iperf3 servers this part started (their pid files) and anything left running in the
# data path's namespaces; called after each measurement and by bench.sh's trap.
links_cleanup() {
  local f pid ns
  for f in "$work"/iperf-*.pid; do
    [ -s "$f" ] || continue
    pid=$(tr -dc 0-9 <"$f")
    [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = iperf3 ] && kill -KILL "$pid" 2>/dev/null
    rm -f "$f"
  done
  for ns in "ntbl-$id-ia" "ntbl-$id-ib" "ntbr-$id-ia" "ntbr-$id-ib"; do
    [ -e /run/netns/"$ns" ] || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  done
  return 0
}

# -- the table ---------------------------------------------------------------------------------
links_table() {
  s() { awk -v u="$1" 'BEGIN { printf "%.2f s", u / 1000000 }'; }
  ratio() { [ -n "$2" ] || { printf -- -; return; }; awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'; }
  kne_row() {  # label, nugator, panel by ip + tc, direct (or empty)
    printf '%-30s %15s   %15s %7s   %15s %7s\n' "$1" "$(s "$2")" "$(s "$3")" "$(ratio "$2" "$3")" "$([ -n "$4" ] && s "$4" || echo -)" "$(ratio "$2" "$4")"
  }
  local g p d
  echo
  echo "links on one node: $rounds rounds after 1 warm-up, milliseconds, median and p90 (nearest rank)"
  echo
  table_header "pod with 4 links" "pod with no links"
  row "ADD, through the shim" add-links4 add-links0
  row "DEL, through the shim" del-links4 del-links0
  echo
  echo "KNE target: $nlinks links between two pods (MTU $kne_mtu), one run, seconds"
  echo
  printf '%-30s %15s   %15s %7s   %15s %7s\n' "" "through nugator" "panel, ip + tc" "ratio" "direct veth, ip" "ratio"
  kne_row "first ADD to all carrier-up" "$kne_total" "$pref_total" "$ref_total"
  kne_row "  ADD pod A / A's batch" "$kne_add_a" "$pref_a" "$ref_a"
  kne_row "  ADD pod B / B's, wiring, up" "$kne_add_b" "$pref_b" "$ref_b"
  kne_row "  then until carrier-up" "$kne_wait" "$pref_wait" "$ref_wait"
  kne_row "DEL pod A (goal < 2 s)" "$kne_del_a" "$pref_del_a" ""
  kne_row "DEL pod B (goal < 2 s)" "$kne_del_b" "$pref_del_b" ""
  echo
  printf '%-30s %s\n' "topology apply" "$(s "$kne_apply") (nugatorctl, $nlinks links; then nugatord busy $(s "$kne_settle") more)"
  printf '%-30s %s\n' "status -o json" "$(s "$kne_status") (nugatorctl, all-up; $kne_status_up of $nlinks links up; $kne_panel_up panel devices up)"
  printf '%-30s %s\n' "after DEL A" "$kne_after_a"
  printf '%-30s %s\n' "left after both DELs" "$kne_left_pods link interfaces in the pods, $kne_left_panel devices in the panel (panel by ip + tc: $pref_left)"
  printf '%-30s %s\n' "topology delete" "$(s "$kne_delete") (nugatorctl; then nugatord busy $(s "$kne_settle_delete") more)"
  printf '%-30s %s\n' "peak RSS, nugatord" "$(mib "$kne_hwm") (VmHWM once all $nlinks links were up), $(mib "$kne_hwm_end") after the DELs"
  echo
  echo "data path: one link between two pods on this node (MTU $dp_mtu), against a veth pair of the same MTU between two"
  echo "fresh namespaces, in the same run; ping -c 20 -i 0.05 (after 2 to resolve the neighbour), iperf3 -c -t 4 (one TCP stream)"
  echo
  printf '%-30s %19s   %19s   %10s\n' "" "through the panel" "direct veth" "ratio"
  printf '%-30s %19s   %19s   %10s\n' "ping RTT, avg / mdev, ms" "${dp_ping[panel]:--}" "${dp_ping[direct]:--}" ""
  if command -v iperf3 >/dev/null; then
    p=${dp_gbps[panel]:--}; d=${dp_gbps[direct]:--}
    g=$(awk -v a="$p" -v b="$d" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.0f%%", 100 * a / b; else printf "-" }')
    printf '%-30s %19s   %19s   %10s\n' "iperf3, Gbit/s (goal >= 90%)" "$p" "$d" "$g"
  else
    printf '%-30s %s\n' "iperf3, Gbit/s" "skipped: iperf3 is missing (apt-get install iperf3, or make deps)"
  fi
  [ -z "$dp_note" ] || echo "  ${dp_note%; }"
  echo
  echo "links network: cniVersion 1.0.0, no delegates; pods are K8S_POD_NAME in CNI_ARGS, each its own fresh netns;"
  echo "nugatord's panel: $panel (--panel-netns), started with nsenter --net in the host's mount namespace"
  echo "4 links:  pod bench-c with e1..e4 (/31 each) to 4 running peers; a new container id and netns each round, so"
  echo "          its ADD makes 4 veth pairs (pod side, panel port), addresses them and wires each port to its peer's"
  echo "          port with tc, ports up; its DEL removes its pod sides by group (ports go along), peers' ports go down"
  echo "KNE:      a<i> in pod A, b<i> in pod B, one /31 from 198.18.0.0/15 each end; ADD A then ADD B through the"
  echo "          shim; carrier-up = every a<i> and b<i> shows LOWER_UP in \`ip -n <pod> -j link\` (polled after ADD B)"
  echo "panel, ip + tc: what nugatord does, by ip and tc between fresh namespaces (pods A, B; a panel with IPv6 off):"
  echo "          ADD A = \`ip -n A -batch\` (link add a<i> up mtu M group $links_group type veth peer name pa<i> mtu M"
  echo "          netns P; addr add), then \`tc -n P -batch\` (qdisc add dev pa<i> clsact: as nugatord, a port gets its"
  echo "          qdisc when it is made); ADD B = the same in B for b<i>/pb<i>, then \`tc -n P -batch\` (filter add dev pa<i>"
  echo "          ingress prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev pb<i>; and pb<i> -> pa<i>),"
  echo "          then \`ip -n P -batch\` (link set pa<i> up, pb<i> up); same poll."
  echo "          DEL A = \`ip -n A link del group $links_group\` ($(s "$pref_del_a_group"); ports go along), then \`tc -n P -batch\`"
  echo "          (filter del dev pb<i> ingress prio 1) and \`ip -n P -batch\` (link set pb<i> down); DEL B = \`ip -n B link del"
  echo "          group $links_group\`"
  echo "direct:   \`ip -n A -batch\` (link add a<i> type veth peer name b<i> netns B, addr add, link set up), then"
  echo "          \`ip -n B -batch\` (addr add, link set up), between two fresh namespaces, default MTU; same poll"
  echo "ADD A listed $kne_result_ifs link interfaces in its result"
  echo "nugatord ran with --command-timeout $command_timeout (its default is 60); load average before the run $load_start, after $(cut -d' ' -f1-3 /proc/loadavg)"
}
