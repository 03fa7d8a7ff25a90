import document from '../../openapi.json';
import { json } from '../http/problem';

// The document as `npm run openapi` generated and committed it, not generated again here: generating it builds
// every schema of the product and runs zod's JSON Schema writer at each cold start, for a document that changes
// only with the code. test/unit/openapi.test.ts fails when the committed file is not what the code generates,
// and test/integration/routes.test.ts checks that this function serves exactly that.
export const handler = async () => json(200, document);
