# nugator: `make test` and `make demo` do all the set-up on a fresh Debian 12 machine (as root).
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := mvn -B -q -Dstyle.color=never
DEB_PACKAGES := containernetworking-plugins iptables podman runc busybox-static iproute2 etcd-server etcd-client time jq sqlite3 openssl curl python3 iputils-ping iperf3 mmdebstrap buildah containerd

.PHONY: build test demo bench deps clean fuzz image
build: dist/.built

dist/.built: $(shell find pom.xml */pom.xml */src/main scripts/make-dist.sh scripts/train-nugatord.sh -type f 2>/dev/null)
	@test -n "$(JAVA_HOME)" || { echo "no JDK 25 found: install Temurin 25 or set JAVA_HOME" >&2; exit 1; }
	$(MVN) -DskipTests install
	scripts/make-dist.sh
	@touch $@

deps:
	scripts/install-deps.sh $(DEB_PACKAGES)

# Not quiet: the test summary is what CI and people read. ImageTest builds the image itself
# (scripts/make-image.sh, once per run; the root file system comes from its cache when unchanged).
test: deps build
	mvn -B -Dstyle.color=never verify -DskipITs=false

# dist/nugator-image.tar: an OCI archive of nugatord, nugatorctl and the shim, from Debian's packages,
# pulling nothing (the root file system is cached in /var/cache/nugator, keyed by its inputs).
image: deps build
	scripts/make-image.sh

demo: deps build
	scripts/demo.sh

bench: deps build
	scripts/bench.sh

clean:
	$(MVN) clean
	rm -rf dist

# Coverage-guided fuzzing of the parsers (Jazzer @FuzzTest): each target runs FUZZ_SECONDS, then the
# inputs that reached new coverage are merged into its committed corpus,
# <module>/src/test/resources/<package>/<Class>Inputs/<method>, which every plain test run replays.
# Findings (crash-*, timeout-*) are written there too. `make fuzz FUZZ_MATCH=Topology` runs a subset.
FUZZ_SECONDS ?= 45
FUZZ_KEEP_GOING ?= 20
FUZZ_MAX_INPUTS ?= 200
FUZZ_MATCH ?= .
FUZZ_TARGETS ?= \
	wire/dev.nugator.wire.FrameFuzzTest.anyBytesDecodeOrAreRefused \
	wire/dev.nugator.wire.FrameFuzzTest.whatIsWrittenReadsBackAndEveryCutIsRefused \
	shim/dev.nugator.shim.TopLevelKeysFuzzTest.anyStdinIsScannedWithoutThrowing \
	shim/dev.nugator.shim.TopLevelKeysFuzzTest.aWrittenObjectReadsBack \
	daemon/dev.nugator.cni.NetworkConfigFuzzTest.anyStdinParsesOrIsACniError \
	daemon/dev.nugator.cni.CniEnvironmentFuzzTest.cniArgsParseOrAreRefused \
	daemon/dev.nugator.cni.CniEnvironmentFuzzTest.environmentValidatesOrNamesTheVariable \
	daemon/dev.nugator.cni.ResultCodecFuzzTest.aResultOfOneVersionIsWrittenInEveryOther \
	daemon/dev.nugator.pairing.TopologyFuzzTest.anyFileParsesOrNamesItsProblems \
	netlink/dev.nugator.netlink.NetlinkReplyFuzzTest.anyReplyBufferDecodesOrIsRefused \
	netlink/dev.nugator.netlink.NlMsgErrFuzzTest.anyErrorReplyGivesItsErrnoAndText \
	netlink/dev.nugator.netlink.AttributesFuzzTest.anyBytesWalkWithoutReadingOutside \
	netlink/dev.nugator.netlink.AttributesFuzzTest.writtenAttributesReadBack

