package dev.sessionhub.shared.selector;

/**
 * A selector that cannot be parsed. {@link #getMessage()} is the user-facing text (it starts with what is wrong
 * and quotes the offending term), shown verbatim by REST, XML-RPC, the CLI and the dashboard; {@link #position()}
 * and {@link #term()} let a UI point at the term.
 */
public final class SelectorSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int position;
  private final String term;

  public SelectorSyntaxException(String message, int position, String term) {
    super(message);
    this.position = position;
    this.term = term;
  }

  /** The 0-based char offset of the offending term in the input. */
  public int position() {
    return position;
  }

  /** The offending term as typed. */
  public String term() {
    return term;
  }
}
