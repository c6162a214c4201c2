package dev.nugator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagesTest {

    @Test
    void aPageTakesTheEntriesThatFitWithACommaBetweenTwo() {
        int[] sizes = {10, 10, 10, 10};

        assertThat(Pages.end(sizes, 0, 21)).isEqualTo(2);
        assertThat(Pages.end(sizes, 0, 20)).isEqualTo(1);
        assertThat(Pages.end(sizes, 2, 1000)).isEqualTo(4);
    }

    @Test
    void everyPageAdvancesEvenPastAnEntryLargerThanTheRoom() {
        int[] sizes = {5, 100, 5};

        assertThat(Pages.end(sizes, 0, 50)).isEqualTo(1);
        assertThat(Pages.end(sizes, 1, 50)).isEqualTo(2);
        assertThat(Pages.end(sizes, 3, 50)).isEqualTo(3);
    }

    @Test
    void anOffsetOutsideTheEntriesIsRefusedNamingIt() {
        assertThatThrownBy(() -> Pages.end(new int[2], 3, 10)).hasMessageContaining("offset 3");
        assertThatThrownBy(() -> Pages.end(new int[2], -1, 10)).hasMessageContaining("offset -1");
    }

    @Test
    void aFullPageAndItsWrappingFitOneReplyFrame() throws IOException {
        var out = new ByteArrayOutputStream();
        new ShimReply(0, new byte[Pages.ROOM + Pages.WRAPPING]).toFrame().writeTo(out);

        assertThat(out.size()).isEqualTo(Frame.HEADER_BYTES + Frame.MAX_BODY);
    }

    @Test
    void stdinRoomIsWhatFillsARequestFrameExactly() {
        var env = Map.of("CNI_COMMAND", "ADD", "CNI_ARGS", "K8S_POD_NAME=é");
        int room = ShimRequest.stdinRoom(env);

        assertThat(new ShimRequest(env, new byte[room]).toFrame().body()).hasSize(Frame.MAX_BODY);
    }

    @Test
    void aRequestTooLargeForAFrameIsRefusedBeforeConnecting() {
        var client = new ControlClient(Path.of("/nonexistent/nugator-test.sock"));

        assertThatThrownBy(() -> client.call(new byte[Frame.MAX_BODY + 1], Duration.ofSeconds(5)))
                .isInstanceOf(WireException.TooLarge.class)
                .hasMessageContaining(String.valueOf(Frame.MAX_BODY + 1)).hasMessageContaining(String.valueOf(Frame.MAX_BODY));
    }
}
