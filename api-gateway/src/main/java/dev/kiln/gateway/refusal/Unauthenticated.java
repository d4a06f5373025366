package dev.kiln.gateway.refusal;

/** No API key, or one Kiln does not know. */
public final class Unauthenticated extends Refusal {
  private final boolean keyPresented;

  public Unauthenticated(String message, boolean keyPresented) {
    super(message);
    this.keyPresented = keyPresented;
  }

  /** False when the request carried no key at all, true when it carried a wrong one. */
  public boolean keyPresented() {
    return keyPresented;
  }
}
