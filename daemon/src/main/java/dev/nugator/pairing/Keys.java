package dev.nugator.pairing;

/**
 * The store's key layout, versioned so that a later layout can live beside this one:
 *
 * <pre>
 * /nugator/v1/links/&lt;link id&gt;                 a link (LinkJson)
 * /nugator/v1/topologies/&lt;name&gt;               {"name", "links": [link ids]}
 * /nugator/v1/pods/&lt;namespace&gt;/&lt;name&gt;        where the pod runs (PodAttachment)
 * /nugator/v1/links-version                  rewritten with every change of links: writers compare on
 *                                            it, so two writers never both pass the endpoint checks
 * </pre>
 */
public final class Keys {
    public static final String ROOT = "/nugator/v1/";
    public static final String LINKS = ROOT + "links/";
    public static final String TOPOLOGIES = ROOT + "topologies/";
    public static final String PODS = ROOT + "pods/";
    public static final String LINKS_VERSION = ROOT + "links-version";

    private Keys() {}

    public static String link(String id) {
        return LINKS + id;
    }

    public static String topology(String name) {
        return TOPOLOGIES + name;
    }

    public static String pod(PodRef pod) {
        return PODS + pod.namespace() + "/" + pod.name();
    }
}
