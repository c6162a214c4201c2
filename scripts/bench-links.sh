# shellcheck shell=bash
# Sourced by scripts/bench.sh: issue 3's figures, links on one node. It measures and prints; it
# asserts nothing. Uses bench.sh's $work, $id, $node, $sock, $dist, $daemon_jvm, $rounds, $nlinks,
# $command_timeout, $load_start, row and mib, and its clean-up trap (which removes every
# ntb?-$id-* netns made here, whatever happened).
#   links_add_rounds  ADD (and DEL) of a pod with 4 links whose 4 peers run, and of a pod with no
#                     links, same network config, $rounds rounds after 1 warm-up
#   links_kne         the KNE target: $nlinks links between pod A and pod B, from the first ADD to
#                     every link carrier-up, then the same veth pairs made with ip -batch
#   links_table       prints both

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
ctl() { NUGATOR_SOCKET=$sock "$dist/bin/nugatorctl" "$@" --timeout 600; }
now() { echo "${EPOCHREALTIME/[.,]/}"; }

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

# wait_up NETNS_A NETNS_B N: polls `ip -j link` in both until N a<n> and N b<n> have carrier;
# prints the time the successful poll's dumps were done, in microseconds (an upper bound).
wait_up() {
  local t ua ub start
  start=$(now)
  while :; do
    ip -n "$1" -j link show >"$work/poll-a.json"; ip -n "$2" -j link show >"$work/poll-b.json"
    t=$(now)
    ua=$(jq '[.[] | select((.ifname | test("^a[0-9]+$")) and any(.flags[]; . == "LOWER_UP"))] | length' "$work/poll-a.json")
    ub=$(jq '[.[] | select((.ifname | test("^b[0-9]+$")) and any(.flags[]; . == "LOWER_UP"))] | length' "$work/poll-b.json")
    if ((ua >= $3 && ub >= $3)); then echo "$t"; return; fi
    ((t - start > 300000000)) && { echo "bench: links not carrier-up after 300 s ($ua/$ub of $3)" >&2; exit 1; }
    sleep 0.02
  done
}

# -- (b) ADD latency: a pod with 4 links, its 4 peers running; a pod with no links --------------
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
    # The pod with 4 links: a new container each round (as a restart), so its 4 ends wait parked
    # between rounds and its ADD moves them into the fresh netns and configures them.
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

# -- (a) the KNE target: N links between two pods -------------------------------------------------
# Link i: a<i> in pod A with 198.18.x.y/31 (even), b<i> in pod B with the odd address after it.
# The reference batches: ref-a (pairs made straight into A and B, A's ends addressed and up) then
# ref-b (B's ends addressed and up); and nugator's own way: park-a (pairs with B's ends in a third
# netns, "parked"), park-move (run there: each moved into B, renamed), then ref-b again.
kne_files() {
  awk -v n="$nlinks" -v w="$work" -v nsb="ntbr-$id-b" -v nsp="ntbr-$id-p" -v nsb2="ntbr-$id-d" 'BEGIN {
    print "name: ntbench-kne" >(w "/kne.yaml"); print "links:" >(w "/kne.yaml")
    for (i = 0; i < n; i++) {
      e = 2 * i; o = e + 1
      ea = sprintf("198.%d.%d.%d/31", 18 + int(e / 65536), int(e / 256) % 256, e % 256)
      ob = sprintf("198.%d.%d.%d/31", 18 + int(o / 65536), int(o / 256) % 256, o % 256)
      printf "  - a: {pod: bench-ka, ifname: a%d, ipv4: %s}\n    b: {pod: bench-kb, ifname: b%d, ipv4: %s}\n", i, ea, i, ob >(w "/kne.yaml")
      printf "link add a%d type veth peer name b%d netns %s\naddr add %s dev a%d\nlink set a%d up\n", i, i, nsb, ea, i, i >(w "/ref-a.batch")
      printf "addr add %s dev b%d\nlink set b%d up\n", ob, i, i >(w "/ref-b.batch")
      printf "link add a%d type veth peer name p%d netns %s\naddr add %s dev a%d\nlink set a%d up\n", i, i, nsp, ea, i, i >(w "/park-a.batch")
      printf "link set p%d netns %s name b%d\n", i, nsb2, i >(w "/park-move.batch")
    }
  }'
}

