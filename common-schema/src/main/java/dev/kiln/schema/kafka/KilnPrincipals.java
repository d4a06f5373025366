package dev.kiln.schema.kafka;

/** The Kafka user names of an installation's four service identities, as the broker authenticates them. */
public record KilnPrincipals(String gateway, String ledger, String worker, String reader) {
  /** The names Kiln's own stacks (kiln-local, the tests) create, and the defaults of every setting. */
  public static final KilnPrincipals DEFAULT =
      new KilnPrincipals("kiln-gateway", "kiln-ledger", "kiln-worker", "kiln-reader");
}
