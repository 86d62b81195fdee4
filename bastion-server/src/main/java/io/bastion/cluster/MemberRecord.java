package io.bastion.cluster;

import java.io.Serializable;

/** What a member publishes about itself. */
record MemberRecord(String node, String uuid, String address, String admin, String fingerprint)
    implements Serializable {

  private static final long serialVersionUID = 1L;
}
