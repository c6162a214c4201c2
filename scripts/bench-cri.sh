# shellcheck shell=bash
# Sourced by scripts/bench.sh: issue 10's figure, a pod's start on the kubelet's path. It measures
# and prints; it asserts nothing. Uses bench.sh's $work, $id, $dist, $root, $rounds, row,
# table_header, nugatord_start and die, and its clean-up trap (which calls cri_cleanup, whatever
# happened).
#   cri_run      a node netns of its own (ntbc-$id-node), a nugatord there (panel ntbc-$id-panel),
#                and the test kit's CriBench (Java, the it module's classpath): a private containerd
#                1.6 in that netns, its CNI config the pod network (bridge cni0 + host-local
#                10.244.0.0/16) with nugator chained after it, and a runtime handler with the pod
#                network alone; RunPodSandbox of a pod with 4 links (its 4 peers run), of a pod no
#                link names, and of a pod on the primary-only handler, $rounds rounds after 1
#                warm-up, each a new pod object, stopped and removed after
#   cri_table    prints it
#   cri_cleanup  (from the trap) stops CriBench (its shutdown hook closes containerd), then removes
#                whatever is left of containerd under $work/cri (its processes and shims, runc
#                containers, mounts, cgroups, shim sockets, /run/containerd and /var/lib/cni when it
#                made them), stops nugatord, deletes ntbc-$id-*

cri_dir=$work/cri
cri_node=ntbc-$id-node
cri_panel=ntbc-$id-panel
cri_sock=$cri_dir/nugator.sock
cri_java_pid=
cri_daemon_pid=
# directories that only containerd's shims and libcni make outside $cri_dir: removed at the end when
# they were not there before and are empty again
cri_shared=()
for cri_d in /run/containerd /var/lib/cni; do [ -e "$cri_d" ] || cri_shared+=("$cri_d"); done; unset cri_d

cri_run() {
  command -v containerd >/dev/null && command -v ctr >/dev/null || scripts/install-deps.sh containerd >/dev/null \
    || die "containerd is needed for the CRI part (make deps installs it)"
  [ -f "$root/it/target/classes/dev/nugator/testkit/cri/CriBench.class" ] || die "the test kit is not built: run 'make build'"
  mkdir -p "$cri_dir/out"
  local cp=$cri_dir/classpath java_home=${JAVA_HOME:-$(scripts/find-jdk.sh)}
  (cd "$root" && JAVA_HOME=$java_home mvn -B -q -o -Dstyle.color=never -pl it dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp" >"$cri_dir/mvn.log" 2>&1) || { cat "$cri_dir/mvn.log" >&2; die "cannot get the it module's classpath"; }
  ip netns add "$cri_node"
  ip -n "$cri_node" link set lo up
  nugatord_start "$cri_node" "$cri_panel" "$cri_dir" cri_daemon_pid
  # containerd's directory lands under $cri_dir (java.io.tmpdir); the working directory keeps its log copy there too
  (cd "$cri_dir" && exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dslf4j.internal.verbosity=ERROR -Djava.io.tmpdir="$cri_dir" \
    -Dnugator.dist="$dist" -Dnugator.fixtures="$root/fixtures" \
    -cp "$root/it/target/classes:$(cat "$cp")" dev.nugator.testkit.cri.CriBench \
    /run/netns/"$cri_node" "$cri_sock" "$rounds" "$cri_dir/out") &
  cri_java_pid=$!
  wait "$cri_java_pid" || die "the CRI part failed (exit $?)"
  cri_java_pid=
  mkdir -p "$work/samples"
  cp "$cri_dir/out/samples/"cri-* "$work/samples/"
}

cri_table() {
  echo
  echo "the kubelet's path: RunPodSandbox through containerd $(containerd --version | awk '{print $3}')'s CRI, $rounds rounds after 1 warm-up,"
  echo "milliseconds, median and p90 (nearest rank)"
  echo
  table_header "pod network + nugator" "pod network only"
  row "RunPodSandbox, 4 links" cri-links4 cri-primary
  row "RunPodSandbox, no links" cri-nolinks cri-primary
  echo
  echo "pod network: bridge cni0 + host-local (conflist, cniVersion 1.0.0); + nugator: the same conflist with nugator chained"
  echo "          after it (a runtime handler each); every round a new pod object (uid, sandbox, netns), stopped and removed after"
  echo "4 links:  pod bench-c with e1..e4 (/31 each) to 4 peer pods running through the CRI for the whole part"
  echo "containerd set-up: $(cat "$cri_dir/out/startup" 2>/dev/null)"
}

cri_cleanup() {
  local pid f dir d m cg cid
  if [ -n "$cri_java_pid" ] && kill -0 "$cri_java_pid" 2>/dev/null; then
    kill -TERM "$cri_java_pid"
    for _ in $(seq 300); do kill -0 "$cri_java_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$cri_java_pid" 2>/dev/null
    wait "$cri_java_pid" 2>/dev/null
  fi
  [ -d "$cri_dir" ] || return 0
  for dir in "$cri_dir"/ntcri-*; do
    [ -d "$dir" ] || continue
    for f in /proc/[0-9]*/cmdline; do   # containerd and its shims name their directory
      tr '\0' ' ' <"$f" 2>/dev/null | grep -qF "$dir/" && { pid=${f#/proc/}; kill -KILL "${pid%/cmdline}" 2>/dev/null; }
    done
    for d in "$dir"/root/io.containerd.grpc.v1.cri/sandboxes/* "$dir"/runc/k8s.io/*; do   # by sandbox id
      [ -d "$d" ] || continue
      cid=$(basename "$d")
      [ -d "$dir/runc/k8s.io/$cid" ] && runc --root "$dir/runc/k8s.io" delete --force "$cid" 2>/dev/null
      rm -f /run/containerd/s/"$(printf '%s' "$dir/containerd.sock/k8s.io/$cid" | sha256sum | cut -d' ' -f1)"
      rm -f /var/lib/cni/results/*-"$cid"-*
    done
  done
  awk -v d="$cri_dir/" 'index($5, d) == 1 { print length($5), $5 }' /proc/self/mountinfo | sort -rn | cut -d' ' -f2- \
    | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  cg=$(cat "$cri_dir/out/cgroup-root" 2>/dev/null)
  if [ -n "$cg" ]; then
    for d in /sys/fs/cgroup/*/"$cg"; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done
  fi
  for d in "${cri_shared[@]}"; do rmdir "$d"/s "$d"/results "$d" 2>/dev/null; done
  if [ -n "$cri_daemon_pid" ] && kill -0 "$cri_daemon_pid" 2>/dev/null; then
    kill -TERM "$cri_daemon_pid"
    for _ in $(seq 100); do kill -0 "$cri_daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$cri_daemon_pid" 2>/dev/null
    wait "$cri_daemon_pid" 2>/dev/null
  fi
  ip netns del "$cri_panel" 2>/dev/null
  ip netns del "$cri_node" 2>/dev/null
  return 0
}
