package dev.nugator.pairing;

import dev.nugator.store.Compare;
import dev.nugator.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * VNIs proposed for links (by {@link VniAllocator#propose}), claimed by whichever transaction
 * carries {@link #compares} and {@link #ops}: each VNI only while it is free, each link's only while
 * the link exists and has none.
 */
public record VniClaims(List<Claim> claims) {
    public static final VniClaims NONE = new VniClaims(List.of());

    public record Claim(String linkId, int vni) {}

    public VniClaims {
        claims = List.copyOf(claims);
    }

    public boolean isEmpty() {
        return claims.isEmpty();
    }

    public List<Compare> compares() {
        var compares = new ArrayList<Compare>();
        for (var claim : claims) {
            compares.add(new Compare.Exists(Keys.link(claim.linkId())));
            compares.add(new Compare.Absent(Keys.linkVni(claim.linkId())));
            compares.add(new Compare.Absent(Keys.vni(claim.vni())));
        }
        return compares;
    }

    public List<Op> ops() {
        var ops = new ArrayList<Op>();
        for (var claim : claims) {
            ops.add(new Op.Put(Keys.vni(claim.vni()), bytes(claim.linkId())));
            ops.add(new Op.Put(Keys.linkVni(claim.linkId()), bytes(Integer.toString(claim.vni()))));
        }
        return ops;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
