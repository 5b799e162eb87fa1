// Copying text. `navigator.clipboard` exists only in secure contexts (https, localhost,
// the desktop window); a page opened at http://192.168.1.20:8000 has to fall back to the
// old selection + execCommand("copy") route.

export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied (no user gesture, permissions): try the old way.
    }
  }
  return copyWithSelection(text);
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  // CSSOM, not an inline style string: allowed by the page's CSP.
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.left = "0";
  area.style.opacity = "0";
  document.body.appendChild(area);
  const active = document.activeElement as HTMLElement | null;
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  active?.focus();
  return ok;
}

/** A saved secret as the settings endpoint shows it: `••••abcd`. Sent back, it means "keep". */
export const MASK = "••••";

export function isMasked(value: string | null | undefined): boolean {
  return typeof value === "string" && value.startsWith(MASK);
}
