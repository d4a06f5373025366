package dev.kiln.gateway.quota;

import dev.kiln.schema.OrganizationQuotas;
import java.util.Optional;
import java.util.function.Function;

/** Each organization's limits: its own where it has them, the gateway's defaults otherwise; 0 means no limit. */
public final class QuotaLimits {
  private final long requestsPerMinute;
  private final long buildsPerHour;
  private final int maxActiveBuilds;
  private final Function<String, Optional<OrganizationQuotas>> own;

  public QuotaLimits(long requestsPerMinute, long buildsPerHour, int maxActiveBuilds,
      Function<String, Optional<OrganizationQuotas>> own) {
    this.requestsPerMinute = requestsPerMinute;
    this.buildsPerHour = buildsPerHour;
    this.maxActiveBuilds = maxActiveBuilds;
    this.own = own;
  }

  /** The same limits for every organization. */
  public static QuotaLimits uniform(long requestsPerMinute, long buildsPerHour, int maxActiveBuilds) {
    return new QuotaLimits(requestsPerMinute, buildsPerHour, maxActiveBuilds, organization -> Optional.empty());
  }

  public long requestsPerMinute(String organizationId) {
    Long value = own.apply(organizationId).map(OrganizationQuotas::getRequestsPerMinute).orElse(null);
    return value == null ? requestsPerMinute : value;
  }

  public long buildsPerHour(String organizationId) {
    Long value = own.apply(organizationId).map(OrganizationQuotas::getBuildsPerHour).orElse(null);
    return value == null ? buildsPerHour : value;
  }

  public int maxActiveBuilds(String organizationId) {
    Integer value = own.apply(organizationId).map(OrganizationQuotas::getMaxActiveBuilds).orElse(null);
    return value == null ? maxActiveBuilds : value;
  }
}
