// Jest transformer: TypeScript to CommonJS with esbuild, the bundler the Lambdas are built with. (Type
// checking is `tsc --noEmit`'s job, in CI before the tests.) Chosen over @swc/jest because the npm registry
// reachable here lacks some of @swc/core's platform packages, which breaks `npm ci` on a clean clone.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: path.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: path,
      keepNames: true,
    });
    return { code, map };
  },
};
