/**
 * A kit for testing nugator the way its users run it: the real {@code dist/bin/nugator} and
 * {@code nugatord}, Debian's reference CNI plugins, and network namespaces the test makes and
 * always removes. Nothing here touches the machine's root network namespace.
 *
 * <ul>
 *   <li>{@link dev.nugator.testkit.Netns}, {@link dev.nugator.testkit.Pod}: named namespaces
 *       ({@code /run/netns/NAME}) and their links/addresses ({@link dev.nugator.testkit.Link}).</li>
 *   <li>{@link dev.nugator.testkit.NodeNamespace}, {@link dev.nugator.testkit.Fabric}: a node with an
 *       {@code eth0} uplink on a test-only switch, where nugatord and the delegates do their work.</li>
 *   <li>{@link dev.nugator.testkit.Nugatord}: the daemon in a node, with its own socket, state and log.</li>
 *   <li>{@link dev.nugator.testkit.CniCall} / {@link dev.nugator.testkit.CniResult}: one CNI call as a
 *       runtime makes it (env + stdin, under a deadline).</li>
 *   <li>{@link dev.nugator.testkit.NetConf}, {@link dev.nugator.testkit.ScriptPlugin},
 *       {@link dev.nugator.testkit.HostLocalLeases}: configs, misbehaving plugins, lease checks.</li>
 *   <li>{@link dev.nugator.testkit.RootIntegrationTest} (root-only, leak-checked classes) and
 *       {@link dev.nugator.testkit.NugatorNode} (a node + daemon per class, pods per test).</li>
 *   <li>{@link dev.nugator.testkit.LinkLab} / {@link dev.nugator.testkit.LabPod}: links on one node.</li>
 *   <li>{@link dev.nugator.testkit.ClusterLab} / {@link dev.nugator.testkit.ClusterPod}: three nodes on a
 *       fabric, a three-member {@link dev.nugator.testkit.EtcdCluster} (plain or TLS, certificates by
 *       {@link dev.nugator.testkit.EtcdCertificates}), one nugatord per node; {@link dev.nugator.testkit.Vxlan}
 *       reads a tunnel end's settings.</li>
 * </ul>
 *
 * <pre>{@code
 * try (var node = NodeNamespace.create();
 *      var daemon = Nugatord.in(node).logLevel("debug").start();
 *      var pod = Pod.create()) {
 *     var conf = NetConf.seedDemo(daemon.socket(), Files.createTempDirectory("ntipam"));
 *     CniResult add = CniCall.of("ADD").pod(pod).ifname("eth0").config(conf).run().requireSuccess();
 *     pod.netns().requireLink("net0").firstIpv4();
 *     CniCall.of("DEL").pod(pod).ifname("eth0").config(conf).run().requireSuccess();
 * }
 * }</pre>
 */
package dev.nugator.testkit;
