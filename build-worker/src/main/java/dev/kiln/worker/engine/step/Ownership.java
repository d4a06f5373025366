package dev.kiln.worker.engine.step;

import java.util.Optional;

/** A COPY owner as numeric ids: {@code uid[:gid]} taken as they are, names looked up in the image's passwd/group. */
public record Ownership(int uid, int gid) {
  public static final Ownership ROOT = new Ownership(0, 0);

  static Ownership resolve(String owner, ImageEngine engine, String image) throws EngineException {
    if (owner == null || owner.isBlank()) {
      return ROOT;
    }
    String[] parts = owner.split(":", 2);
    int uid = id(parts[0], engine, image, "/etc/passwd");
    int gid = parts.length > 1 ? id(parts[1], engine, image, "/etc/group") : primaryGroup(parts[0], uid, engine, image);
    return new Ownership(uid, gid);
  }

  private static int id(String nameOrId, ImageEngine engine, String image, String database) throws EngineException {
    if (nameOrId.matches("\\d+")) {
      return Integer.parseInt(nameOrId);
    }
    return field(engine.readFile(image, database), nameOrId, 2)
        .orElseThrow(() -> new IllegalArgumentException("owner '" + nameOrId + "' not found in the image's " + database));
  }

  /** Like Docker, {@code --chown=user} means the user's primary group. */
  private static int primaryGroup(String user, int uid, ImageEngine engine, String image) throws EngineException {
    if (user.matches("\\d+")) {
      return uid;
    }
    return field(engine.readFile(image, "/etc/passwd"), user, 3).orElse(uid);
  }

  private static Optional<Integer> field(Optional<String> database, String name, int column) {
    return database.stream().flatMap(String::lines).map(line -> line.split(":"))
        .filter(fields -> fields.length > column && fields[0].equals(name))
        .map(fields -> Integer.parseInt(fields[column])).findFirst();
  }
}
