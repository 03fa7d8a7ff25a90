import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { functions } from '../lambdas/functions';
import { esbuildOptionsFor } from '../lib/bundling';

// Bundles every function of the catalog exactly as the house Lambda construct does (lib/bundling.ts) and
// reports the size of the minified JavaScript, the part Lambda loads at a cold start (source maps excluded),
// and how much of it is zod (from esbuild's metafile), the one library every function validates with.
// `npx tsx scripts/bundle-sizes.ts`; `npm run bench` includes the same figures.

export interface BundleSize {
  name: string;
  bytes: number;
  /** Bytes of the output that come from the zod package. */
  zodBytes: number;
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const outdir = path.join(os.tmpdir(), 'reklamacje-bundle-sizes');
  const sizes: BundleSize[] = [];
  for (const [name, spec] of Object.entries(functions)) {
    const result = await build({ ...esbuildOptionsFor(spec.entry, path.join(outdir, name, 'index.js')), write: false, metafile: true });
    const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint !== undefined);
    if (!output) throw new Error(`esbuild produced no JavaScript for ${name}`);
    const zodBytes = Object.entries(output.inputs)
      .filter(([input]) => input.includes('node_modules/zod/'))
      .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0);
    sizes.push({ name, bytes: output.bytes, zodBytes });
  }
  return sizes;
}

async function main(): Promise<void> {
  const sizes = await bundleSizes();
  const width = Math.max('function'.length, ...sizes.map(({ name }) => name.length));
  console.log(`${'function'.padEnd(width)} | minified (KiB) | bytes   | zod (KiB)`);
  console.log(`${'-'.repeat(width)}-|----------------|---------|----------`);
  for (const { name, bytes, zodBytes } of sizes) {
    console.log(
      `${name.padEnd(width)} | ${(bytes / 1024).toFixed(1).padStart(14)} | ${String(bytes).padEnd(7)} | ${(zodBytes / 1024).toFixed(1).padStart(9)}`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
