package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.cri.CriLab;

/** The seed's announced pair, as the CRI tests use it: sample-announce:in1 (.100) to pair-pod:in2 (.101). */
final class CriSeed {
    static final String PRIMARY = "sample-announce";
    static final String PAIR = "pair-pod";
    static final String PRIMARY_IP = "192.168.2.100";
    static final String PAIR_IP = "192.168.2.101";

    private CriSeed() {}

    /** {@code nugatorctl announce} with the seed's announcer.env, required to succeed. */
    static void announce(CriLab lab) {
        ProcResult announce = lab.ctl().run(Nugatorctl.readEnvFile(Dist.seedFixture("announcer.env")), "announce");
        assertThat(announce.exitCode()).as(announce.describe()).isZero();
    }
}
