// subset-font ships no types (and @types/subset-font describes an older version): the one call
// scripts/embed-font.ts makes, with the options it passes (see the package's README).
declare module 'subset-font' {
  export default function subsetFont(
    font: Buffer,
    text: string,
    options?: { targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2'; noHinting?: boolean; noLayoutClosure?: boolean },
  ): Promise<Buffer>;
}
