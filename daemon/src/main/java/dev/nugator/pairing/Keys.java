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
 * /nugator/v1/nodes/&lt;node&gt;                  a running nugatord: {"name", "address", "vxlanPort"},
 *                                            bound to a lease that its nugatord keeps alive
 * /nugator/v1/vnis/&lt;vni&gt;                    the id of the link holding that VNI
 * /nugator/v1/link-vnis/&lt;link id&gt;            the VNI of that link (decimal); both keys go with the link
 * /nugator/v1/vni-next                       written by earlier releases (a search cursor); read by none
 * /nugator/v1/errors/&lt;node&gt;/&lt;link id&gt;       {"link", "message"} while that node fails to make the link
 * </pre>
 */
public final class Keys {
    public static final String ROOT = "/nugator/v1/";
    public static final String LINKS = ROOT + "links/";
    public static final String TOPOLOGIES = ROOT + "topologies/";
    public static final String PODS = ROOT + "pods/";
    public static final String LINKS_VERSION = ROOT + "links-version";
    public static final String NODES = ROOT + "nodes/";
    public static final String VNIS = ROOT + "vnis/";
    public static final String LINK_VNIS = ROOT + "link-vnis/";
    public static final String VNI_NEXT = ROOT + "vni-next";
    public static final String ERRORS = ROOT + "errors/";

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

    public static String node(String name) {
        return NODES + name;
    }

    public static String vni(int vni) {
        return VNIS + vni;
    }

    public static String linkVni(String linkId) {
        return LINK_VNIS + linkId;
    }

    public static String error(String node, String linkId) {
        return ERRORS + node + "/" + linkId;
    }
}
