// UUID handling as the Rust `uuid` crate does it through serde: it accepts the simple, hyphenated,
// braced and urn forms in any case, and always writes lowercase hyphenated. Re-serializing must
// produce that form, or a Rust verifier hashes different bytes than we signed.

const FORMS = [
  /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
  /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i,
  /^\{([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}$/i,
  /^urn:uuid:([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
];

/** The canonical (lowercase hyphenated) form of a UUID in any form Rust accepts, or null. */
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function canonicalUuid(text: string): string | null {
  if (CANONICAL.test(text)) return text;
  for (const form of FORMS) {
    const m = form.exec(text);
    if (m) return m.slice(1).join('-').toLowerCase();
  }
  return null;
}
