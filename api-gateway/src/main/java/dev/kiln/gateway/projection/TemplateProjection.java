package dev.kiln.gateway.projection;

import dev.kiln.schema.TemplateState;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Every template as the ledger last wrote it to the compacted templates topic, by org/name and by id. */
public final class TemplateProjection {
  private final Map<String, TemplateState> byKey = new ConcurrentHashMap<>();
  private final Map<String, String> keyById = new ConcurrentHashMap<>();
  private final ChangeSignal changes = new ChangeSignal();

  /** Folds one record of the templates topic in; a tombstone deletes. */
  public void accept(ConsumerRecord<String, Object> record) {
    if (record.value() == null) {
      TemplateState removed = byKey.remove(record.key());
      if (removed != null) {
        keyById.remove(removed.getTemplateId());
      }
    } else if (record.value() instanceof TemplateState state) {
      byKey.put(record.key(), state);
      keyById.put(state.getTemplateId(), record.key());
    }
    changes.changed();
  }

  /** The organization's templates, oldest first. */
  public List<TemplateState> list(String organizationId) {
    return byKey.values().stream().filter(t -> t.getOrganizationId().equals(organizationId))
        .sorted(Comparator.comparing(TemplateState::getCreatedAt)).toList();
  }

  /** The organization's template with this id or name, waiting up to {@code wait} for one just created. */
  public Optional<TemplateState> find(String organizationId, String idOrName, Duration wait) {
    return changes.await(() -> find(organizationId, idOrName), wait);
  }

  private Optional<TemplateState> find(String organizationId, String idOrName) {
    String key = keyById.getOrDefault(idOrName, organizationId + "/" + idOrName);
    return Optional.ofNullable(byKey.get(key)).filter(t -> t.getOrganizationId().equals(organizationId));
  }
}
