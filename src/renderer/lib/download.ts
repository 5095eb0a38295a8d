/** Saves text as a file through a Blob URL and a temporary anchor (no navigation, nothing inline). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: revoking synchronously can cancel the download in Chromium.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
