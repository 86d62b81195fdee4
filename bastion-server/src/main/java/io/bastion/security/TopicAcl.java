package io.bastion.security;

import io.bastion.config.AclConfig;
import io.bastion.config.AclRuleConfig;
import io.bastion.mqtt.TopicFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Topic ACL rules, compiled once per configuration. {@link #forIdentity} picks the rules that apply
 * to one client and substitutes {@code %u} and {@code %c}, giving the session its own matchers.
 */
public final class TopicAcl {

  private final AclConfig config;

  public TopicAcl(AclConfig config) {
    this.config = config;
  }

  public boolean enabled() {
    return config.enabled();
  }

  public AclConfig.OnDenied onDeniedPublish() {
    return config.onDeniedPublish();
  }

  /** The filters this client may publish and subscribe to; null when there is no ACL. */
  public SessionAcl forIdentity(EdgeIdentity id) {
    if (!enabled()) {
      return null;
    }
    List<TopicFilter> publish = new ArrayList<>();
    List<TopicFilter> subscribe = new ArrayList<>();
    for (AclRuleConfig rule : config.rules()) {
      if (applies(rule, id)) {
        substitute(rule.publish(), id, publish);
        substitute(rule.subscribe(), id, subscribe);
      }
    }
    return new SessionAcl(publish, subscribe);
  }

  private static boolean applies(AclRuleConfig rule, EdgeIdentity id) {
    if (rule.user() != null) {
      return rule.user().equals(id.username());
    }
    if (rule.group() != null) {
      return id.groups().contains(rule.group());
    }
    if (rule.certificate() != null) {
      return rule.certificate().equals(id.certificateName());
    }
    return true;
  }

  /**
   * Fills in {@code %u} and {@code %c}. A filter whose substitution is missing, or would bring in
   * a level separator or wildcard (a username "#" must not widen a rule), is left out.
   */
  private static void substitute(List<String> filters, EdgeIdentity id, List<TopicFilter> out) {
    for (String f : filters) {
      String s = f;
      if (s.contains("%u")) {
        if (!safe(id.username())) {
          continue;
        }
        s = s.replace("%u", id.username());
      }
      if (s.contains("%c")) {
        if (!safe(id.clientId())) {
          continue;
        }
        s = s.replace("%c", id.clientId());
      }
      out.add(TopicFilter.of(s));
    }
  }

  private static boolean safe(String value) {
    return value != null && !value.isEmpty() && value.indexOf('/') < 0 && value.indexOf('+') < 0
        && value.indexOf('#') < 0;
  }

  /** One session's ACL. */
  public static final class SessionAcl {
    private final TopicFilter[] publish;
    private final List<TopicFilter> subscribe;

    SessionAcl(List<TopicFilter> publish, List<TopicFilter> subscribe) {
      this.publish = publish.toArray(new TopicFilter[0]);
      this.subscribe = List.copyOf(subscribe);
    }

    /** Whether the topic in the buffer range may be published to. Allocation-free. */
    public boolean mayPublish(io.netty.buffer.ByteBuf buf, int start, int length) {
      for (TopicFilter f : publish) {
        if (f.matches(buf, start, length)) {
          return true;
        }
      }
      return false;
    }

    public boolean mayPublish(String topic) {
      byte[] bytes = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return mayPublish(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    /** Whether every topic the filter matches may be subscribed to. */
    public boolean maySubscribe(String filter) {
      for (TopicFilter f : subscribe) {
        if (f.covers(filter)) {
          return true;
        }
      }
      return false;
    }
  }
}
