import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../lambdas/http/openapi';

// `npm run openapi`: writes the committed openapi.json; a unit test fails when it is out of date.
const file = path.resolve(__dirname, '../openapi.json');
writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
