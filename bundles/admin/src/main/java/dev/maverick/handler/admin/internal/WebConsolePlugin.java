package dev.maverick.handler.admin.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

/**
 * The web page as a Felix Web Console plugin ({@code /system/console/handlers}): a plain servlet
 * service with {@code felix.webconsole.label}, which the Web Console picks up when it is installed
 * and nothing else uses. It serves a fragment that loads the same script, which talks to the same
 * JSON API at the server's root.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=handlers",
    "felix.webconsole.title=Handlers",
    "felix.webconsole.category=Maverick"})
public final class WebConsolePlugin extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Active only with an HTTP runtime, which serves the API the page talks to. */
  @Reference
  private transient HttpServiceRuntime runtime;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/html; charset=utf-8");
    response.getWriter().write("<link rel=\"stylesheet\" href=\"/ui/app.css\">\n"
        + "<div id=\"maverick-admin\" class=\"maverick-admin in-console\" data-api=\"\"></div>\n"
        + "<script src=\"/ui/chart.js\"></script>\n"
        + "<script src=\"/ui/app.js\"></script>\n"
        + "<script src=\"/ui/wires.js\"></script>\n");
  }
}