links_kne() {
  local ka=ntbk-$id-a kb=ntbk-$id-b ra=ntbr-$id-a rb=ntbr-$id-b rp=ntbr-$id-p ra2=ntbr-$id-c rb2=ntbr-$id-d t0 t1 t2 t3 t4
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
  t3=$(wait_up "$ka" "$kb" "$nlinks")
  kne_add_a=$((t1 - t0)); kne_add_b=$((t2 - t1)); kne_wait=$((t3 - t2)); kne_total=$((t3 - t0))
  kne_result_ifs=$(jq '[.interfaces[]? | select(.name | test("^a[0-9]+$"))] | length' "$work/kne-add-a.json")
  kne_hwm=$(awk '/^VmHWM:/ {print $2}' /proc/"$daemon_jvm"/status)

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
  kne_parked=$(ip -n "$node" -o link show | grep -c ': nug[0-9a-f]\{11\}[@:]' || true)
  printf 'DEL B, ' >&2
  lcni DEL "ntbench-kb-$id" "$kb" bench-kb || lfail "DEL of pod B ($nlinks links)" $?
  t2=$(now)
  kne_del_a=$((t1 - t0)); kne_del_b=$((t2 - t1))
  kne_left_pods=$(( $(ip -n "$ka" -o link show | grep -c ': a[0-9]*[@:]' || true) + $(ip -n "$kb" -o link show | grep -c ': b[0-9]*[@:]' || true) ))
  kne_left_parked=$(ip -n "$node" -o link show | grep -c ': nug[0-9a-f]\{11\}[@:]' || true)
  ip netns del "$ka"; ip netns del "$kb"
  t0=$(now)
  ctl topology delete ntbench-kne >"$work/out" 2>&1 || lfail "nugatorctl topology delete ntbench-kne" $?
  kne_delete=$(($(now) - t0))
  kne_hwm_end=$(awk '/^VmHWM:/ {print $2}' /proc/"$daemon_jvm"/status)
  kne_settle_delete=$(wait_quiet)

  # The reference: the same pairs, addresses and up, by ip -batch between two fresh namespaces.
  printf 'ip -batch: direct, carrier, ' >&2
  ip netns add "$ra"; ip netns add "$rb"
  t0=$(now)
  ip -n "$ra" -batch "$work/ref-a.batch" || { echo "bench: ip -batch in $ra failed" >&2; exit 1; }
  t1=$(now)
  ip -n "$rb" -batch "$work/ref-b.batch" || { echo "bench: ip -batch in $rb failed" >&2; exit 1; }
  t2=$(now)
  t3=$(wait_up "$ra" "$rb" "$nlinks")
  ref_a=$((t1 - t0)); ref_b=$((t2 - t1)); ref_batch=$((t2 - t0)); ref_wait=$((t3 - t2)); ref_total=$((t3 - t0))
  # Deleting the pairs one by one, as nugatord's DEL of the last pod does, is the kernel's figure
  # for that DEL; it also makes the clean-up synchronous rather than a netns teardown running on.
  printf 'link del, ' >&2
  t0=$(now)
  sed -n 's/^link add \(a[0-9]*\) .*/link del \1/p' "$work/ref-a.batch" | ip -n "$ra" -batch - >/dev/null
  ref_del=$(($(now) - t0))
  ip netns del "$ra"; ip netns del "$rb"

  # nugator's way by ip -batch: pod A's ADD with B absent (B's ends parked in a third netns), then
  # pod B's ADD (each parked end moved into B under its name, addressed, up).
  printf 'parked and moved, carrier' >&2
  ip netns add "$rp"; ip netns add "$ra2"; ip netns add "$rb2"
  t0=$(now)
  ip -n "$ra2" -batch "$work/park-a.batch" || { echo "bench: ip -batch in $ra2 failed" >&2; exit 1; }
  t1=$(now)
  ip -n "$rp" -batch "$work/park-move.batch" || { echo "bench: ip -batch in $rp failed" >&2; exit 1; }
  t2=$(now)
  ip -n "$rb2" -batch "$work/ref-b.batch" || { echo "bench: ip -batch in $rb2 failed" >&2; exit 1; }
  t3=$(now)
  t4=$(wait_up "$ra2" "$rb2" "$nlinks")
  park_a=$((t1 - t0)); park_move=$((t2 - t1)); park_b=$((t3 - t1)); park_wait=$((t4 - t3)); park_total=$((t4 - t0))
  printf '\n' >&2
  ip netns del "$ra2"; ip netns del "$rb2"; ip netns del "$rp"
}

