package dev.kiln.system;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.kafka.KilnAcls;
import dev.kiln.schema.kafka.KilnPrincipals;
import dev.kiln.schema.kafka.KilnTopics;
import java.util.HashSet;
import java.util.Set;

/** Kiln's ACLs for each topic prefix a test's services use, created once per prefix, as an operator would. */
final class KafkaGrants {
  private static final Set<String> GRANTED = new HashSet<>();

  private KafkaGrants() {}

  static synchronized void forPrefix(String prefix) {
    if (GRANTED.add(prefix)) {
      KilnAcls.grant(Devstack.shared().kafka(), KilnTopics.withPrefix(prefix), KilnPrincipals.DEFAULT);
    }
  }
}
