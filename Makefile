# nugator: `make test` and `make demo` do all the set-up on a fresh Debian 12 machine (as root).
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := mvn -B -q -Dstyle.color=never
DEB_PACKAGES := containernetworking-plugins iptables podman runc busybox-static iproute2 etcd-server etcd-client time jq sqlite3 openssl curl python3 iputils-ping iperf3

.PHONY: build test demo bench deps clean
build: dist/.built

dist/.built: $(shell find pom.xml */pom.xml */src/main scripts/make-dist.sh -type f 2>/dev/null)
	@test -n "$(JAVA_HOME)" || { echo "no JDK 25 found: install Temurin 25 or set JAVA_HOME" >&2; exit 1; }
	$(MVN) -DskipTests install
	scripts/make-dist.sh
	@touch $@

deps:
	scripts/install-deps.sh $(DEB_PACKAGES)

# Not quiet: the test summary is what CI and people read.
test: deps build
	mvn -B -Dstyle.color=never verify -DskipITs=false

demo: deps build
	scripts/demo.sh

bench: deps build
	scripts/bench.sh

clean:
	$(MVN) clean
	rm -rf dist