define FUZZ_SCRIPT
mvn_fuzz="mvn -B -o -Dstyle.color=never"
findings='^(crash|timeout|slow-unit|oom)-'
summary=(); started=$(date +%s)
rm -f */target/fuzz/classpath
for target in "$@"; do
  grep -qE "$FUZZ_MATCH" <<< "$target" || continue
  module=${target%%/*}; qualified=${target#*/}; class=${qualified%.*}; method=${qualified##*.}; name=${class##*.}
  inputs=$module/src/test/resources/$(tr . / <<< "${class%.*}")/${name}Inputs/$method
  # Maven copies resources but never removes them: drop the copy so a moved input is gone from it.
  copy=$module/target/test-classes/${inputs#*/src/test/resources/}
  work=$PWD/$module/target/fuzz/$name.$method
  rm -rf "$work"; mkdir -p "$work/corpus" "$work/old" "$work/merged" "$inputs"
  known=$(ls "$inputs" | grep -E "$findings" | sort)
  echo "== $name.$method: fuzzing for ${FUZZ_SECONDS}s (log: $work/fuzz.log)"
  begin=$(date +%s); rm -rf "$copy"
  JAZZER_FUZZ=1 $mvn_fuzz -pl "$module" test -Dtest="$name#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${FUZZ_SECONDS}s" -Djazzer.keep_going="$FUZZ_KEEP_GOING" \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$work/corpus" -Djazzer.internal.arg.2=-timeout=10 \
    > "$work/fuzz.log" 2>&1
  took=$(( $(date +%s) - begin ))
  last=$(grep -aE '^#[0-9]+[[:space:]]+(INITED|NEW|REDUCE|pulse|DONE)[[:space:]]+cov:' "$work/fuzz.log" | tail -1)
  runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<< "$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) .*/cov \1, ft \2/p' <<< "$last")
  # Keep the inputs that add coverage: the seeds, the committed corpus and this run's, merged.
  classpath=$module/target/fuzz/classpath
  [ -s "$classpath" ] || $mvn_fuzz -q -pl "$module" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$classpath" > /dev/null 2>&1
  find "$inputs" -maxdepth 1 -type f -name 'seed-*' -exec cp {} "$work/merged/" \;
  find "$inputs" -maxdepth 1 -type f ! -name 'seed-*' | grep -vE "/${findings#^}" | xargs -r cp -t "$work/old/"
  merge() {
    "$JAVA_HOME/bin/java" -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath")" \
      com.code_intelligence.jazzer.Jazzer --target_class="$class" --target_method="$method" \
      -merge=1 -timeout=10 "$@" "$work/merged" "$work/old" "$work/corpus" >> "$work/merge.log" 2>&1
  }
  # Too many for a committed corpus: keep the inputs that reach new edges, not new hit counts.
  if merge && { [ "$(ls "$work/merged" | wc -l)" -le "$FUZZ_MAX_INPUTS" ] \
      || { find "$work/merged" -type f ! -name 'seed-*' -delete && merge -use_counters=0; }; }; then
    find "$inputs" -maxdepth 1 -type f ! -name 'seed-*' | grep -vE "/${findings#^}" | xargs -r rm -f
    find "$work/merged" -type f ! -name 'seed-*' -exec cp {} "$inputs/" \;
  else
    echo "   merge failed, the committed corpus is unchanged (see $work/merge.log)"
  fi
  new=$(comm -13 <(echo "$known") <(ls "$inputs" | grep -E "$findings" | sort) | tr '\n' ' ')
  exceptions=$(grep -aoE 'DEDUP_TOKEN: |ERROR: libFuzzer: (timeout|out-of-memory|deadly)' "$work/fuzz.log" | wc -l)
  if [ "$exceptions" -gt 0 ]; then
    # Past a finding the fuzzer goes on, and inputs that trigger it again can reach the corpus:
    # the finding's own file stays, those copies go (to $work/failing).
    rm -rf "$copy" "$module/target/surefire-reports/TEST-$class.xml"
    $mvn_fuzz -pl "$module" test -Dtest="$name#$method" -Dsurefire.failIfNoSpecifiedTests=false > "$work/replay.log" 2>&1
    mapfile -t files < <(cd "$inputs" && find . -type f | sed 's#^\./##' | LC_ALL=C sort)
    for index in $(tr -d '\n' < "$module/target/surefire-reports/TEST-$class.xml" \
        | grep -oE '<testcase name="[^"]*\[[0-9]+\]"[^>]*>[[:space:]]*<(error|failure)' | sed -nE 's/.*\[([0-9]+)\]".*/\1/p'); do
      file=${files[index - 2]:-}
      [ -n "$file" ] && ! grep -qE "^seed-|$findings" <<< "$file" && mkdir -p "$work/failing" && mv "$inputs/$file" "$work/failing/"
    done
    dropped=$(ls "$work/failing" 2>/dev/null | wc -l)
  fi
  line=$(printf '%-62s %4ss %10s runs  %-16s %4s inputs  findings: %s' "$name.$method" "$took" "${runs:-?}" \
    "${cov:-cov ?}" "$(ls "$inputs" | wc -l)" "$([ "$exceptions" -gt 0 ] && echo "$exceptions ${new:-(already known)}" || echo none)")
  echo "   $line"
  [ "$exceptions" -gt 0 ] && echo "   $dropped corpus inputs that repeat a finding were left out (in $work/failing)"
  awk '/^== Java Exception:|FuzzTestFindingException: /{on=1} /^DEDUP_TOKEN|^\[INFO\]|^$/{on=0} on' "$work/fuzz.log" \
    | grep -avE '^\s+at (java|jdk|org\.junit|org\.assertj|com\.code_intelligence|org\.apache)\.' | head -30 | sed 's/^/     /'
  summary+=("$line")
done
echo "== replaying every committed input as a plain test run"
mkdir -p target; rm -rf */target/test-classes/dev/nugator/*/*FuzzTestInputs
$mvn_fuzz -fae -pl wire,netlink,shim,daemon test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false > target/fuzz-replay.log 2>&1 \
  && replay="all inputs replay without failure" || replay="REPLAY FAILED, see target/fuzz-replay.log: $(grep -aE '^\[ERROR\]   ' target/fuzz-replay.log | head -5)"
echo; echo "== make fuzz: ${FUZZ_SECONDS}s per target, $(( ($(date +%s) - started) / 60 )) min in all"
printf '%s\n' "${summary[@]}"
echo "$replay"
endef

fuzz: export FUZZ_SCRIPT := $(value FUZZ_SCRIPT)
fuzz: export FUZZ_SECONDS := $(FUZZ_SECONDS)
fuzz: export FUZZ_KEEP_GOING := $(FUZZ_KEEP_GOING)
fuzz: export FUZZ_MATCH := $(FUZZ_MATCH)
fuzz: export FUZZ_MAX_INPUTS := $(FUZZ_MAX_INPUTS)
# A JIT-compiled method may throw a preallocated exception without a stack: one bug, many "findings".
fuzz: export JAVA_TOOL_OPTIONS := -XX:-OmitStackTraceInFastThrow
fuzz: build
	@bash -c "$$FUZZ_SCRIPT" fuzz $(FUZZ_TARGETS)
