package dev.kiln.secrets;

/** Credentials for pulling a private base image: basic (username and password) or a bearer token. */
public record RegistryCredentials(String type, String username, String password) {

  @Override
  public String toString() {
    // Never printed, whatever logs a record.
    return "RegistryCredentials[type=" + type + ", username=" + username + ", password=***]";
  }
}
