// A PDF the host handed back (evaluation mode) turned into an object URL over its bytes in memory,
// for the page to show in a frame: never a download, never a file. The URL is revoked when the
// preview closes (and the whole document, blob URLs included, is dropped by a purge reload).

export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A blob: URL for the PDF; the caller revokes it (URL.revokeObjectURL) when the preview closes. */
export function pdfObjectUrl(base64: string): string {
  return URL.createObjectURL(new Blob([base64Bytes(base64)], { type: 'application/pdf' }));
}
