package dev.kiln.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sets the registry's global compatibility rule, idempotently. */
public final class RegistryRules {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RegistryRules() {}

  /** Makes BACKWARD the rule for every subject of the Apicurio v3 API at {@code coreUrl}. */
  public static void requireBackwardCompatibility(String coreUrl) {
    String rule = "{\"ruleType\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}";
    int created = send(HttpRequest.newBuilder(URI.create(coreUrl + "/admin/rules"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(rule)));
    if (created == 409) {
      // Already there (a restart against a persistent registry): make sure it says BACKWARD.
      created = send(HttpRequest.newBuilder(URI.create(coreUrl + "/admin/rules/COMPATIBILITY"))
          .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(rule)));
    }
    if (created / 100 != 2) {
      throw new IllegalStateException("could not set the BACKWARD rule at " + coreUrl + ": HTTP " + created);
    }
  }

  private static int send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException("registry unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
