import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { functions } from '../lambdas/functions';
import { esbuildOptionsFor } from '../lib/bundling';

// Bundles every function of the catalog exactly as the house Lambda construct does (lib/bundling.ts) and
// reports the size of the minified JavaScript, the part Lambda loads at a cold start (source maps excluded).
// `npx tsx scripts/bundle-sizes.ts`; `npm run bench` includes the same figures.

export interface BundleSize {
  name: string;
  bytes: number;
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const outdir = path.join(os.tmpdir(), 'reklamacje-bundle-sizes');
  const sizes: BundleSize[] = [];
  for (const [name, spec] of Object.entries(functions)) {
    const result = await build({ ...esbuildOptionsFor(spec.entry, path.join(outdir, name, 'index.js')), write: false });
    const code = result.outputFiles.find((file) => file.path.endsWith('.js'));
    if (!code) throw new Error(`esbuild produced no JavaScript for ${name}`);
    sizes.push({ name, bytes: code.contents.byteLength });
  }
  return sizes;
}

async function main(): Promise<void> {
  const sizes = await bundleSizes();
  const width = Math.max('function'.length, ...sizes.map(({ name }) => name.length));
  console.log(`${'function'.padEnd(width)} | minified (KiB) | bytes`);
  console.log(`${'-'.repeat(width)}-|----------------|--------`);
  for (const { name, bytes } of sizes) {
    console.log(`${name.padEnd(width)} | ${(bytes / 1024).toFixed(1).padStart(14)} | ${bytes}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
