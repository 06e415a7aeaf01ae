// Hands a PDF the host produced to the browser as a download: base64 → Blob (application/pdf) →
// object URL → a hidden <a download> clicked once → the URL revoked. No file name carries patient
// data (the host names it).

export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** How long the object URL lives after the click, so the browser has started the download. */
const REVOKE_AFTER_MS = 10_000;

export function downloadPdf(base64: string, fileName: string): void {
  const blob = new Blob([base64Bytes(base64)], { type: 'application/pdf' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
