package io.bastion.tls;

import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;

/**
 * Keys for stateless session tickets, shared by every context of one listener so a session
 * resumes whichever certificate (SNI) served it and across certificate reloads. Random per
 * process: tickets from another node or an earlier run fall back to a full handshake.
 */
public final class SessionTicketKeys {

  private final OpenSslSessionTicketKey key;

  public SessionTicketKeys() {
    SecureRandom random = new SecureRandom();
    byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
    byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
    byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
    random.nextBytes(name);
    random.nextBytes(hmac);
    random.nextBytes(aes);
    this.key = new OpenSslSessionTicketKey(name, hmac, aes);
  }

  /** Turns tickets on for an OpenSSL context (Netty leaves them off); the JDK manages its own. */
  public void applyTo(SslContext context) {
    if (context.sessionContext() instanceof OpenSslServerSessionContext openSsl) {
      openSsl.setTicketKeys(key);
    }
  }
}