# -- the table ---------------------------------------------------------------------------------
links_table() {
  s() { awk -v u="$1" 'BEGIN { printf "%.2f s", u / 1000000 }'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'; }
  kne_row() { printf '%-30s %19s   %19s   %10s\n' "$1" "$(s "$2")" "$(s "$3")" "$(ratio "$2" "$3")"; }

  echo
  echo "links on one node: $rounds rounds after 1 warm-up, milliseconds, median and p90 (nearest rank)"
  echo
  printf '%-30s %19s   %19s   %10s\n' "" "pod with 4 links" "pod with no links" "difference"
  printf '%-30s %9s %9s   %9s %9s   %10s\n' "" median p90 median p90 median
  row "ADD, through the shim" add-links4 add-links0
  row "DEL, through the shim" del-links4 del-links0
  echo
  echo "KNE target: $nlinks links between two pods, one run, seconds"
  echo
  printf '%-30s %19s   %19s   %10s\n' "" "through nugator" "ip -batch" "ratio"
  kne_row "first ADD to all carrier-up" "$kne_total" "$ref_total"
  kne_row "  ADD pod A / batch in A" "$kne_add_a" "$ref_a"
  kne_row "  ADD pod B / batch in B" "$kne_add_b" "$ref_b"
  kne_row "  then until carrier-up" "$kne_wait" "$ref_wait"
  echo
  echo "the same, step for step: ip -batch doing what nugatord does (B's ends parked in a third netns at A's"
  echo "ADD, moved into B at B's ADD); and the DELs (DEL A parks A's ends: moves; DEL B deletes the pairs)"
  echo
  printf '%-30s %19s   %19s   %10s\n' "" "through nugator" "ip -batch, parked" "ratio"
  kne_row "first ADD to all carrier-up" "$kne_total" "$park_total"
  kne_row "  ADD A / pairs, B's parked" "$kne_add_a" "$park_a"
  kne_row "  ADD B / move in, addr, up" "$kne_add_b" "$park_b"
  kne_row "  then until carrier-up" "$kne_wait" "$park_wait"
  kne_row "DEL A / $nlinks moves only" "$kne_del_a" "$park_move"
  kne_row "DEL B / $nlinks link del" "$kne_del_b" "$ref_del"
  echo
  printf '%-30s %s\n' "topology apply" "$(s "$kne_apply") (nugatorctl, $nlinks links; then nugatord busy $(s "$kne_settle") more)"
  printf '%-30s %s\n' "status -o json" "$(s "$kne_status") (nugatorctl, all-up; $kne_status_up of $nlinks links up)"
  printf '%-30s %s\n' "ends parked after DEL A" "$kne_parked"
  printf '%-30s %s\n' "topology delete" "$(s "$kne_delete") (nugatorctl; then nugatord busy $(s "$kne_settle_delete") more)"
  printf '%-30s %s\n' "peak RSS, nugatord" "$(mib "$kne_hwm") (VmHWM once all $nlinks links were up), $(mib "$kne_hwm_end") after the DELs"
  echo
  echo "links network: cniVersion 1.0.0, no delegates; pods are K8S_POD_NAME in CNI_ARGS, each its own fresh netns"
  echo "4 links:  pod bench-c with e1..e4 (/31 each) to 4 running peers; a new container id and netns each round,"
  echo "          so its ADD moves 4 parked ends in and configures them; its DEL parks them again"
  echo "KNE:      a<i> in pod A, b<i> in pod B, one /31 from 198.18.0.0/15 each end; ADD A then ADD B through the"
  echo "          shim; carrier-up = every a<i> and b<i> shows LOWER_UP in \`ip -n <pod> -j link\` (polled after ADD B)"
  echo "ip -batch: \`ip -n A -batch\` (link add a<i> type veth peer name b<i> netns B, addr add, link set up),"
  echo "          then \`ip -n B -batch\` (addr add, link set up), between two fresh namespaces; same poll"
  echo "parked:   as above, but the peers are made in a third netns (p<i>), then \`ip -n P -batch\` moves each"
  echo "          into B (link set p<i> netns B name b<i>) before B's batch; one run each, same poll"
  echo "ADD A listed $kne_result_ifs link interfaces in its result; left after both DELs: $kne_left_pods link interfaces in the pods, $kne_left_parked parked ends"
  echo "nugatord ran with --command-timeout $command_timeout (its default is 60); load average before the run $load_start, after $(cut -d' ' -f1-3 /proc/loadavg)"
}
