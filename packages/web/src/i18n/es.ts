// Spanish catalogue (filled below; missing keys fall back to English).
export const es: Record<string, string> = {};
