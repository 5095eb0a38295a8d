/**
 * The renderer's Content-Security-Policy. It is set twice on purpose: as a `<meta>` tag in
 * src/renderer/index.html (applies to the `file://` page, which has no response headers) and as a
 * response header by main (applies to anything served over http, e.g. the dev server). A test keeps the
 * two identical. Scripts only from the app itself, no plugins, no framing, no form posts, no remote fetch:
 * the renderer reaches the network only through main.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React and the component library set inline `style` attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
