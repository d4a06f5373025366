package dev.kiln.gateway.http;

import dev.kiln.gateway.refusal.TooLarge;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Predicate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over {@code KILN_MAX_REQUEST_BYTES} with 413 before it is parsed: by its declared length
 * at once, and for chunked or lying bodies by counting bytes as they arrive. The signed upload PUT is exempt; it
 * has its own archive limits.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {
  private final long maxBytes;
  private final Predicate<HttpServletRequest> exempt;
  private final ErrorResponses errors;

  /** {@code exempt} must decide on the path the router uses, as authentication does, never on the raw URI. */
  public BodyLimitFilter(long maxBytes, Predicate<HttpServletRequest> exempt, ErrorResponses errors) {
    this.maxBytes = maxBytes;
    this.exempt = exempt;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return exempt.test(request);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      errors.write(request, response, tooLarge());
      return;
    }
    chain.doFilter(new Counted(request), response);
  }

  private TooLarge tooLarge() {
    return new TooLarge("request body is larger than " + maxBytes + " bytes");
  }

  /** Thrown from the body stream once it passed the limit; the exception handler answers 413 for it. */
  public static final class BodyTooLarge extends IOException {
    private final transient TooLarge refusal;

    BodyTooLarge(TooLarge refusal) {
      super(refusal.getMessage());
      this.refusal = refusal;
    }

    public TooLarge refusal() {
      return refusal;
    }
  }

  /** The request with a body stream that counts what the application reads. */
  private final class Counted extends HttpServletRequestWrapper {
    private ServletInputStream stream;

    Counted(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream());
      }
      return stream;
    }
  }

  /** Fails the read that takes the body past the limit. */
  private final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    private long read;

    CountingStream(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > maxBytes) {
        throw new BodyTooLarge(tooLarge());
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
