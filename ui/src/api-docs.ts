// The API documentation page (/api/docs): Swagger UI on the listener's own OpenAPI
// description, bundled so it works offline and under the page's CSP (no CDN, no inline
// script). The listener serves this page itself, so /api/openapi.json is same-origin.
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-es-bundle.js";
import "swagger-ui-dist/swagger-ui.css";
import "./styles/api-docs.css";

SwaggerUIBundle({
  url: new URL("/api/openapi.json", window.location.origin).toString(),
  dom_id: "#swagger-ui",
  deepLinking: true,
  // "Try it out" sends X-Api-Key when the user fills in Authorize; the browser's session
  // cookie goes along too.
  persistAuthorization: false,
  tryItOutEnabled: false,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
