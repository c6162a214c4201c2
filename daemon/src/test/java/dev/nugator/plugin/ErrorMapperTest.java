package dev.nugator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.cni.CniError;
import dev.nugator.link.LinkFailure;
import dev.nugator.pairing.Endpoint;
import dev.nugator.pairing.IfAddress;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodRef;
import dev.nugator.store.StoreUnavailableException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    private static final LinkSpec LINK = LinkSpec.of(
            new Endpoint(new PodRef("default", "r1"), "e1", List.of(IfAddress.parse("192.0.2.1/30")), Optional.empty()),
            new Endpoint(new PodRef("default", "r2"), "e1", List.of(IfAddress.parse("192.0.2.2/30")), Optional.empty()),
            OptionalInt.empty(), false, false, Map.of(), "test");

    @Test
    void aStoreThatDoesNotAnswerIsTryAgainLater() {
        var error = ErrorMapper.toCniError(new StoreUnavailableException("etcd: cannot write: UNAVAILABLE", null));
        assertThat(error.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
        assertThat(error.getMessage()).contains("cannot write: UNAVAILABLE");
    }

    @Test
    void aLinkWhoseStoreWriteFailedIsTryAgainLaterAndNamesTheLink() {
        var error = ErrorMapper.toCniError(new LinkFailure(LINK, new StoreUnavailableException("etcd: cannot write: UNAVAILABLE", null)));
        assertThat(error.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
        assertThat(error.getMessage()).contains("default/r1:e1").contains("cannot write: UNAVAILABLE");
    }

    @Test
    void aLinkTheKernelRefusedIsLinkFailed() {
        var error = ErrorMapper.toCniError(new LinkFailure(LINK, new IllegalStateException("File exists")));
        assertThat(error.code()).isEqualTo(CniError.LINK_FAILED);
        assertThat(error.getMessage()).contains("default/r1:e1").contains("File exists");
    }

    @Test
    void anIoFailureIsCode5AndAnythingElseInternal() {
        assertThat(ErrorMapper.toCniError(new IOException("disk full")).code()).isEqualTo(CniError.IO_FAILURE);
        var internal = ErrorMapper.toCniError(new NullPointerException("oops"));
        assertThat(internal.code()).isEqualTo(CniError.INTERNAL);
        assertThat(internal.getMessage()).contains("oops");
    }
}
