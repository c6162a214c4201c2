package dev.nugator.cni;

/** The CNI_COMMAND values and which environment variables each requires. */
public enum CniCommand {
    ADD(true, true, true),
    DEL(true, false, true),
    CHECK(true, true, true),
    GC(false, false, false),
    STATUS(false, false, false),
    VERSION(false, false, false);

    private final boolean needsContainer;
    private final boolean needsNetns;
    private final boolean needsIfname;

    CniCommand(boolean needsContainer, boolean needsNetns, boolean needsIfname) {
        this.needsContainer = needsContainer;
        this.needsNetns = needsNetns;
        this.needsIfname = needsIfname;
    }

    public boolean needsContainer() {
        return needsContainer;
    }

    public boolean needsNetns() {
        return needsNetns;
    }

    public boolean needsIfname() {
        return needsIfname;
    }

    public boolean needsPath() {
        return this != VERSION;
    }

    public static CniCommand parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
        }
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new CniError(CniError.INVALID_ENVIRONMENT,
                    "CNI_COMMAND '" + value + "' is not one of ADD, DEL, CHECK, GC, STATUS, VERSION");
        }
    }
}
