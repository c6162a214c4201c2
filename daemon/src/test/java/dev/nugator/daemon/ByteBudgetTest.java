package dev.nugator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteBudgetTest {

    @Test
    void largeBodiesLeaveThePartKeptForSmallOnes() throws Exception {
        var budget = new ByteBudget(100, 30);
        budget.take(70, true);

        assertThatThrownBy(() -> budget.take(1, true)).isInstanceOf(ByteBudget.Exhausted.class)
                .hasMessageContaining("70 of the 70 bytes");
        budget.take(30, false);
        assertThatThrownBy(() -> budget.take(1, false)).isInstanceOf(ByteBudget.Exhausted.class);
        assertThat(budget.used()).isEqualTo(100);
    }

    @Test
    void givenBackBytesCanBeTakenAgain() throws Exception {
        var budget = new ByteBudget(10, 0);
        budget.take(10, true);
        budget.give(4);

        budget.take(4, true);

        assertThat(budget.used()).isEqualTo(10);
    }

    @Test
    void aReserveLargerThanTheTotalIsRefused() {
        assertThatThrownBy(() -> new ByteBudget(10, 11)).isInstanceOf(IllegalArgumentException.class);
    }
}
