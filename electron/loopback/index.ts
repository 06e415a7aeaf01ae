// The loopback room: evaluation mode's window and the e2e tests' way in. An HTTP server on
// 127.0.0.1 serves the built renderer to a page opened with a one-time address (token exchanged for
// an HttpOnly SameSite=Strict cookie), and its WebSocket (/ipc, Origin and Host checked on the
// upgrade) is the host's Transport port. Electron never uses it. Also the listing of the renderer
// build and its content types, which the app:// protocol shares.
export { openLoopbackServer, type LoopbackServer } from './loopback-server.js';
export { loopbackCsp } from './loopback-headers.js';
export { listRendererFiles, rendererContentTypeOf } from './loopback-site.js';
