package dev.nugator.testkit.cri;

import dev.nugator.testkit.cri.v1.ImageServiceGrpc;
import dev.nugator.testkit.cri.v1.ImageSpec;
import dev.nugator.testkit.cri.v1.ImageStatusRequest;
import dev.nugator.testkit.cri.v1.ListPodSandboxRequest;
import dev.nugator.testkit.cri.v1.PodSandbox;
import dev.nugator.testkit.cri.v1.PodSandboxFilter;
import dev.nugator.testkit.cri.v1.PodSandboxStatusRequest;
import dev.nugator.testkit.cri.v1.RemovePodSandboxRequest;
import dev.nugator.testkit.cri.v1.RunPodSandboxRequest;
import dev.nugator.testkit.cri.v1.RuntimeServiceGrpc;
import dev.nugator.testkit.cri.v1.StopPodSandboxRequest;
import dev.nugator.testkit.cri.v1.VersionRequest;
import dev.nugator.testkit.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kubelet's side of the CRI, the calls that start and end a pod's sandbox, over gRPC on the
 * runtime's UNIX socket (the grpc-netty transport with epoll domain sockets). Every call has a
 * deadline, the kubelet's own for sandbox creation ({@code --runtime-request-timeout}, 2 minutes)
 * and a shorter one for the rest. A refused call throws {@link io.grpc.StatusRuntimeException},
 * whose description is the runtime's error text (containerd puts the CNI plugin's message in it).
 * Thread-safe: tests call it from many threads at once.
 */
public final class CriClient implements AutoCloseable {
    /** The kubelet's default --runtime-request-timeout. */
    public static final Duration RUN_DEADLINE = Duration.ofMinutes(2);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(60);
    /** Kept referenced: java.util.logging holds loggers weakly, and the level must stay set. */
    private static final Logger BOOTSTRAP_LOG = Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");

    static {
        // gRPC asks every channel for SO_KEEPALIVE, which a UNIX socket does not have: a warning per connection
        BOOTSTRAP_LOG.setLevel(Level.SEVERE);
    }

    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    private CriClient(EventLoopGroup group, ManagedChannel channel) {
        this.group = group;
        this.channel = channel;
        this.stub = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    /** A client of the runtime listening on {@code socket} (connects lazily, at the first call). */
    public static CriClient connect(Path socket) {
        var group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(16 << 20)
                .build();
        return new CriClient(group, channel);
    }

    /** {@code Version}: the runtime's name and version, and the CRI version it serves. */
    public VersionResponse version() {
        return stub(CALL_DEADLINE).version(VersionRequest.newBuilder().setVersion("v1").build());
    }

    /** {@code RunPodSandbox}: returns once the sandbox runs with its network set up; its id. */
    public String runPodSandbox(PodSandboxSpec pod) {
        var request = RunPodSandboxRequest.newBuilder().setConfig(pod.toConfig()).setRuntimeHandler(pod.runtimeHandler());
        return stub(RUN_DEADLINE).runPodSandbox(request.build()).getPodSandboxId();
    }

    /** {@code PodSandboxStatus} with {@code verbose}, which makes containerd add its own info. */
    public SandboxStatus podSandboxStatus(String id) {
        var request = PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).setVerbose(true).build();
        return SandboxStatus.from(stub(CALL_DEADLINE).podSandboxStatus(request));
    }

    /** {@code StopPodSandbox}: the sandbox's processes end and its network is torn down (CNI DEL). */
    public void stopPodSandbox(String id) {
        stub(RUN_DEADLINE).stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    }

    /** {@code RemovePodSandbox}: the sandbox is forgotten (and, if it still runs, stopped first). */
    public void removePodSandbox(String id) {
        stub(RUN_DEADLINE).removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    }

    /** {@code ListPodSandbox}: every sandbox the runtime knows, ready or not. */
    public List<PodSandbox> listPodSandbox() {
        return stub(CALL_DEADLINE).listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
    }

    /** The sandboxes of one pod object, by the uid label the kubelet puts on them (as the kubelet finds them). */
    public List<PodSandbox> listPodSandbox(PodSandboxSpec pod) {
        var filter = PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", pod.uid());
        return stub(CALL_DEADLINE).listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()).getItemsList();
    }

    /** {@code ImageStatus}: whether the runtime's image service has this image (by name). */
    public boolean hasImage(String ref) {
        var request = ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build();
        return images.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).imageStatus(request).hasImage();
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub stub(Duration deadline) {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
