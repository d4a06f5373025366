package dev.kiln.gateway.refusal;

/** The request itself is malformed or out of range; the message names the field and the rule. */
public final class InvalidRequest extends Refusal {
  public InvalidRequest(String message) {
    super(message);
  }

  /**
   * What the request firewall refused. Its messages about headers quote the value, which may be a key or the admin
   * token: those are never repeated back (or into a client's logs); its messages about the URL are.
   */
  public static InvalidRequest firewall(String firewallMessage) {
    String message = firewallMessage == null || firewallMessage.toLowerCase(java.util.Locale.ROOT).contains("header")
        ? "a header name or value Kiln does not accept" : firewallMessage;
    return new InvalidRequest("request rejected: " + message);
  }
}
