/** The colours a tag gets from its name when the user chose none: distinct on dark and light themes. */
export const TAG_PALETTE = ['#e5534b', '#d4a72c', '#57ab5a', '#39c5cf', '#4d8dff', '#986ee2', '#e275ad', '#c69026'] as const;

/** A tag's colour: the one chosen for it (tags compare without case), else one from its name. */
export function tagColor(tag: string, chosen: Readonly<Record<string, string>>): string {
  const key = tag.toLowerCase();
  // own colours only: `constructor` or `__proto__` is a tag, not the object's property
  const own = Object.hasOwn(chosen, key) ? chosen[key] : undefined;
  if (own) return own;
  let h = 0;
  for (const c of key) h = (h * 31 + c.codePointAt(0)!) >>> 0;
  return TAG_PALETTE[h % TAG_PALETTE.length]!;
}

/** Tags as typed in a field: separated by commas or spaces, a leading # dropped, duplicates (ignoring case) once. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const tag = raw.replace(/^#/, '');
    if (tag && !out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}
